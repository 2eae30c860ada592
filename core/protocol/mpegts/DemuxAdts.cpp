#include "DemuxAdts.h"

#include <string>

#include "DemuxClock.h"

namespace stagecast::protocol::mpegts::demux {
namespace {

constexpr std::size_t kFixedHeaderSize = 7;
constexpr std::uint32_t kSamplesPerFrame = 1024;
// FLV AudioTagHeader (FLV 10.1 E.4.2.1): SoundFormat 10 (AAC), 44 kHz, 16-bit, stereo, as
// the spec requires for AAC whatever the real format; then AACPacketType.
constexpr std::uint8_t kFlvAac = 0xAF;
constexpr std::uint8_t kAacSequenceHeader = 0;
constexpr std::uint8_t kAacRaw = 1;

// sampling_frequency_index, ISO/IEC 14496-3 table 1.18.
constexpr std::array<std::uint32_t, 13> kSampleRates = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};

bool syncAt(std::span<const std::uint8_t> data, std::size_t pos) {
    return pos + 1 < data.size() && data[pos] == 0xFF && (data[pos + 1] & 0xF0) == 0xF0;
}

} // namespace

// adts_fixed_header() and adts_variable_header(), ISO/IEC 14496-3 1.A.2.2.1.
base::Result<AdtsHeader> parseAdtsHeader(std::span<const std::uint8_t> data) {
    if (data.size() < kFixedHeaderSize) {
        return base::fail("adts: header truncated: " + std::to_string(data.size()) +
                          " bytes, need 7");
    }
    if (!syncAt(data, 0)) {
        return base::fail("adts: syncword missing, need 0xFFF");
    }
    AdtsHeader h;
    const unsigned layer = (data[1] >> 1) & 0x03;
    h.protectionAbsent = (data[1] & 0x01) != 0;
    h.audioObjectType = static_cast<std::uint8_t>((data[2] >> 6) + 1);
    h.samplingFrequencyIndex = static_cast<std::uint8_t>((data[2] >> 2) & 0x0F);
    h.channelConfiguration = static_cast<std::uint8_t>(((data[2] & 0x01) << 2) | (data[3] >> 6));
    h.frameLength = (std::size_t{data[3] & 0x03U} << 11) | (std::size_t{data[4]} << 3) |
                    (std::size_t{data[5]} >> 5);
    h.rawDataBlocks = static_cast<std::uint8_t>((data[6] & 0x03) + 1);
    if (layer != 0) {
        return base::fail("adts: layer " + std::to_string(layer) + " invalid, allowed 0");
    }
    if (h.samplingFrequencyIndex >= kSampleRates.size()) {
        return base::fail("adts: sampling_frequency_index " +
                          std::to_string(h.samplingFrequencyIndex) + " invalid, allowed 0..12");
    }
    h.sampleRate = kSampleRates[h.samplingFrequencyIndex];
    // crc_check follows the header; with several raw data blocks their positions come first.
    h.headerSize =
        kFixedHeaderSize + (h.protectionAbsent ? 0 : 2 + 2 * std::size_t{h.rawDataBlocks - 1U});
    if (h.frameLength <= h.headerSize) {
        return base::fail("adts: aac_frame_length " + std::to_string(h.frameLength) +
                          " invalid, need more than the " + std::to_string(h.headerSize) +
                          "-byte header");
    }
    return h;
}

std::array<std::uint8_t, 2> audioSpecificConfig(const AdtsHeader& header) {
    // audioObjectType(5) samplingFrequencyIndex(4) channelConfiguration(4)
    // frameLengthFlag(1) = 0 (1024 samples), dependsOnCoreCoder(1) = 0, extensionFlag(1) = 0.
    return {static_cast<std::uint8_t>((header.audioObjectType << 3) |
                                      (header.samplingFrequencyIndex >> 1)),
            static_cast<std::uint8_t>(((header.samplingFrequencyIndex & 0x01) << 7) |
                                      (header.channelConfiguration << 3))};
}

void DemuxAudioTrack::emitFrame(const AdtsHeader& header, std::span<const std::uint8_t> frame,
                                std::vector<DemuxedPacket>& out) {
    if (sampleRate_ != header.sampleRate) {
        // Keep the time reached so far and count on at the new rate.
        if (sampleRate_ != 0) {
            anchorTicks_ += static_cast<std::int64_t>(samples_ * kTsClockHz / sampleRate_);
        }
        samples_ = 0;
        sampleRate_ = header.sampleRate;
    }
    const std::int64_t pts =
        anchorTicks_ + static_cast<std::int64_t>(samples_ * kTsClockHz / sampleRate_);
    samples_ += std::uint64_t{kSamplesPerFrame} * header.rawDataBlocks;
    if (header.rawDataBlocks != 1) {
        // FLV carries one raw_data_block per tag; splitting needs the positions of the CRC
        // variant and is not done (no common encoder writes such frames).
        ++droppedFrames_;
        return;
    }
    const auto asc = audioSpecificConfig(header);
    if (!config_ || *config_ != asc) {
        config_ = asc;
        DemuxedPacket c;
        c.kind = DemuxedPacket::Kind::Audio;
        c.dtsMs = ticksToMs(pts);
        c.config = true;
        c.flvBody = {kFlvAac, kAacSequenceHeader, asc[0], asc[1]};
        out.push_back(std::move(c));
    }
    DemuxedPacket p;
    p.kind = DemuxedPacket::Kind::Audio;
    p.dtsMs = ticksToMs(pts);
    p.flvBody.reserve(2 + frame.size() - header.headerSize);
    p.flvBody = {kFlvAac, kAacRaw};
    p.flvBody.insert(p.flvBody.end(),
                     frame.begin() + static_cast<std::ptrdiff_t>(header.headerSize), frame.end());
    out.push_back(std::move(p));
}

void DemuxAudioTrack::pes(std::span<const std::uint8_t> payload,
                          std::optional<std::int64_t> ptsTicks, std::vector<DemuxedPacket>& out) {
    std::vector<std::uint8_t> joined;
    std::span<const std::uint8_t> data = payload;
    const std::size_t boundary = pending_.size(); // frames starting here or later are new
    if (!pending_.empty()) {
        joined = std::move(pending_);
        joined.insert(joined.end(), payload.begin(), payload.end());
        data = joined;
    }
    pending_.clear();
    bool ptsUsed = false;
    std::size_t pos = 0;
    while (pos + kFixedHeaderSize <= data.size()) {
        auto header = parseAdtsHeader(data.subspan(pos));
        if (!header) {
            // Lost frame alignment: scan for the next syncword, one loss per resync.
            if (!resyncing_) {
                resyncing_ = true;
                ++droppedFrames_;
            }
            ++pos;
            while (pos < data.size() && !syncAt(data, pos)) {
                ++pos;
            }
            continue;
        }
        if (pos + header->frameLength > data.size()) {
            break; // continues in the next PES
        }
        resyncing_ = false;
        if (pos >= boundary && ptsTicks && !ptsUsed) {
            ptsUsed = true;
            anchored_ = true;
            anchorTicks_ = *ptsTicks;
            samples_ = 0;
            sampleRate_ = header->sampleRate;
        }
        if (anchored_) {
            emitFrame(*header, data.subspan(pos, header->frameLength), out);
        } else {
            ++droppedFrames_; // no PTS seen yet: nothing to time it by
        }
        pos += header->frameLength;
    }
    // What is left is shorter than one frame (aac_frame_length < 8192): bounded.
    pending_.assign(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end());
}

} // namespace stagecast::protocol::mpegts::demux
