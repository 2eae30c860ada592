#pragma once
/// One live stream in the hub: the publisher's latest decoder configs and metadata, the GOP
/// cache, the readers, and the live figures. Used through Hub, Publisher and Subscription;
/// sessions never hold a Stream directly.
///
/// Thread-safety: every member function locks the stream's mutex; push() runs on the
/// publisher's thread and fans a packet out to every reader by reference (no copy).

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stream/Clock.h"
#include "stream/MediaPacket.h"
#include "stream/RateMeter.h"
#include "stream/Reader.h"
#include "stream/StreamInfo.h"
#include "stream/StreamKey.h"

namespace stagecast::stream {

struct StreamOptions {
    bool gopCache = true;
    std::size_t maxGopCacheBytes = 32 * 1024 * 1024;
    ReaderPolicy readerPolicy;
    /// Media packets arriving this long after the previous one count as an arrival gap.
    std::chrono::milliseconds gapThreshold{500};
    /// A track's decode time stepping forward by more than this (or backwards) is a jump.
    std::chrono::milliseconds timestampJumpThreshold{1000};
};

/// Who publishes or reads. A constructor (not an aggregate) so the short brace form
/// `{id, protocol, address}` stays valid for callers without a query or URL.
struct PublisherIdentity {
    PublisherIdentity(std::uint64_t clientId_ = 0, std::string protocol_ = {},
                      std::string address_ = {}, std::string param_ = {}, std::string tcUrl_ = {},
                      std::string userAgent_ = {})
        : clientId(clientId_), protocol(std::move(protocol_)), address(std::move(address_)),
          param(std::move(param_)), tcUrl(std::move(tcUrl_)), userAgent(std::move(userAgent_)) {}

    std::uint64_t clientId = 0;
    std::string protocol;
    std::string address;
    /// The client's query string with its '?' ("?user=a&auth_key=redacted"), secrets already
    /// redacted by the session; empty when there was none. Carried into HubEvent for webhooks.
    std::string param;
    /// The URL the client connected to (RTMP tcUrl, "http://HOST/APP" for HTTP-FLV), redacted
    /// like `param`; empty when the protocol has none.
    std::string tcUrl;
    std::string userAgent; // players: the HTTP User-Agent or RTMP flashVer, if sent
};

class Stream {
public:
    Stream(StreamKey key, StreamOptions options);

    const StreamKey& key() const { return key_; }

    /// Makes `who` the publisher; returns the generation that identifies this publish.
    std::uint64_t attachPublisher(const PublisherIdentity& who, SteadyTime now);
    /// Ends the publish of `generation` if it is still the current one. Readers that asked to
    /// end with the publisher are ended. Returns false if `generation` was not current.
    bool detachPublisher(std::uint64_t generation, bool endReaders);
    bool live() const;
    std::optional<PublisherIdentity> publisher() const;

    /// Fans out one packet; ignored unless `generation` is the current publish.
    void push(std::uint64_t generation, const PacketPtr& packet, SteadyTime now);
    void setVideoInfo(std::uint64_t generation, VideoTrackInfo info);
    void setAudioInfo(std::uint64_t generation, AudioTrackInfo info);

    /// Adds a reader and, when live, preloads it with metadata, configs and the GOP cache.
    void addReader(const std::shared_ptr<Reader>& reader, bool endWithPublisher, SteadyTime now);
    void removeReader(const std::shared_ptr<Reader>& reader);
    /// Ends every reader with `reason`.
    void endReaders(ReaderState reason);
    bool idle() const; // no publisher and no readers

    StreamSnapshot snapshot(SteadyTime now) const;

private:
    struct ReaderEntry {
        std::shared_ptr<Reader> reader;
        bool endWithPublisher = true;
    };
    void resetMediaStateLocked();
    void noteTimingLocked(const MediaPacket& packet, SteadyTime now);
    void retireReaderLocked(const Reader& reader);

    const StreamKey key_;
    const StreamOptions options_;

    mutable std::mutex mutex_;
    std::uint64_t generation_ = 0;
    std::optional<PublisherIdentity> publisher_;
    SteadyTime publishedSteady_{};
    std::chrono::system_clock::time_point publishedAt_{};

    PacketPtr metadata_;
    PacketPtr videoConfig_;
    PacketPtr audioConfig_;
    std::vector<PacketPtr> gop_;
    std::size_t gopBytes_ = 0;
    bool gopOverflowed_ = false;
    bool hasVideo_ = false;

    std::vector<ReaderEntry> readers_;

    VideoTrackInfo video_;
    AudioTrackInfo audio_;
    RateMeter videoBits_;
    RateMeter audioBits_;
    RateMeter videoFrames_;
    std::uint64_t bytesIn_ = 0;
    std::uint64_t videoFrameCount_ = 0;
    std::uint64_t audioFrameCount_ = 0;
    std::optional<std::chrono::milliseconds> lastKeyframeDts_;
    std::optional<std::chrono::milliseconds> lastVideoDts_;
    std::optional<std::chrono::milliseconds> lastAudioDts_;
    std::optional<SteadyTime> lastPacketAt_;
    std::uint64_t arrivalGaps_ = 0;
    std::uint64_t timestampJumps_ = 0;
    double keyframeInterval_ = 0;
    std::uint64_t retiredSkips_ = 0;
    std::uint64_t retiredDroppedBytes_ = 0;
    std::uint64_t slowDisconnects_ = 0;
};

} // namespace stagecast::stream
