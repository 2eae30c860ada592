#pragma once
/// From the ISO/IEC 14496-15 form of H.264/H.265 (decoder configuration record plus
/// length-prefixed NAL units, as carried in FLV/RTMP and MP4) to the ITU-T H.264 annex B /
/// H.265 annex B byte stream that MPEG-TS carries (start-code-prefixed NAL units).

#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::mpegts {

enum class NalCodec : std::uint8_t { H264, Hevc };

/// The parameter sets of a decoder configuration record, in the order a decoder needs them
/// (H.265: VPS, SPS, PPS; H.264: SPS, PPS), and the size of the NAL unit length prefix.
struct ParameterSets {
    NalCodec codec = NalCodec::H264;
    std::uint8_t nalLengthSize = 4;
    std::vector<std::vector<std::uint8_t>> nalUnits;
};

/// AVCDecoderConfigurationRecord, ISO/IEC 14496-15 5.3.3.1. Needs at least one SPS and PPS.
base::Result<ParameterSets> parseAvcDecoderConfig(std::span<const std::uint8_t> record);
/// HEVCDecoderConfigurationRecord, ISO/IEC 14496-15 8.3.3.1. Needs at least one VPS, SPS and
/// PPS; other arrays (SEI) are skipped.
base::Result<ParameterSets> parseHevcDecoderConfig(std::span<const std::uint8_t> record);

/// Splits `data` into its length-prefixed NAL units (`lengthSize` 1..4 bytes, big-endian).
/// Zero-length units are dropped. Fails when a length runs past the end of `data`.
base::Status splitNalUnits(std::span<const std::uint8_t> data, std::uint8_t lengthSize,
                           std::vector<std::span<const std::uint8_t>>& out);

/// nal_unit_type of a NAL unit (H.264 7.3.1: 5 bits; H.265 7.3.1.2: 6 bits); the NAL unit
/// must not be empty.
std::uint8_t nalUnitType(NalCodec codec, std::span<const std::uint8_t> nal);

/// Appends the 4-byte start code 00 00 00 01 (zero_byte + start_code_prefix_one_3bytes,
/// H.264 B.1.1) and the NAL unit.
void appendAnnexB(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> nal);

namespace nal {
inline constexpr std::uint8_t kH264Idr = 5;
inline constexpr std::uint8_t kH264Sps = 7;
inline constexpr std::uint8_t kH264Pps = 8;
inline constexpr std::uint8_t kH264Aud = 9;
inline constexpr std::uint8_t kHevcBlaWlp = 16; // first IRAP type (16..23, H.265 table 7-1)
inline constexpr std::uint8_t kHevcRsvIrap23 = 23;
inline constexpr std::uint8_t kHevcVps = 32;
inline constexpr std::uint8_t kHevcSps = 33;
inline constexpr std::uint8_t kHevcPps = 34;
inline constexpr std::uint8_t kHevcAud = 35;
} // namespace nal

} // namespace stagecast::protocol::mpegts
