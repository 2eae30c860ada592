#pragma once
/// What the recorder learns from a publisher's decoder configuration packets: the tracks a
/// file will hold, with the configuration record each codec needs as extradata
/// (AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord, AudioSpecificConfig), and
/// the coded payload of a media packet without its FLV tag header. Needs no FFmpeg header.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/Result.h"
#include "stream/MediaPacket.h"

namespace stagecast::media::record {

enum class VideoCodecId : std::uint8_t { H264 = 1, Hevc };

/// "h264", "hevc".
const char* toString(VideoCodecId codec);

struct VideoTrack {
    VideoCodecId codec = VideoCodecId::H264;
    std::vector<std::uint8_t> config; // the configuration record (extradata)
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    bool operator==(const VideoTrack&) const = default;
};

/// AAC only.
struct AudioTrack {
    std::vector<std::uint8_t> config; // AudioSpecificConfig (extradata)
    std::uint32_t sampleRate = 0;
    std::uint32_t channels = 0;
    bool operator==(const AudioTrack&) const = default;
};

struct TrackSet {
    std::optional<VideoTrack> video;
    std::optional<AudioTrack> audio;
    bool empty() const { return !video && !audio; }
    bool operator==(const TrackSet&) const = default;
};

/// "h264 320x240, aac 48000 Hz 2 ch".
std::string describe(const TrackSet& tracks);

/// Reads a video configuration packet. Fails for a codec the recorder does not write
/// ("video codec av1 is not recorded: supported h264, hevc") or a malformed record.
base::Result<VideoTrack> videoTrackFrom(const stream::MediaPacket& config);
/// Reads an audio configuration packet (AAC sequence header).
base::Result<AudioTrack> audioTrackFrom(const stream::MediaPacket& config);

/// A media packet's coded data. `present` is false for packets that carry none (an AVC end
/// of sequence, an empty keep-alive).
struct CodedPayload {
    bool present = false;
    std::span<const std::uint8_t> data;
};
base::Result<CodedPayload> codedPayload(const stream::MediaPacket& packet);

} // namespace stagecast::media::record
