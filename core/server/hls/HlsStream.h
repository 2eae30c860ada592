#pragma once
/// One stream's HLS packager: a hub reader that survives publisher restarts, drained on an
/// io_context thread into an HlsSegmenter (CPU only, no disk). The HTTP side reads the
/// playlist and segments under the packager's lock.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "base/Result.h"
#include "server/PlayerWakeup.h"
#include "server/hls/DvrStream.h"
#include "server/hls/HlsKeyStore.h"
#include "server/hls/HlsOutput.h"
#include "server/hls/HlsSegmenter.h"
#include "server/hls/LlHlsSegmenter.h"
#include "server/hls/PlaylistSplice.h"
#include "stream/Hub.h"

namespace stagecast::server {
struct ServerContext;
}

namespace stagecast::server::hls {

class HlsStream : public std::enable_shared_from_this<HlsStream> {
public:
    /// `ll`: also package LL-HLS (fMP4 parts) with these options. `outputs`: where each new
    /// MPEG-TS segment and playlist is copied to (they outlive the packager). `keys`: where
    /// the keys of encrypted segments (options.encrypt) are stored; required then.
    HlsStream(ServerContext& ctx, boost::asio::io_context& io, stream::StreamKey key,
              SegmenterOptions options, std::optional<LlOptions> ll = std::nullopt,
              std::vector<HlsOutput*> outputs = {}, HlsKeyStore* keys = nullptr);

    /// Complete segments also go to this DVR window (before start()).
    void setDvr(std::shared_ptr<DvrStream> dvr) { dvr_ = std::move(dvr); }
    /// Subscribes; fails when the stream is not being published.
    base::Status start();
    /// Thread-safe; unsubscribes on the packager's thread.
    void stop();

    /// The live media playlist with segment URIs `uriPrefix + SEQ + ".ts"` and a marker where
    /// each URI's suffix goes (PlaylistTemplate::splice), or null before the first segment.
    /// The same object until the window (or the prefix) changes, so callers may cache what
    /// they splice from it by its identity. Encrypting: a new one each call (a key's stored
    /// flag changes the listing without changing the window).
    std::shared_ptr<const PlaylistTemplate> playlist(const std::string& uriPrefix) const;
    std::shared_ptr<const HlsSegment> segment(std::uint64_t sequence) const;
    /// The stored key `id` of an encrypted segment still kept, or null.
    std::shared_ptr<const HlsKey> key(std::string_view id) const;
    std::size_t completeSegments() const;
    std::size_t bytes() const;

    // LL-HLS (all false/null when it is off for this stream).
    bool lowLatency() const { return lowLatency_; }
    std::optional<std::string> llPlaylist(const std::string& prefix,
                                          const std::string& suffix) const;
    std::shared_ptr<const std::vector<std::uint8_t>> llInit(std::uint32_t version) const;
    std::shared_ptr<const LlPart> llPart(std::uint64_t msn, std::uint32_t index) const;
    std::shared_ptr<const std::vector<std::uint8_t>> llSegment(std::uint64_t msn) const;
    bool llHas(std::uint64_t msn, std::optional<std::uint32_t> index) const;
    std::uint64_t llLiveMsn() const;
    /// Parts in the open segment (the index the next part will have).
    std::uint32_t llNextPart() const;
    /// Calls `wake` once, from the packager's thread, after the next new part or segment (or
    /// when packaging ends). Must not block: HTTP sessions post to their own executor.
    void whenChanged(std::function<void()> wake);

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
    /// Hands new keys to the key store and deletes retired ones (`all`: every key). Under
    /// mutex_.
    void syncKeys(bool all);
    /// "http://HOST:PORT/APP/STREAM/key/": key URIs for the folder output's playlists.
    std::string studioKeyPrefix() const;

    ServerContext& ctx_;
    boost::asio::io_context& io_;
    const stream::StreamKey key_;
    std::unique_ptr<stream::Subscription> subscription_; // packager thread
    std::optional<PlayerWakeup> wakeup_;
    std::vector<stream::PacketPtr> batch_;
    bool wasLive_ = true;

    mutable std::mutex mutex_;
    HlsSegmenter segmenter_;
    const bool lowLatency_;
    std::optional<LlHlsSegmenter> ll_;
    std::vector<std::function<void()>> waiters_;
    const std::vector<HlsOutput*> outputs_;
    const std::uint64_t packagerId_; // tells the outputs that sequence numbers restarted
    std::uint64_t outputNext_ = 0;   // the next segment sequence to hand to the outputs
    std::size_t keepSegments_;
    std::uint64_t reportedForcedCuts_ = 0;
    HlsKeyStore* keyStore_;
    std::uint64_t reportedCipherFailures_ = 0;
    std::shared_ptr<DvrStream> dvr_;
    std::uint64_t dvrNext_ = 0; // the next segment sequence to hand to the DVR window

    // The last playlist rendered for players, with a marker where each URI's suffix (the
    // viewer's session) goes: reloads between two segments reuse it instead of rendering
    // again. Keyed by the segment window; not used when encrypting (a key's stored flag
    // changes the listing without changing the window). Guarded by mutex_.
    struct RenderedPlaylist {
        std::string uriPrefix;
        std::uint64_t nextSequence = 0;
        std::size_t segments = 0;
        std::shared_ptr<const PlaylistTemplate> text; // null: no segment yet
    };
    mutable std::optional<RenderedPlaylist> rendered_;

    std::atomic<std::chrono::steady_clock::rep> lastRequest_;
    std::atomic<std::chrono::steady_clock::rep> lastLive_;
    std::atomic<bool> ended_{false};
};

} // namespace stagecast::server::hls
