#include "DemuxConfigRecord.h"

#include <algorithm>
#include <array>
#include <string>

#include "base/ByteWriter.h"
#include "protocol/codec/BitReader.h"

namespace stagecast::protocol::mpegts::demux {

using codec::BitReader;

namespace {

tl::unexpected<base::Error> bitError(const char* what, const BitReader& r) {
    return base::fail(std::string(what) + ": " + r.error());
}

tl::unexpected<base::Error> outOfRange(const char* what, const char* field, std::uint64_t value,
                                       const char* allowed) {
    return base::fail(std::string(what) + ": " + field + " " + std::to_string(value) +
                      " invalid, allowed " + allowed);
}

// Profiles whose SPS carries chroma_format_idc and the bit depths (H.264 7.3.2.1.1).
bool avcSpsHasChromaInfo(std::uint32_t profileIdc) {
    constexpr std::array<std::uint32_t, 13> kProfiles = {100, 110, 122, 244, 44,  83, 86,
                                                         118, 128, 138, 139, 134, 135};
    return std::find(kProfiles.begin(), kProfiles.end(), profileIdc) != kProfiles.end();
}

// Profiles whose avcC carries the chroma/bit-depth trailer (ISO/IEC 14496-15 5.3.3.1.2).
bool avcRecordHasTrailer(std::uint8_t profileIdc) {
    return profileIdc == 100 || profileIdc == 110 || profileIdc == 122 || profileIdc == 144;
}

void writeNalWithLength16(base::ByteWriter& w, std::span<const std::uint8_t> nal) {
    w.u16be(static_cast<std::uint16_t>(nal.size()));
    w.bytes(nal);
}

base::Status checkNals(const char* what, const NalList& nals, std::size_t maxCount) {
    if (nals.empty()) {
        return base::fail(std::string(what) + " missing, need at least one");
    }
    if (nals.size() > maxCount) {
        return base::fail(std::string(what) + " count " + std::to_string(nals.size()) +
                          " invalid, allowed 1.." + std::to_string(maxCount));
    }
    for (const auto& nal : nals) {
        if (nal.size() > 0xFFFF) {
            return base::fail(std::string(what) + " of " + std::to_string(nal.size()) +
                              " bytes invalid, allowed up to 65535");
        }
    }
    return {};
}

} // namespace

base::Result<AvcSpsFields> parseAvcSpsFields(std::span<const std::uint8_t> nal) {
    constexpr const char* kWhat = "h264 sps";
    const auto rbsp = codec::nalToRbsp(nal);
    BitReader r(rbsp);
    r.skip(3, "forbidden_zero_bit/nal_ref_idc");
    const std::uint32_t nalType = r.bits(5, "nal_unit_type");
    AvcSpsFields f;
    f.profileIdc = static_cast<std::uint8_t>(r.bits(8, "profile_idc"));
    f.constraintFlags = static_cast<std::uint8_t>(r.bits(8, "constraint_set_flags"));
    f.levelIdc = static_cast<std::uint8_t>(r.bits(8, "level_idc"));
    f.spsId = r.ue("seq_parameter_set_id");
    if (r.ok() && avcSpsHasChromaInfo(f.profileIdc)) {
        f.chromaFormatIdc = r.ue("chroma_format_idc");
        if (f.chromaFormatIdc == 3) {
            r.skip(1, "separate_colour_plane_flag");
        }
        f.bitDepthLumaMinus8 = r.ue("bit_depth_luma_minus8");
        f.bitDepthChromaMinus8 = r.ue("bit_depth_chroma_minus8");
    }
    if (!r.ok()) {
        return bitError(kWhat, r);
    }
    if (nalType != 7) {
        return outOfRange(kWhat, "nal_unit_type", nalType, "7");
    }
    if (f.spsId > 31) {
        return outOfRange(kWhat, "seq_parameter_set_id", f.spsId, "0..31");
    }
    if (f.chromaFormatIdc > 3) {
        return outOfRange(kWhat, "chroma_format_idc", f.chromaFormatIdc, "0..3");
    }
    if (f.bitDepthLumaMinus8 > 6 || f.bitDepthChromaMinus8 > 6) {
        return outOfRange(kWhat, "bit_depth_minus8",
                          std::max(f.bitDepthLumaMinus8, f.bitDepthChromaMinus8), "0..6");
    }
    return f;
}

base::Result<std::uint32_t> parseAvcPpsId(std::span<const std::uint8_t> nal) {
    const auto rbsp = codec::nalToRbsp(nal.first(std::min<std::size_t>(nal.size(), 16)));
    BitReader r(rbsp);
    r.skip(8, "nal_unit_header");
    const std::uint32_t id = r.ue("pic_parameter_set_id");
    if (!r.ok()) {
        return bitError("h264 pps", r);
    }
    if (id > 255) {
        return outOfRange("h264 pps", "pic_parameter_set_id", id, "0..255");
    }
    return id;
}

base::Result<std::vector<std::uint8_t>> buildAvcRecord(const NalList& sps, const NalList& pps) {
    if (auto ok = checkNals("avcC: SPS", sps, 31); !ok) {
        return base::fail(ok.error());
    }
    if (auto ok = checkNals("avcC: PPS", pps, 255); !ok) {
        return base::fail(ok.error());
    }
    const auto fields = parseAvcSpsFields(sps.front());
    if (!fields) {
        return base::fail(fields.error().withContext("avcC"));
    }
    std::vector<std::uint8_t> record;
    base::ByteWriter w(record);
    w.u8(1); // configurationVersion
    w.u8(fields->profileIdc);
    w.u8(fields->constraintFlags);
    w.u8(fields->levelIdc);
    w.u8(0xFC | 3); // reserved '111111', lengthSizeMinusOne 3
    w.u8(static_cast<std::uint8_t>(0xE0 | sps.size()));
    for (const auto& nal : sps) {
        writeNalWithLength16(w, nal);
    }
    w.u8(static_cast<std::uint8_t>(pps.size()));
    for (const auto& nal : pps) {
        writeNalWithLength16(w, nal);
    }
    if (avcRecordHasTrailer(fields->profileIdc)) {
        w.u8(static_cast<std::uint8_t>(0xFC | fields->chromaFormatIdc));
        w.u8(static_cast<std::uint8_t>(0xF8 | fields->bitDepthLumaMinus8));
        w.u8(static_cast<std::uint8_t>(0xF8 | fields->bitDepthChromaMinus8));
        w.u8(0); // numOfSequenceParameterSetExt
    }
    return record;
}

base::Result<HevcSpsFields> parseHevcSpsFields(std::span<const std::uint8_t> nal) {
    constexpr const char* kWhat = "hevc sps";
    const auto rbsp = codec::nalToRbsp(nal);
    BitReader r(rbsp);
    r.skip(1, "forbidden_zero_bit");
    const std::uint32_t nalType = r.bits(6, "nal_unit_type");
    r.skip(9, "nuh_layer_id/nuh_temporal_id_plus1");
    HevcSpsFields f;
    r.skip(4, "sps_video_parameter_set_id");
    f.maxSubLayersMinus1 = r.bits(3, "sps_max_sub_layers_minus1");
    f.temporalIdNesting = r.flag("sps_temporal_id_nesting_flag");
    // profile_tier_level(1, sps_max_sub_layers_minus1), 7.3.3.
    f.profileSpace = static_cast<std::uint8_t>(r.bits(2, "general_profile_space"));
    f.tierFlag = r.flag("general_tier_flag");
    f.profileIdc = static_cast<std::uint8_t>(r.bits(5, "general_profile_idc"));
    f.compatibilityFlags = r.bits(32, "general_profile_compatibility_flags");
    const std::uint64_t constraintHigh = r.bits(16, "general_constraint_indicator_flags");
    f.constraintFlags = (constraintHigh << 32) | r.bits(32, "general_constraint_indicator_flags");
    f.levelIdc = static_cast<std::uint8_t>(r.bits(8, "general_level_idc"));
    std::array<bool, 8> profilePresent{};
    std::array<bool, 8> levelPresent{};
    for (std::uint32_t i = 0; i < f.maxSubLayersMinus1; ++i) {
        profilePresent[i] = r.flag("sub_layer_profile_present_flag");
        levelPresent[i] = r.flag("sub_layer_level_present_flag");
    }
    if (f.maxSubLayersMinus1 > 0) {
        r.skip(2 * (8 - f.maxSubLayersMinus1), "reserved_zero_2bits");
    }
    for (std::uint32_t i = 0; i < f.maxSubLayersMinus1; ++i) {
        r.skip(profilePresent[i] ? 88 : 0, "sub_layer_profile");
        r.skip(levelPresent[i] ? 8 : 0, "sub_layer_level_idc");
    }
    f.spsId = r.ue("sps_seq_parameter_set_id");
    f.chromaFormatIdc = r.ue("chroma_format_idc");
    if (f.chromaFormatIdc == 3) {
        r.skip(1, "separate_colour_plane_flag");
    }
    r.ue("pic_width_in_luma_samples");
    r.ue("pic_height_in_luma_samples");
    if (r.flag("conformance_window_flag")) {
        for (int i = 0; i < 4; ++i) {
            r.ue("conf_win_offset");
        }
    }
    f.bitDepthLumaMinus8 = r.ue("bit_depth_luma_minus8");
    f.bitDepthChromaMinus8 = r.ue("bit_depth_chroma_minus8");
    if (!r.ok()) {
        return bitError(kWhat, r);
    }
    if (nalType != 33) {
        return outOfRange(kWhat, "nal_unit_type", nalType, "33");
    }
    if (f.maxSubLayersMinus1 > 6) {
        return outOfRange(kWhat, "sps_max_sub_layers_minus1", f.maxSubLayersMinus1, "0..6");
    }
    if (f.spsId > 15) {
        return outOfRange(kWhat, "sps_seq_parameter_set_id", f.spsId, "0..15");
    }
    if (f.chromaFormatIdc > 3) {
        return outOfRange(kWhat, "chroma_format_idc", f.chromaFormatIdc, "0..3");
    }
    // The record's fields are 3 bits wide, so 16-bit video (minus8 = 8) has no record form.
    if (f.bitDepthLumaMinus8 > 7 || f.bitDepthChromaMinus8 > 7) {
        return outOfRange(kWhat, "bit_depth_minus8",
                          std::max(f.bitDepthLumaMinus8, f.bitDepthChromaMinus8), "0..7");
    }
    return f;
}

base::Result<std::uint32_t> parseHevcParameterSetId(std::span<const std::uint8_t> nal) {
    const auto rbsp = codec::nalToRbsp(nal.first(std::min<std::size_t>(nal.size(), 16)));
    BitReader r(rbsp);
    r.skip(1, "forbidden_zero_bit");
    const std::uint32_t nalType = r.bits(6, "nal_unit_type");
    r.skip(9, "nuh_layer_id/nuh_temporal_id_plus1");
    std::uint32_t id = 0;
    if (nalType == 32) {
        id = r.bits(4, "vps_video_parameter_set_id");
    } else if (nalType == 34) {
        id = r.ue("pps_pic_parameter_set_id");
        if (r.ok() && id > 63) {
            return outOfRange("hevc pps", "pps_pic_parameter_set_id", id, "0..63");
        }
    } else {
        return outOfRange("hevc parameter set", "nal_unit_type", nalType, "32 (VPS) or 34 (PPS)");
    }
    if (!r.ok()) {
        return bitError("hevc parameter set", r);
    }
    return id;
}

base::Result<std::vector<std::uint8_t>> buildHevcRecord(const NalList& vps, const NalList& sps,
                                                        const NalList& pps) {
    if (auto ok = checkNals("hvcC: VPS", vps, 16); !ok) {
        return base::fail(ok.error());
    }
    if (auto ok = checkNals("hvcC: SPS", sps, 16); !ok) {
        return base::fail(ok.error());
    }
    if (auto ok = checkNals("hvcC: PPS", pps, 64); !ok) {
        return base::fail(ok.error());
    }
    const auto f = parseHevcSpsFields(sps.front());
    if (!f) {
        return base::fail(f.error().withContext("hvcC"));
    }
    std::vector<std::uint8_t> record;
    base::ByteWriter w(record);
    w.u8(1); // configurationVersion
    w.u8(static_cast<std::uint8_t>((f->profileSpace << 6) | (f->tierFlag ? 0x20 : 0) |
                                   f->profileIdc));
    w.u32be(f->compatibilityFlags);
    w.u16be(static_cast<std::uint16_t>(f->constraintFlags >> 32));
    w.u32be(static_cast<std::uint32_t>(f->constraintFlags));
    w.u8(f->levelIdc);
    // min_spatial_segmentation_idc lives in the VUI; 0 means "no guarantee", always valid.
    w.u16be(0xF000);
    w.u8(0xFC); // parallelismType 0 (unknown)
    w.u8(static_cast<std::uint8_t>(0xFC | f->chromaFormatIdc));
    w.u8(static_cast<std::uint8_t>(0xF8 | f->bitDepthLumaMinus8));
    w.u8(static_cast<std::uint8_t>(0xF8 | f->bitDepthChromaMinus8));
    w.u16be(0); // avgFrameRate unknown
    // constantFrameRate 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne 3.
    w.u8(static_cast<std::uint8_t>(((f->maxSubLayersMinus1 + 1) << 3) |
                                   (f->temporalIdNesting ? 0x04 : 0) | 3));
    w.u8(3); // numOfArrays
    const std::array<std::pair<std::uint8_t, const NalList*>, 3> arrays = {
        {{32, &vps}, {33, &sps}, {34, &pps}}};
    for (const auto& [type, nals] : arrays) {
        w.u8(static_cast<std::uint8_t>(0x80 | type)); // array_completeness 1
        w.u16be(static_cast<std::uint16_t>(nals->size()));
        for (const auto& nal : *nals) {
            writeNalWithLength16(w, nal);
        }
    }
    return record;
}

} // namespace stagecast::protocol::mpegts::demux
