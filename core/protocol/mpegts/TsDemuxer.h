#pragma once
/// MPEG-2 transport stream demuxer (ISO/IEC 13818-1) that turns the first program's H.264,
/// H.265 and AAC (ADTS) elementary streams into FLV tag bodies, the form the hub carries
/// (see stream::MediaPacket): AVC as FLV VideoTagHeader + AVCC, HEVC as Enhanced RTMP
/// ('hvc1'), AAC as 0xAF + AACPacketType + raw frame, plus the decoder configurations built
/// from the in-band parameter sets and ADTS headers. Sans-I/O.
///
/// Built for live ingest over lossy links (SRT): lost sync, continuity gaps, bad CRCs and
/// broken PES packets are counted and skipped, never fatal.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::mpegts {

struct DemuxedPacket {
    enum class Kind : std::uint8_t { Video = 1, Audio };
    Kind kind = Kind::Video;
    /// Decode time in ms on the unwrapped 90 kHz clock of the stream (one 64-bit timeline for
    /// audio and video, so the publisher's A/V offset is kept). Not rebased to zero.
    std::int64_t dtsMs = 0;
    /// pts - dts in ms (video; 0 for audio).
    std::int32_t ctsMs = 0;
    /// A video frame containing an IDR (H.264) or IRAP (H.265) picture. False for configs and
    /// audio, like RTMP ingest.
    bool keyframe = false;
    /// An AVC/HEVC decoder configuration record or an AAC AudioSpecificConfig.
    bool config = false;
    std::vector<std::uint8_t> flvBody;
};

struct TsDemuxerLimits {
    /// A PES packet (one video access unit) larger than this is dropped.
    std::size_t maxPesBytes = 8 * 1024 * 1024;
    /// PAT entries read; only the first program is demuxed.
    std::size_t maxPrograms = 16;
    /// PMT elementary stream entries read; the first H.264/H.265 and the first AAC are used.
    std::size_t maxStreams = 16;
    /// Audio and video are interleaved by dts; a track waits at most this long (in media
    /// time) for the other one before it is released anyway.
    std::int64_t maxInterleaveMs = 500;
    /// Bytes scanned without finding two sync bytes 188 apart before the input is declared
    /// not to be a transport stream.
    std::size_t maxResyncBytes = 1024 * 1024;
};

class TsDemuxer {
public:
    explicit TsDemuxer(TsDemuxerLimits limits = {});
    ~TsDemuxer();
    TsDemuxer(TsDemuxer&&) noexcept;
    TsDemuxer& operator=(TsDemuxer&&) noexcept;
    TsDemuxer(const TsDemuxer&) = delete;
    TsDemuxer& operator=(const TsDemuxer&) = delete;

    /// Feed bytes split anywhere (resync on 0x47 when lost, counting skipped bytes); emits
    /// completed packets in decode order. Errors only for unrecoverable conditions (no sync
    /// within maxResyncBytes; the error is sticky); corrupt packets are counted and skipped.
    base::Status feed(std::span<const std::uint8_t> data, std::vector<DemuxedPacket>& out);
    /// Emits what is buffered (end of stream): the last unbounded video PES, the interleave
    /// queue. Incomplete bounded PES packets and partial ADTS frames are dropped.
    void flush(std::vector<DemuxedPacket>& out);

    struct Stats {
        std::uint64_t packets = 0;     // TS packets parsed
        std::uint64_t ccErrors = 0;    // continuity counter gaps
        std::uint64_t resyncBytes = 0; // bytes skipped while looking for sync
        std::uint64_t crcErrors = 0;   // PSI sections with a bad CRC_32
        std::uint64_t droppedPes = 0;  // PES packets lost: CC gap, truncated, too big, bad header
        // Extensions beyond the original contract:
        std::uint64_t droppedFrames = 0;  // frames lost: before any config, bad ADTS, ...
        std::uint64_t ignoredStreams = 0; // PMT entries not demuxed (other codecs, 2nd video)
    };
    Stats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace stagecast::protocol::mpegts
