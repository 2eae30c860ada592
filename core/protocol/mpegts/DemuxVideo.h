#pragma once
/// One H.264 or H.265 elementary stream of a transport stream: access units in Annex B form
/// (one PES payload each, ITU-T H.222.0 2.14 / 2.17) become FLV video bodies. Parameter sets
/// move out of the frames into a decoder configuration record that is sent before the first
/// frame and again whenever a parameter set changes.

#include <cstdint>
#include <span>
#include <vector>

#include "TsDemuxer.h"

namespace stagecast::protocol::mpegts::demux {

enum class VideoCodecKind : std::uint8_t { H264, Hevc };

class DemuxVideoTrack {
public:
    explicit DemuxVideoTrack(VideoCodecKind codec) : codec_(codec) {}

    VideoCodecKind codec() const { return codec_; }

    /// Appends a config packet when the parameter sets in `annexB` changed what was sent,
    /// then the frame (AUD and parameter sets removed, 4-byte length prefixes). A frame seen
    /// before any config is dropped: no decoder could use it.
    void accessUnit(std::span<const std::uint8_t> annexB, std::int64_t dtsMs, std::int32_t ctsMs,
                    std::vector<DemuxedPacket>& out);

    std::uint64_t droppedFrames() const { return droppedFrames_; }

private:
    struct ParameterSet {
        std::uint8_t type = 0;
        std::uint32_t id = 0;
        std::vector<std::uint8_t> nal;
    };

    /// Stores `nal` under its type and id; true when that changed the stored set.
    bool store(std::uint8_t type, std::span<const std::uint8_t> nal);
    bool emitConfig(std::int64_t dtsMs, std::vector<DemuxedPacket>& out);

    VideoCodecKind codec_;
    /// In first-seen order; ids are bounded by the codecs (at most 32 + 256 for H.264).
    std::vector<ParameterSet> sets_;
    bool dirty_ = false;
    bool configSent_ = false;
    std::uint64_t droppedFrames_ = 0;
};

} // namespace stagecast::protocol::mpegts::demux
