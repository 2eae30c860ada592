#pragma once
/// AAC in ADTS form (ISO/IEC 13818-7 6.2 / ISO/IEC 14496-3 1.A.2, stream type 0x0F) to FLV
/// audio bodies: the AudioSpecificConfig built from the ADTS header, then one raw frame per
/// body with the header (and its CRC) stripped.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "TsDemuxer.h"
#include "base/Result.h"

namespace stagecast::protocol::mpegts::demux {

struct AdtsHeader {
    std::uint8_t audioObjectType = 0; // profile_ObjectType + 1 (2 = AAC LC)
    std::uint8_t samplingFrequencyIndex = 0;
    std::uint32_t sampleRate = 0;
    std::uint8_t channelConfiguration = 0;
    bool protectionAbsent = true;
    std::uint8_t rawDataBlocks = 1; // number_of_raw_data_blocks_in_frame + 1
    std::size_t headerSize = 7;     // 9 with crc_check
    std::size_t frameLength = 0;    // aac_frame_length: header included
};

/// Parses the fixed and variable header at the start of `data` (at least 7 bytes).
base::Result<AdtsHeader> parseAdtsHeader(std::span<const std::uint8_t> data);

/// The 2-byte AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) the header describes.
std::array<std::uint8_t, 2> audioSpecificConfig(const AdtsHeader& header);

class DemuxAudioTrack {
public:
    /// One PES payload; `ptsTicks` (unwrapped, 90 kHz) belongs to the first frame that starts
    /// in it (H.222.0 2.4.3.7). A frame split across PES packets is joined; frames after the
    /// first, or in a PES without a PTS, are timed by counting 1024 samples per frame.
    void pes(std::span<const std::uint8_t> payload, std::optional<std::int64_t> ptsTicks,
             std::vector<DemuxedPacket>& out);
    /// Forgets a partial frame (its continuation was lost).
    void discardPartial() { pending_.clear(); }

    std::uint64_t droppedFrames() const { return droppedFrames_; }

private:
    void emitFrame(const AdtsHeader& header, std::span<const std::uint8_t> frame,
                   std::vector<DemuxedPacket>& out);

    std::vector<std::uint8_t> pending_; // start of a frame that continues in the next PES
    bool anchored_ = false;
    std::int64_t anchorTicks_ = 0; // pts of the frame `samples_` samples ago
    std::uint64_t samples_ = 0;
    std::uint32_t sampleRate_ = 0;
    std::optional<std::array<std::uint8_t, 2>> config_;
    bool resyncing_ = false;
    std::uint64_t droppedFrames_ = 0;
};

} // namespace stagecast::protocol::mpegts::demux
