#pragma once
/// Builds hub packet payloads (FLV tag bodies, as RTMP carries them) from an encoder's output:
/// H.264 in Annex-B form (what obs_x264 produces) and raw AAC. Pure functions, no libobs.
/// Layout: FLV spec 10.1, E.4.3 (VIDEODATA / AVCVIDEOPACKET), E.4.2 (AUDIODATA /
/// AACAUDIODATA); the configuration record is ISO/IEC 14496-15 5.2.4.1.

#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::director {

/// Splits an Annex-B byte stream at its start codes (3 or 4 bytes); empty units are skipped.
std::vector<std::span<const std::uint8_t>> splitAnnexB(std::span<const std::uint8_t> stream);

/// The NAL units of `stream`, each prefixed by its 4-byte big-endian size (AVCC form).
std::vector<std::uint8_t> toLengthPrefixed(std::span<const std::uint8_t> stream);

/// An AVCDecoderConfigurationRecord from the SPS and PPS found in an Annex-B header block.
/// Fails naming what is missing ("no SPS in the encoder's header").
base::Result<std::vector<std::uint8_t>> avcConfigRecord(std::span<const std::uint8_t> headers);

/// 0x17 0x00 000000 + record.
std::vector<std::uint8_t> avcSequenceHeader(std::span<const std::uint8_t> record);
/// 0x17/0x27 0x01 + 24-bit composition time + AVCC data.
std::vector<std::uint8_t> avcFrame(bool keyframe, std::int32_t compositionMs,
                                   std::span<const std::uint8_t> lengthPrefixed);
/// 0xAF 0x00 + AudioSpecificConfig.
std::vector<std::uint8_t> aacSequenceHeader(std::span<const std::uint8_t> asc);
/// 0xAF 0x01 + raw AAC frame.
std::vector<std::uint8_t> aacFrame(std::span<const std::uint8_t> raw);

} // namespace stagecast::director
