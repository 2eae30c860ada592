#include "Adts.h"

#include <string>

#include "protocol/codec/BitReader.h"

namespace stagecast::protocol::mpegts {
namespace {

constexpr std::uint32_t kAotSbr = 5;
constexpr std::uint32_t kAotPs = 29;
constexpr std::uint32_t kExplicitRateIndex = 15;
// ISO/IEC 14496-3 table 1.18, the indices ADTS can carry.
constexpr std::array<std::uint32_t, 13> kRates = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                                  22050, 16000, 12000, 11025, 8000,  7350};

std::uint32_t readObjectType(codec::BitReader& r) {
    const std::uint32_t aot = r.bits(5, "audioObjectType");
    return aot == 31 ? 32 + r.bits(6, "audioObjectTypeExt") : aot;
}

constexpr std::uint32_t kNotInTable = 0xFF;

// Returns the table index of the sampling frequency, or kNotInTable for an explicit rate that
// has none.
std::uint32_t readRateIndex(codec::BitReader& r, const char* field) {
    const std::uint32_t index = r.bits(4, field);
    if (index != kExplicitRateIndex) {
        return index;
    }
    const std::uint32_t rate = r.bits(24, "samplingFrequency");
    for (std::uint32_t i = 0; i < kRates.size(); ++i) {
        if (kRates[i] == rate) {
            return i;
        }
    }
    return kNotInTable;
}

} // namespace

base::Result<AdtsConfig> adtsConfigFromAsc(std::span<const std::uint8_t> asc) {
    codec::BitReader r(asc);
    std::uint32_t aot = readObjectType(r);
    const std::uint32_t rateIndex = readRateIndex(r, "samplingFrequencyIndex");
    const std::uint32_t channels = r.bits(4, "channelConfiguration");
    if (aot == kAotSbr || aot == kAotPs) {
        (void)readRateIndex(r, "extensionSamplingFrequencyIndex");
        aot = readObjectType(r);
    }
    if (!r.ok()) {
        return base::fail("ts: AAC AudioSpecificConfig " + r.error());
    }
    if (aot < 1 || aot > 4) {
        return base::fail("ts: AAC audioObjectType " + std::to_string(aot) +
                          " cannot be carried in ADTS, allowed 1..4 (Main, LC, SSR, LTP), "
                          "optionally under SBR/PS");
    }
    if (rateIndex >= kRates.size()) {
        return base::fail("ts: AAC sampling frequency " +
                          (rateIndex == kNotInTable ? std::string("(explicit, not in table)")
                                                    : "index " + std::to_string(rateIndex)) +
                          " cannot be carried in ADTS, allowed the rates of indices 0..12");
    }
    if (channels < 1 || channels > 7) {
        return base::fail("ts: AAC channelConfiguration " + std::to_string(channels) +
                          " cannot be carried in ADTS, allowed 1..7");
    }
    AdtsConfig config;
    config.objectType = static_cast<std::uint8_t>(aot);
    config.samplingFrequencyIndex = static_cast<std::uint8_t>(rateIndex);
    config.channelConfiguration = static_cast<std::uint8_t>(channels);
    return config;
}

std::array<std::uint8_t, kAdtsHeaderSize> adtsHeader(const AdtsConfig& config,
                                                     std::size_t payloadSize) {
    const auto frameLength = static_cast<std::uint32_t>(payloadSize + kAdtsHeaderSize) & 0x1FFF;
    constexpr std::uint32_t kBufferFullnessVbr = 0x7FF;
    const auto profile = static_cast<std::uint32_t>(config.objectType - 1) & 0x03;
    const std::uint32_t rate = config.samplingFrequencyIndex & 0x0F;
    const std::uint32_t channels = config.channelConfiguration & 0x07;
    std::array<std::uint8_t, kAdtsHeaderSize> h{};
    h[0] = 0xFF; // syncword 0xFFF ...
    // ... ID 0 (MPEG-4), layer 00, protection_absent 1
    h[1] = 0xF1;
    // profile(2) sampling_frequency_index(4) private_bit(1) channel_configuration high bit
    h[2] = static_cast<std::uint8_t>((profile << 6) | (rate << 2) | (channels >> 2));
    // channel_configuration low 2 bits, original_copy, home, copyright id bit/start, then
    // the top 2 bits of frame_length
    h[3] = static_cast<std::uint8_t>(((channels & 0x03) << 6) | (frameLength >> 11));
    h[4] = static_cast<std::uint8_t>((frameLength >> 3) & 0xFF);
    h[5] = static_cast<std::uint8_t>(((frameLength & 0x07) << 5) | (kBufferFullnessVbr >> 6));
    // buffer fullness low 6 bits, number_of_raw_data_blocks_in_frame 0 (one block)
    h[6] = static_cast<std::uint8_t>((kBufferFullnessVbr & 0x3F) << 2);
    return h;
}

} // namespace stagecast::protocol::mpegts
