#pragma once
/// Fragmented MP4 (ISO/IEC 14496-12, CMAF-style) for LL-HLS and other segmented delivery:
/// an initialization segment (ftyp + moov with empty sample tables + mvex) and media fragments
/// (moof + mdat). Sans-I/O: builds bytes from samples the caller already has.
///
/// Tracks: video (H.264 'avc1' + avcC, or HEVC 'hvc1' + hvcC) as track 1, AAC ('mp4a' + esds)
/// as track 2 when there is video, else track 1. Every track uses a 1 ms timescale, the hub's
/// timestamps, so no rounding happens between the source and the file. Sample data is what
/// MP4 stores: length-prefixed NAL units (the FLV/RTMP form) and raw AAC frames.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::mp4 {

enum class VideoCodec : std::uint8_t { H264 = 1, Hevc };

struct VideoTrackSpec {
    VideoCodec codec = VideoCodec::H264;
    std::vector<std::uint8_t> configRecord; // AVCDecoderConfigurationRecord / HEVC record
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

struct AudioTrackSpec {
    std::vector<std::uint8_t> audioSpecificConfig;
    std::uint32_t sampleRate = 0;
    std::uint32_t channels = 0;
};

struct InitSpec {
    std::optional<VideoTrackSpec> video;
    std::optional<AudioTrackSpec> audio;
};

inline constexpr std::uint32_t kTimescale = 1000;

/// ftyp + moov. Fails when there is no track, a config is empty or too large.
base::Result<std::vector<std::uint8_t>> initSegment(const InitSpec& spec);

/// Track ids initSegment() gave: video 1 when present; audio after it.
std::uint32_t videoTrackId(const InitSpec& spec);
std::uint32_t audioTrackId(const InitSpec& spec);

struct Sample {
    std::uint32_t duration = 0; // ms
    std::int32_t ctsOffset = 0; // presentation - decode time, ms
    bool sync = false;          // a keyframe (audio: always)
    std::span<const std::uint8_t> data;
};

struct TrackRun {
    std::uint32_t trackId = 0;
    std::uint64_t baseDecodeTime = 0; // ms, the first sample's decode time
    std::vector<Sample> samples;
};

/// moof (mfhd + one traf per run, each with tfhd, tfdt and trun) + one mdat holding the runs'
/// data in order. Runs without samples are left out. `sequence` starts at 1 and increases.
std::vector<std::uint8_t> fragment(std::uint32_t sequence, const std::vector<TrackRun>& runs);

} // namespace stagecast::protocol::mp4
