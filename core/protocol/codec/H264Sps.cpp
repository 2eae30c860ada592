#include "H264Sps.h"

#include <string>
#include <vector>

#include "BitReader.h"

namespace stagecast::protocol::codec {
namespace {

base::Result<VideoConfig> truncated(const BitReader& r) {
    return base::fail("h264 sps: " + r.error());
}

base::Result<VideoConfig> outOfRange(const char* field, std::uint64_t value, const char* allowed) {
    return base::fail("h264 sps: " + std::string(field) + " " + std::to_string(value) +
                      " invalid, allowed " + allowed);
}

// Profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices
// (the profile_idc list in 7.3.2.1.1).
bool hasChromaInfo(std::uint32_t profileIdc) {
    switch (profileIdc) {
    case 100:
    case 110:
    case 122:
    case 244:
    case 44:
    case 83:
    case 86:
    case 118:
    case 128:
    case 138:
    case 139:
    case 134:
    case 135:
        return true;
    default:
        return false;
    }
}

std::string profileName(std::uint32_t profileIdc, std::uint32_t constraints) {
    const bool set1 = (constraints & 0x40U) != 0;
    const bool set3 = (constraints & 0x10U) != 0;
    switch (profileIdc) {
    case 66:
        return set1 ? "Constrained Baseline" : "Baseline";
    case 77:
        return "Main";
    case 88:
        return "Extended";
    case 100:
        return "High";
    case 110:
        return set3 ? "High 10 Intra" : "High 10";
    case 122:
        return set3 ? "High 4:2:2 Intra" : "High 4:2:2";
    case 244:
        return set3 ? "High 4:4:4 Intra" : "High 4:4:4";
    case 44:
        return "CAVLC 4:4:4 Intra";
    case 83:
        return "Scalable Baseline";
    case 86:
        return "Scalable High";
    case 118:
        return "Multiview High";
    case 128:
        return "Stereo High";
    case 134:
        return "MFC High";
    case 135:
        return "MFC Depth High";
    case 138:
        return "Multiview Depth High";
    case 139:
        return "Enhanced Multiview Depth High";
    default:
        return "Profile " + std::to_string(profileIdc);
    }
}

// scaling_list() of 7.3.2.1.1.1: only the delta_scale values are coded, and coding stops
// early once nextScale reaches 0 (the "use default matrix" / "repeat last value" cases).
// Returns false on a delta outside -128..127.
bool skipScalingList(BitReader& r, int size) {
    int lastScale = 8;
    int nextScale = 8;
    for (int j = 0; j < size && r.ok(); ++j) {
        if (nextScale != 0) {
            const std::int32_t delta = r.se("delta_scale");
            if (delta < -128 || delta > 127) {
                return false;
            }
            nextScale = (lastScale + delta + 256) % 256;
        }
        lastScale = nextScale == 0 ? lastScale : nextScale;
    }
    return true;
}

} // namespace

base::Result<VideoConfig> parseH264Sps(std::span<const std::uint8_t> nal) {
    const std::vector<std::uint8_t> rbsp = nalToRbsp(nal);
    BitReader r(rbsp);

    r.skip(1, "forbidden_zero_bit");
    r.skip(2, "nal_ref_idc");
    const std::uint32_t nalType = r.bits(5, "nal_unit_type");
    if (!r.ok()) {
        return truncated(r);
    }
    if (nalType != 7) {
        return outOfRange("nal_unit_type", nalType, "7 (SPS)");
    }

    const std::uint32_t profileIdc = r.bits(8, "profile_idc");
    const std::uint32_t constraints = r.bits(8, "constraint_set_flags");
    const std::uint32_t levelIdc = r.bits(8, "level_idc");
    const std::uint32_t spsId = r.ue("seq_parameter_set_id");
    if (!r.ok()) {
        return truncated(r);
    }
    if (spsId > 31) {
        return outOfRange("seq_parameter_set_id", spsId, "0..31");
    }

    std::uint32_t chromaFormatIdc = 1;
    bool separateColourPlane = false;
    if (hasChromaInfo(profileIdc)) {
        chromaFormatIdc = r.ue("chroma_format_idc");
        if (r.ok() && chromaFormatIdc > 3) {
            return outOfRange("chroma_format_idc", chromaFormatIdc, "0..3");
        }
        if (chromaFormatIdc == 3) {
            separateColourPlane = r.flag("separate_colour_plane_flag");
        }
        const std::uint32_t depthLuma = r.ue("bit_depth_luma_minus8");
        const std::uint32_t depthChroma = r.ue("bit_depth_chroma_minus8");
        if (r.ok() && depthLuma > 6) {
            return outOfRange("bit_depth_luma_minus8", depthLuma, "0..6");
        }
        if (r.ok() && depthChroma > 6) {
            return outOfRange("bit_depth_chroma_minus8", depthChroma, "0..6");
        }
        r.skip(1, "qpprime_y_zero_transform_bypass_flag");
        if (r.flag("seq_scaling_matrix_present_flag")) {
            const int lists = chromaFormatIdc != 3 ? 8 : 12;
            for (int i = 0; i < lists && r.ok(); ++i) {
                if (r.flag("seq_scaling_list_present_flag") &&
                    !skipScalingList(r, i < 6 ? 16 : 64)) {
                    return base::fail("h264 sps: delta_scale invalid, allowed -128..127");
                }
            }
        }
    }

    const std::uint32_t log2MaxFrameNum = r.ue("log2_max_frame_num_minus4");
    const std::uint32_t pocType = r.ue("pic_order_cnt_type");
    if (!r.ok()) {
        return truncated(r);
    }
    if (log2MaxFrameNum > 12) {
        return outOfRange("log2_max_frame_num_minus4", log2MaxFrameNum, "0..12");
    }
    if (pocType == 0) {
        const std::uint32_t log2MaxPocLsb = r.ue("log2_max_pic_order_cnt_lsb_minus4");
        if (r.ok() && log2MaxPocLsb > 12) {
            return outOfRange("log2_max_pic_order_cnt_lsb_minus4", log2MaxPocLsb, "0..12");
        }
    } else if (pocType == 1) {
        r.skip(1, "delta_pic_order_always_zero_flag");
        r.se("offset_for_non_ref_pic");
        r.se("offset_for_top_to_bottom_field");
        const std::uint32_t cycle = r.ue("num_ref_frames_in_pic_order_cnt_cycle");
        if (r.ok() && cycle > 255) {
            return outOfRange("num_ref_frames_in_pic_order_cnt_cycle", cycle, "0..255");
        }
        for (std::uint32_t i = 0; i < cycle && r.ok(); ++i) {
            r.se("offset_for_ref_frame");
        }
    } else if (pocType != 2) {
        return outOfRange("pic_order_cnt_type", pocType, "0..2");
    }

    r.ue("max_num_ref_frames");
    r.skip(1, "gaps_in_frame_num_value_allowed_flag");
    const std::uint64_t widthMbs = std::uint64_t{r.ue("pic_width_in_mbs_minus1")} + 1;
    const std::uint64_t heightMapUnits = std::uint64_t{r.ue("pic_height_in_map_units_minus1")} + 1;
    const bool frameMbsOnly = r.flag("frame_mbs_only_flag");
    if (!frameMbsOnly) {
        r.skip(1, "mb_adaptive_frame_field_flag");
    }
    r.skip(1, "direct_8x8_inference_flag");
    std::uint64_t cropLeft = 0;
    std::uint64_t cropRight = 0;
    std::uint64_t cropTop = 0;
    std::uint64_t cropBottom = 0;
    if (r.flag("frame_cropping_flag")) {
        cropLeft = r.ue("frame_crop_left_offset");
        cropRight = r.ue("frame_crop_right_offset");
        cropTop = r.ue("frame_crop_top_offset");
        cropBottom = r.ue("frame_crop_bottom_offset");
    }
    const bool vuiPresent = r.flag("vui_parameters_present_flag");
    if (!r.ok()) {
        return truncated(r);
    }

    // Level 6.2 allows 139264 macroblocks per frame; anything far beyond is corrupt data.
    constexpr std::uint64_t kMaxMbsPerSide = 8192;
    if (widthMbs > kMaxMbsPerSide) {
        return outOfRange("pic_width_in_mbs_minus1", widthMbs - 1, "0..8191");
    }
    if (heightMapUnits > kMaxMbsPerSide) {
        return outOfRange("pic_height_in_map_units_minus1", heightMapUnits - 1, "0..8191");
    }

    // 7.4.2.1.1: crop offsets count in chroma samples (and in field pairs when the stream
    // may be interlaced); monochrome and separately coded colour planes crop in luma units.
    const std::uint32_t chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const std::uint64_t subWidthC = chromaArrayType == 3 ? 1 : 2;
    const std::uint64_t subHeightC = chromaArrayType == 1 ? 2 : 1;
    const std::uint64_t fieldFactor = frameMbsOnly ? 1 : 2;
    const std::uint64_t cropUnitX = chromaArrayType == 0 ? 1 : subWidthC;
    const std::uint64_t cropUnitY = chromaArrayType == 0 ? fieldFactor : subHeightC * fieldFactor;
    const std::uint64_t codedWidth = widthMbs * 16;
    const std::uint64_t codedHeight = heightMapUnits * 16 * fieldFactor;
    const std::uint64_t cropX = cropUnitX * (cropLeft + cropRight);
    const std::uint64_t cropY = cropUnitY * (cropTop + cropBottom);
    if (cropX >= codedWidth) {
        return base::fail("h264 sps: horizontal crop " + std::to_string(cropX) +
                          " invalid, allowed less than the coded width " +
                          std::to_string(codedWidth));
    }
    if (cropY >= codedHeight) {
        return base::fail("h264 sps: vertical crop " + std::to_string(cropY) +
                          " invalid, allowed less than the coded height " +
                          std::to_string(codedHeight));
    }

    VideoConfig config;
    config.codec = "h264";
    config.profile = profileName(profileIdc, constraints);
    config.level = levelIdc / 10.0;
    config.width = static_cast<std::uint32_t>(codedWidth - cropX);
    config.height = static_cast<std::uint32_t>(codedHeight - cropY);

    if (!vuiPresent) {
        return config;
    }
    // vui_parameters(), E.1.1, read up to timing_info.
    if (r.flag("aspect_ratio_info_present_flag")) {
        constexpr std::uint32_t kExtendedSar = 255;
        if (r.bits(8, "aspect_ratio_idc") == kExtendedSar) {
            r.skip(16, "sar_width");
            r.skip(16, "sar_height");
        }
    }
    if (r.flag("overscan_info_present_flag")) {
        r.skip(1, "overscan_appropriate_flag");
    }
    if (r.flag("video_signal_type_present_flag")) {
        r.skip(3, "video_format");
        r.skip(1, "video_full_range_flag");
        if (r.flag("colour_description_present_flag")) {
            r.skip(8, "colour_primaries");
            r.skip(8, "transfer_characteristics");
            r.skip(8, "matrix_coefficients");
        }
    }
    if (r.flag("chroma_loc_info_present_flag")) {
        r.ue("chroma_sample_loc_type_top_field");
        r.ue("chroma_sample_loc_type_bottom_field");
    }
    if (r.flag("timing_info_present_flag")) {
        const std::uint32_t unitsInTick = r.bits(32, "num_units_in_tick");
        const std::uint32_t timeScale = r.bits(32, "time_scale");
        if (!r.ok()) {
            return truncated(r);
        }
        // E.2.1: one frame lasts two ticks (a tick is one field).
        if (unitsInTick != 0 && timeScale != 0) {
            config.frameRate = timeScale / (2.0 * unitsInTick);
        }
    }
    if (!r.ok()) {
        return truncated(r);
    }
    return config;
}

} // namespace stagecast::protocol::codec
