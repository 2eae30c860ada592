#pragma once
/// Turns FLV-form audio, video and script payloads (RTMP messages, FLV tags) into hub packets,
/// and describes the tracks from their decoder configurations and onMetaData. Shared by every
/// ingest that carries FLV-form media. Single-threaded (the ingest session's).

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/Result.h"
#include "stream/Hub.h"
#include "stream/MediaPacket.h"

namespace stagecast::server {

class MediaIngest {
public:
    explicit MediaIngest(stream::Publisher& publisher) : publisher_(publisher) {}

    /// `timestampMs` is on the unwrapped timeline. A malformed media header is an error (the
    /// session ends); an unknown codec is passed through untouched.
    base::Status onVideo(std::int64_t timestampMs, std::span<const std::uint8_t> payload);
    base::Status onAudio(std::int64_t timestampMs, std::span<const std::uint8_t> payload);
    /// A script data payload already normalized to "onMetaData", {...}.
    base::Status onMetadata(std::int64_t timestampMs, std::span<const std::uint8_t> payload);

    std::uint64_t mediaPackets() const { return packets_; }

private:
    stream::Publisher& publisher_;
    std::uint64_t packets_ = 0;
    double metadataFrameRate_ = 0;
    bool audioDescribed_ = false;
    stream::VideoTrackInfo video_;
};

} // namespace stagecast::server
