#pragma once
/// MPEG-2 transport stream muxer (ISO/IEC 13818-1) for HLS: one program with H.264 or HEVC
/// video and AAC audio, fed with FLV tag bodies (the hub's MediaPacket payloads). Sans-I/O:
/// every call appends whole 188-byte packets to the caller's buffer.
///
/// Layout: PAT on PID 0, PMT on 0x1000, video on 0x100 (stream type 0x1B H.264 / 0x24 HEVC),
/// audio on 0x101 (0x0F, AAC in ADTS). One PES per video access unit and per AAC frame.
///
/// Video access units become annex B byte streams that start with an access unit delimiter;
/// a keyframe (FLV frame type 1, or an IDR/IRAP NAL unit) that lacks in-band parameter sets
/// gets the SPS/PPS (VPS/SPS/PPS for HEVC) of the sequence header in front of its first NAL
/// unit, so every keyframe can start a segment. Keyframes set random_access_indicator.
///
/// Clock: PCR is carried on the video PID when there is a video sequence header, else on the
/// audio PID. Every video PES carries a PCR equal to its DTS (HLS clients buffer whole segments,
/// so no T-STD lead is added and PTS/DTS keep the input's values); when video frames are more
/// than 100 ms apart, audio frames trigger PCR-only packets on the video PID in between. On
/// an audio PCR PID, a PCR is sent whenever 100 ms have passed since the last one.
///
/// Timestamps: milliseconds in, 90 kHz out, modulo 2^33. The first timestamp written (audio or
/// video) fixes an offset: if it is negative, every later timestamp is shifted by the same
/// amount so that the first DTS becomes 0; otherwise timestamps pass unchanged (offset 0). A
/// PTS (dts + composition time) or a later DTS that is still negative wraps modulo 2^33.
///
/// Call writeTables() at the start of the stream and of every segment (and again after a
/// sequence header that changes the codec); the PMT version advances when its content
/// changes.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "Adts.h"
#include "AnnexB.h"
#include "base/Result.h"

namespace stagecast::protocol::mpegts {

inline constexpr std::uint16_t kPidPmt = 0x1000;
inline constexpr std::uint16_t kPidVideo = 0x100;
inline constexpr std::uint16_t kPidAudio = 0x101;

class TsMuxer {
public:
    /// An FLV video tag body holding an AVC or HEVC sequence header (legacy CodecID 7 / 12,
    /// or Enhanced RTMP 'avc1' / 'hvc1' SequenceStart). Replaces any earlier one.
    base::Status setVideoConfig(std::span<const std::uint8_t> flvVideoBody);
    /// An FLV audio tag body holding an AAC sequence header (AudioSpecificConfig).
    base::Status setAudioConfig(std::span<const std::uint8_t> flvAudioBody);

    /// PAT + PMT (stream types 0x1B H.264, 0x24 HEVC, 0x0F AAC ADTS), each in its own packet.
    void writeTables(std::vector<std::uint8_t>& out);

    /// One video access unit (FLV video tag body with coded frames). Sequence headers,
    /// end-of-sequence, metadata and command frames are ignored; so are frames without NAL
    /// units. On error nothing is appended.
    base::Status writeVideo(std::vector<std::uint8_t>& out, std::int64_t dtsMs,
                            std::span<const std::uint8_t> flvVideoBody);
    /// One raw AAC frame (FLV audio tag body), framed in ADTS. Sequence headers are ignored.
    /// On error nothing is appended.
    base::Status writeAudio(std::vector<std::uint8_t>& out, std::int64_t dtsMs,
                            std::span<const std::uint8_t> flvAudioBody);

    bool hasVideo() const { return video_.has_value(); }
    bool hasAudio() const { return audio_.has_value(); }
    /// Milliseconds added to every input timestamp (see the class comment); 0 until the first
    /// frame is written.
    std::int64_t timestampOffsetMs() const { return offsetMs_.value_or(0); }

private:
    std::uint16_t pcrPid() const;
    /// Input milliseconds to unwrapped 90 kHz ticks, after the offset.
    std::int64_t to90k(std::int64_t ms);
    void buildAccessUnit(std::span<const std::span<const std::uint8_t>> nalUnits, bool keyframe);

    std::optional<ParameterSets> video_;
    std::optional<AdtsConfig> audio_;
    std::optional<std::int64_t> offsetMs_;
    std::optional<std::int64_t> lastPcr_; // unwrapped 90 kHz
    std::vector<std::uint8_t> lastPmt_;
    std::uint8_t pmtVersion_ = 0;
    std::uint8_t ccPat_ = 0;
    std::uint8_t ccPmt_ = 0;
    std::uint8_t ccVideo_ = 0;
    std::uint8_t ccAudio_ = 0;
    // Reused between frames to avoid an allocation per frame.
    std::vector<std::uint8_t> pes_;
    std::vector<std::span<const std::uint8_t>> nalUnits_;
};

} // namespace stagecast::protocol::mpegts
