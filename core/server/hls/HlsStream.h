#pragma once
/// One stream's HLS packager: a hub reader that survives publisher restarts, drained on an
/// io_context thread into an HlsSegmenter (CPU only, no disk). The HTTP side reads the
/// playlist and segments under the packager's lock.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "base/Result.h"
#include "server/PlayerWakeup.h"
#include "server/hls/HlsSegmenter.h"
#include "stream/Hub.h"

namespace stagecast::server {
struct ServerContext;
}

namespace stagecast::server::hls {

class HlsStream : public std::enable_shared_from_this<HlsStream> {
public:
    HlsStream(ServerContext& ctx, boost::asio::io_context& io, stream::StreamKey key,
              SegmenterOptions options);

    /// Subscribes; fails when the stream is not being published.
    base::Status start();
    /// Thread-safe; unsubscribes on the packager's thread.
    void stop();

    std::optional<std::string> playlist(const std::string& uriPrefix,
                                        const std::string& uriSuffix) const;
    std::shared_ptr<const HlsSegment> segment(std::uint64_t sequence) const;
    std::size_t completeSegments() const;
    std::size_t bytes() const;

    const stream::StreamKey& key() const { return key_; }
    /// A viewer asked for something (on-demand packaging stops when nobody does).
    void touch() {
        lastRequest_.store(std::chrono::steady_clock::now().time_since_epoch().count());
    }
    std::chrono::steady_clock::time_point lastRequest() const;
    /// When the publisher was last seen (live now: now).
    std::chrono::steady_clock::time_point lastLive() const;
    bool ended() const { return ended_.load(); }

private:
    void drain();

    ServerContext& ctx_;
    boost::asio::io_context& io_;
    const stream::StreamKey key_;
    std::unique_ptr<stream::Subscription> subscription_; // packager thread
    std::optional<PlayerWakeup> wakeup_;
    std::vector<stream::PacketPtr> batch_;
    bool wasLive_ = true;

    mutable std::mutex mutex_;
    HlsSegmenter segmenter_;
    std::uint64_t reportedForcedCuts_ = 0;

    std::atomic<std::chrono::steady_clock::rep> lastRequest_;
    std::atomic<std::chrono::steady_clock::rep> lastLive_;
    std::atomic<bool> ended_{false};
};

} // namespace stagecast::server::hls
