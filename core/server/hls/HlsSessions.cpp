#include "HlsSessions.h"

#include <optional>
#include <vector>

#include <openssl/rand.h>

#include "base/Log.h"
#include "server/ServerContext.h"

namespace stagecast::server::hls {

namespace {

std::string newId() {
    std::uint8_t raw[16];
    if (RAND_bytes(raw, sizeof raw) != 1) {
        return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    for (auto b : raw) {
        id += kHex[b >> 4];
        id += kHex[b & 0x0f];
    }
    return id;
}

} // namespace

HlsSessions::HlsSessions(ServerContext& ctx, std::size_t maxSessions, std::chrono::seconds timeout)
    : ctx_(ctx), maxSessions_(maxSessions), timeout_(timeout) {}

HlsSessions::~HlsSessions() {
    closeAll("server shutting down");
}

base::Result<std::string> HlsSessions::open(const stream::StreamKey& key,
                                            const std::string& address,
                                            const std::string& userAgent) {
    {
        std::lock_guard lock(mutex_);
        if (viewers_.size() >= maxSessions_) {
            return base::fail("too many HLS sessions: limit " + std::to_string(maxSessions_));
        }
    }
    auto id = newId();
    if (id.empty()) {
        return base::fail("no randomness for an HLS session id");
    }
    auto admitted = ctx_.clients.admit("hls", address, [this, id](const std::string& reason) {
        end(id, reason); // a kick from the API; only touches our map and the registry
    });
    if (!admitted) {
        return base::fail(admitted.error());
    }
    auto client = *admitted;
    ctx_.clients.describe(client->id, ClientRole::Player, key.str(), userAgent);
    {
        std::lock_guard lock(mutex_);
        viewers_.emplace(id, Viewer{key, client, std::chrono::steady_clock::now(), userAgent});
    }
    stream::HubEvent joined{
        stream::HubEventType::ClientJoined, {}, key.str(), client->id, "hls", address, {}};
    joined.userAgent = userAgent; // monitoring counts unique viewers by address + user agent
    ctx_.hub.report(std::move(joined));
    base::log(base::LogLevel::Info, "hls",
              "client " + std::to_string(client->id) + " (" + address + ") plays " + key.str());
    return id;
}

std::shared_ptr<ClientInfo> HlsSessions::touch(std::string_view id, const stream::StreamKey& key) {
    std::lock_guard lock(mutex_);
    auto it = viewers_.find(id);
    if (it == viewers_.end() || !(it->second.key == key)) {
        return nullptr;
    }
    it->second.lastSeen = std::chrono::steady_clock::now();
    return it->second.client;
}

void HlsSessions::end(const std::string& id, const std::string& reason) {
    std::optional<Viewer> found;
    {
        std::lock_guard lock(mutex_);
        auto it = viewers_.find(id);
        if (it == viewers_.end()) {
            return;
        }
        found.emplace(std::move(it->second));
        viewers_.erase(it);
    }
    auto& viewer = *found;
    ctx_.clients.remove(viewer.client->id);
    stream::HubEvent left{
        stream::HubEventType::ClientLeft, {},    viewer.key.str(), viewer.client->id, "hls",
        viewer.client->address,           reason};
    // An HLS viewer is last seen at its last request, not when the session times out: the
    // session ends then, so watch time does not grow by the timeout.
    const auto idleFor = std::chrono::steady_clock::now() - viewer.lastSeen;
    left.time = std::chrono::system_clock::now() -
                std::chrono::duration_cast<std::chrono::system_clock::duration>(idleFor);
    // The viewer session row records what this player was sent (playlists are not counted).
    left.userAgent = viewer.userAgent;
    left.bytes = viewer.client->bytesOut.load();
    ctx_.hub.report(std::move(left));
    base::log(base::LogLevel::Info, "hls",
              "client " + std::to_string(viewer.client->id) + " (" + viewer.client->address +
                  ") closed: " + reason);
}

void HlsSessions::reap() {
    std::vector<std::string> idle;
    auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, v] : viewers_) {
            if (now - v.lastSeen > timeout_) {
                idle.push_back(id);
            }
        }
    }
    for (const auto& id : idle) {
        end(id, "no request for " + std::to_string(timeout_.count()) + " s");
    }
}

void HlsSessions::closeAll(const std::string& reason) {
    std::vector<std::string> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, v] : viewers_) {
            all.push_back(id);
        }
    }
    for (const auto& id : all) {
        end(id, reason);
    }
}

std::size_t HlsSessions::size() const {
    std::lock_guard lock(mutex_);
    return viewers_.size();
}

} // namespace stagecast::server::hls
