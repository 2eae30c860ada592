#pragma once
/// ADTS framing of raw AAC frames (ISO/IEC 13818-7 6.2 adts_fixed_header /
/// adts_variable_header), the form MPEG-TS stream type 0x0F carries. The ADTS fields come from
/// the MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) of the stream.

#include <array>
#include <cstdint>
#include <span>

#include "base/Result.h"

namespace stagecast::protocol::mpegts {

/// What an ADTS header repeats from the AudioSpecificConfig.
struct AdtsConfig {
    std::uint8_t objectType = 2;             // AAC LC; ADTS profile = objectType - 1
    std::uint8_t samplingFrequencyIndex = 4; // 44100 Hz
    std::uint8_t channelConfiguration = 2;
};

/// Derives the ADTS fields from an AudioSpecificConfig. With explicit SBR/PS signalling
/// (audioObjectType 5 or 29) the core object type and the core sampling rate go into ADTS,
/// as decoders find SBR implicitly. Fails for what ADTS cannot say: object types above 4,
/// channelConfiguration 0 (a program_config_element), sampling rates outside the index table.
base::Result<AdtsConfig> adtsConfigFromAsc(std::span<const std::uint8_t> asc);

inline constexpr std::size_t kAdtsHeaderSize = 7;
/// The largest raw frame one ADTS header can frame (frame_length is 13 bits).
inline constexpr std::size_t kAdtsMaxPayload = 8191 - kAdtsHeaderSize;

/// The 7-byte header (protection_absent = 1, no CRC) for a raw frame of `payloadSize` bytes
/// (at most kAdtsMaxPayload).
std::array<std::uint8_t, kAdtsHeaderSize> adtsHeader(const AdtsConfig& config,
                                                     std::size_t payloadSize);

} // namespace stagecast::protocol::mpegts
