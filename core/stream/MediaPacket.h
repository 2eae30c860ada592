#pragma once
/// The unit the hub moves: one audio frame, one video access unit, one metadata message, or a
/// decoder configuration. The payload is in FLV tag body form (the same bytes as an RTMP
/// audio/video/data message), so RTMP and HTTP-FLV egress send it without re-muxing.
/// Immutable once published and shared by reference between every subscriber.

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace stagecast::stream {

enum class TrackKind : std::uint8_t { Video = 1, Audio, Data };

struct MediaPacket {
    TrackKind kind = TrackKind::Data;
    /// Decode timestamp on the publisher's unwrapped millisecond timeline.
    std::chrono::milliseconds dts{0};
    /// Composition offset (pts - dts) for video.
    std::chrono::milliseconds cts{0};
    bool keyframe = false;
    /// A decoder configuration (AVC/HEVC/AV1 sequence header, AAC AudioSpecificConfig).
    bool config = false;
    std::vector<std::uint8_t> payload;
};

using PacketPtr = std::shared_ptr<const MediaPacket>;

} // namespace stagecast::stream
