#pragma once
/// Pushes one hub stream to an SRT listener as a caller (a CDN's SRT ingest, another
/// Stagecast, an SRS or MediaMTX origin): MPEG-TS in SRT live mode, the stream id and
/// passphrase from the URL. On any failure (refused, unreachable, broken) it closes, waits
/// (1 s doubling to 30 s) and starts again; the hub's bounded reader drops by GOP when the
/// link is slower than the stream.
///
/// Runs on a thread of its own: libsrt's connect blocks, and keeping SRT callers apart from
/// the listener's thread keeps one slow destination from delaying ingest.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/relay/Relay.h"
#include "server/relay/RelayTracker.h"
#include "server/relay/SrtUrl.h"
#include "stream/StreamKey.h"

namespace stagecast::server {
struct ServerContext;
}

namespace stagecast::server::relay {

class SrtRelay : public Relay {
public:
    SrtRelay(ServerContext& ctx, std::size_t index, stream::StreamKey source, SrtUrl destination);
    ~SrtRelay() override;
    SrtRelay(const SrtRelay&) = delete;
    SrtRelay& operator=(const SrtRelay&) = delete;

    void start() override;
    void stop() override;
    RelayStatus status() const override;

private:
    void run();
    /// One connection, until it fails or the relay stops; returns why it ended.
    std::string session();
    /// Waits up to `timeout` or until woken (new packets, stop).
    void waitFor(std::chrono::milliseconds timeout);

    ServerContext& ctx_;
    const stream::StreamKey source_;
    const SrtUrl destination_;
    RelayTracker tracker_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::mutex wakeMutex_;
    std::condition_variable wake_;
    bool woken_ = false;
};

} // namespace stagecast::server::relay
