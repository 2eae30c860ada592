#pragma once
/// Decoder configuration records built from in-band parameter sets, the payload of FLV/RTMP
/// sequence headers: AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) and
/// HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1), both with 4-byte NAL lengths.

#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::mpegts::demux {

using NalList = std::vector<std::span<const std::uint8_t>>;

/// The H.264 SPS fields the record repeats (ITU-T H.264 7.3.2.1.1).
struct AvcSpsFields {
    std::uint8_t profileIdc = 0;
    std::uint8_t constraintFlags = 0; // profile_compatibility in the record
    std::uint8_t levelIdc = 0;
    std::uint32_t spsId = 0;
    std::uint32_t chromaFormatIdc = 1;
    std::uint32_t bitDepthLumaMinus8 = 0;
    std::uint32_t bitDepthChromaMinus8 = 0;
};

/// `nal` is an SPS NAL unit with its header and emulation-prevention bytes.
base::Result<AvcSpsFields> parseAvcSpsFields(std::span<const std::uint8_t> nal);
/// pic_parameter_set_id of an H.264 PPS NAL unit (7.3.2.2).
base::Result<std::uint32_t> parseAvcPpsId(std::span<const std::uint8_t> nal);

/// The record from the SPS and PPS NAL units; the profile fields come from sps.front().
/// Fails when a list is empty, the first SPS does not parse or a list is too long (31 SPS,
/// 255 PPS).
base::Result<std::vector<std::uint8_t>> buildAvcRecord(const NalList& sps, const NalList& pps);

/// The H.265 SPS fields the record repeats (ITU-T H.265 7.3.2.2.1, profile_tier_level 7.3.3).
struct HevcSpsFields {
    std::uint8_t profileSpace = 0;
    bool tierFlag = false;
    std::uint8_t profileIdc = 0;
    std::uint32_t compatibilityFlags = 0;
    std::uint64_t constraintFlags = 0; // 48 bits
    std::uint8_t levelIdc = 0;
    std::uint32_t maxSubLayersMinus1 = 0;
    bool temporalIdNesting = false;
    std::uint32_t spsId = 0;
    std::uint32_t chromaFormatIdc = 1;
    std::uint32_t bitDepthLumaMinus8 = 0;
    std::uint32_t bitDepthChromaMinus8 = 0;
};

/// `nal` is an SPS NAL unit (type 33) with its 2-byte header and emulation-prevention bytes.
base::Result<HevcSpsFields> parseHevcSpsFields(std::span<const std::uint8_t> nal);
/// vps_video_parameter_set_id of a VPS (7.3.2.1) or pps_pic_parameter_set_id of a PPS
/// (7.3.2.3), chosen by the NAL unit type.
base::Result<std::uint32_t> parseHevcParameterSetId(std::span<const std::uint8_t> nal);

/// The record with one array each for VPS, SPS and PPS (array_completeness 1); the general
/// profile/tier/level, chroma and bit depth fields come from sps.front().
base::Result<std::vector<std::uint8_t>> buildHevcRecord(const NalList& vps, const NalList& sps,
                                                        const NalList& pps);

} // namespace stagecast::protocol::mpegts::demux
