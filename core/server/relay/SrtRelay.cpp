#include "SrtRelay.h"

#include <algorithm>
#include <cstring>

#include <netdb.h>
#include <srt/srt.h>
#include <sys/socket.h>

#include "base/Log.h"
#include "server/ServerContext.h"
#include "server/srt/SrtPlayer.h"

namespace stagecast::server::relay {

namespace {

constexpr auto kMaxBackoff = std::chrono::seconds(30);
constexpr auto kHealthyRun = std::chrono::seconds(30);
constexpr int kConnectTimeoutMs = 5000;

/// Why a listener refused us, in words ("unauthorized (1401)").
std::string rejectReason(int socket) {
    int code = srt_getrejectreason(socket);
    if (code >= SRT_REJC_PREDEFINED) {
        int http = code - SRT_REJC_PREDEFINED;
        std::string name = http == 401   ? "unauthorized"
                           : http == 403 ? "forbidden"
                           : http == 404 ? "not found"
                           : http == 400 ? "bad request"
                           : http == 405 ? "bad mode"
                                         : "refused";
        return name + " (" + std::to_string(code) + ")";
    }
    return srt_rejectreason_str(code);
}

} // namespace

SrtRelay::SrtRelay(ServerContext& ctx, std::size_t index, stream::StreamKey source,
                   SrtUrl destination)
    : ctx_(ctx), source_(std::move(source)), destination_(std::move(destination)),
      tracker_(ctx.hub, index, source_.str(), destination_.redacted(), "srt-relay") {}

SrtRelay::~SrtRelay() {
    stop();
}

void SrtRelay::start() {
    thread_ = std::thread([this] { run(); });
}

void SrtRelay::stop() {
    stopping_ = true;
    {
        std::lock_guard lock(wakeMutex_);
        woken_ = true;
    }
    wake_.notify_all();
    // Joined here, not later: the thread uses the hub, which the server stops next.
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
        thread_.join();
    }
}

RelayStatus SrtRelay::status() const {
    return tracker_.status();
}

void SrtRelay::waitFor(std::chrono::milliseconds timeout) {
    std::unique_lock lock(wakeMutex_);
    wake_.wait_for(lock, timeout, [this] { return woken_; });
    woken_ = false;
}

void SrtRelay::run() {
    auto backoff = std::chrono::seconds(1);
    while (!stopping_) {
        auto began = std::chrono::steady_clock::now();
        auto why = session();
        if (stopping_) {
            break;
        }
        if (std::chrono::steady_clock::now() - began > kHealthyRun) {
            backoff = std::chrono::seconds(1); // a long healthy run earns a quick retry
        }
        tracker_.addReconnect();
        base::log(base::LogLevel::Warning, "relay",
                  source_.str() + " -> " + destination_.redacted() + ": " + why + "; retrying in " +
                      std::to_string(backoff.count()) + " s");
        tracker_.setState(RelayState::Backoff, why);
        auto until = std::chrono::steady_clock::now() + backoff;
        while (!stopping_ && std::chrono::steady_clock::now() < until) {
            waitFor(std::chrono::duration_cast<std::chrono::milliseconds>(
                until - std::chrono::steady_clock::now()));
        }
        backoff = std::min(backoff * 2, std::chrono::seconds(kMaxBackoff));
    }
    tracker_.setState(RelayState::Stopped);
}

std::string SrtRelay::session() {
    tracker_.setState(RelayState::Connecting);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    auto port = std::to_string(destination_.port);
    if (int rc = getaddrinfo(destination_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        return "cannot resolve " + destination_.host + ": " + gai_strerror(rc);
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);

    SRTSOCKET s = srt_create_socket();
    if (s == SRT_INVALID_SOCK) {
        return std::string("cannot create an SRT socket: ") + srt_getlasterror_str();
    }
    struct Closer {
        SRTSOCKET s;
        ~Closer() { srt_close(s); }
    } closer{s};
    int latency = static_cast<int>(destination_.latency.count());
    int timeout = kConnectTimeoutMs;
    srt_setsockflag(s, SRTO_LATENCY, &latency, sizeof latency);
    srt_setsockflag(s, SRTO_CONNTIMEO, &timeout, sizeof timeout);
    if (!destination_.streamId.empty()) {
        srt_setsockflag(s, SRTO_STREAMID, destination_.streamId.c_str(),
                        static_cast<int>(destination_.streamId.size()));
    }
    if (!destination_.passphrase.empty()) {
        srt_setsockflag(s, SRTO_PASSPHRASE, destination_.passphrase.c_str(),
                        static_cast<int>(destination_.passphrase.size()));
    }
    auto where = destination_.host + ":" + port;
    if (srt_connect(s, addresses->ai_addr, static_cast<int>(addresses->ai_addrlen)) == SRT_ERROR) {
        auto error = std::string(srt_getlasterror_str());
        if (srt_getlasterror(nullptr) == SRT_ECONNREJ) {
            return "destination " + where + " refused the connection: " + rejectReason(s);
        }
        return "cannot connect to " + where + ": " + error;
    }
    bool nonBlocking = false;
    srt_setsockflag(s, SRTO_SNDSYN, &nonBlocking, sizeof nonBlocking);

    auto subscribed = ctx_.hub.subscribe(
        {source_, {0, "srt-relay", destination_.redacted()}, true, false, [this] {
             {
                 std::lock_guard lock(wakeMutex_);
                 woken_ = true;
             }
             wake_.notify_one();
         }});
    if (!subscribed) {
        return subscribed.error().message();
    }
    srt::SrtPlayer player(s, std::move(*subscribed));
    base::log(base::LogLevel::Info, "relay",
              source_.str() + " -> " + destination_.redacted() + ": publishing");
    tracker_.setState(RelayState::Publishing);
    std::string why;
    while (!stopping_) {
        auto state = srt_getsockstate(s);
        if (state == SRTS_BROKEN || state == SRTS_CLOSED || state == SRTS_NONEXIST) {
            why = "destination closed the connection";
            break;
        }
        auto sent = player.pump(ctx_.hub.now());
        if (!sent) {
            why = sent.error().message();
            break;
        }
        tracker_.addSent(*sent);
        // Woken by new packets; the timeout also retries a full send buffer.
        waitFor(std::chrono::milliseconds(player.pendingBytes() > 0 ? 5 : 100));
    }
    tracker_.addDropped(player.droppedPackets());
    return why;
}

} // namespace stagecast::server::relay
