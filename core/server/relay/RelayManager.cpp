#include "RelayManager.h"

#include <filesystem>

#include "server/IoPool.h"
#include "server/ServerContext.h"
#include "server/relay/RtmpRelay.h"
#include "server/relay/SrtRelay.h"

namespace stagecast::server::relay {

RelayManager::RelayManager() = default;
RelayManager::~RelayManager() = default;

base::Status RelayManager::start(ServerContext& ctx, IoPool& pool,
                                 const std::vector<RelayTarget>& targets) {
    std::vector<std::shared_ptr<Relay>> made;
    for (std::size_t i = 0; i < targets.size(); ++i) {
        auto where = "relay[" + std::to_string(i) + "]";
        auto key = stream::StreamKey::parse(targets[i].stream);
        if (!key) {
            return base::fail(key.error().withContext(where + ".stream"));
        }
        if (targets[i].url.starts_with("srt://")) {
            auto srtUrl = parseSrtUrl(targets[i].url);
            if (!srtUrl) {
                return base::fail(srtUrl.error().withContext(where + ".url"));
            }
            made.push_back(std::make_shared<SrtRelay>(ctx, i, *key, *srtUrl));
            continue;
        }
        auto url = parseRtmpUrl(targets[i].url);
        if (!url) {
            return base::fail(url.error().withContext(where + ".url"));
        }
        url->caFile = targets[i].caFile;
        url->verifyTls = targets[i].verifyTls;
        if (url->tls && !url->caFile.empty() && !std::filesystem::is_regular_file(url->caFile)) {
            return base::fail(where + ".ca_file: '" + url->caFile + "' is not a readable file");
        }
        made.push_back(std::make_shared<RtmpRelay>(ctx, pool.next(), i, *key, *url));
    }
    relays_ = std::move(made);
    for (auto& r : relays_) {
        r->start();
    }
    return {};
}

void RelayManager::stop() {
    for (auto& r : relays_) {
        r->stop();
    }
}

std::vector<RelayStatus> RelayManager::statuses() const {
    std::vector<RelayStatus> out;
    for (const auto& r : relays_) {
        out.push_back(r->status());
    }
    return out;
}

} // namespace stagecast::server::relay
