#include "HevcSps.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "BitReader.h"

namespace stagecast::protocol::codec {
namespace {

base::Result<VideoConfig> truncated(const BitReader& r) {
    return base::fail("hevc sps: " + r.error());
}

base::Result<VideoConfig> outOfRange(const char* field, std::uint64_t value, const char* allowed) {
    return base::fail("hevc sps: " + std::string(field) + " " + std::to_string(value) +
                      " invalid, allowed " + allowed);
}

std::string profileName(std::uint32_t profileIdc) {
    switch (profileIdc) {
    case 1:
        return "Main";
    case 2:
        return "Main 10";
    case 3:
        return "Main Still Picture";
    case 4:
        return "RExt";
    case 5:
        return "High Throughput";
    case 9:
        return "SCC";
    default:
        return "Profile " + std::to_string(profileIdc);
    }
}

struct ProfileTierLevel {
    std::uint32_t profileIdc = 0;
    std::uint32_t levelIdc = 0;
};

// profile_tier_level(1, maxSubLayersMinus1), 7.3.3.
ProfileTierLevel readProfileTierLevel(BitReader& r, std::uint32_t maxSubLayersMinus1) {
    ProfileTierLevel ptl;
    r.skip(2, "general_profile_space");
    r.skip(1, "general_tier_flag");
    ptl.profileIdc = r.bits(5, "general_profile_idc");
    r.skip(32, "general_profile_compatibility_flags");
    // progressive/interlaced/non-packed/frame-only flags and 44 bits of constraint flags.
    r.skip(48, "general_constraint_indicator_flags");
    ptl.levelIdc = r.bits(8, "general_level_idc");
    std::array<bool, 8> profilePresent{};
    std::array<bool, 8> levelPresent{};
    for (std::uint32_t i = 0; i < maxSubLayersMinus1; ++i) {
        profilePresent[i] = r.flag("sub_layer_profile_present_flag");
        levelPresent[i] = r.flag("sub_layer_level_present_flag");
    }
    if (maxSubLayersMinus1 > 0) {
        for (std::uint32_t i = maxSubLayersMinus1; i < 8; ++i) {
            r.skip(2, "reserved_zero_2bits");
        }
    }
    for (std::uint32_t i = 0; i < maxSubLayersMinus1; ++i) {
        if (profilePresent[i]) {
            r.skip(88, "sub_layer_profile");
        }
        if (levelPresent[i]) {
            r.skip(8, "sub_layer_level_idc");
        }
    }
    return ptl;
}

// scaling_list_data(), 7.3.4: nothing in it affects the picture size, so it is skipped.
bool skipScalingListData(BitReader& r) {
    for (int sizeId = 0; sizeId < 4; ++sizeId) {
        for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
            if (!r.flag("scaling_list_pred_mode_flag")) {
                r.ue("scaling_list_pred_matrix_id_delta");
                continue;
            }
            const int coefNum = std::min(64, 1 << (4 + (sizeId << 1)));
            if (sizeId > 1) {
                r.se("scaling_list_dc_coef_minus8");
            }
            for (int i = 0; i < coefNum && r.ok(); ++i) {
                r.se("scaling_list_delta_coef");
            }
        }
    }
    return r.ok();
}

// st_ref_pic_set(stRpsIdx), 7.3.7, as it appears in the SPS (stRpsIdx < num_sets, so
// delta_idx_minus1 is never coded and the reference set is always the previous one).
// Returns NumDeltaPocs[stRpsIdx] (7-61/7-62), needed to parse the next set.
base::Result<std::uint32_t> skipShortTermRefPicSet(BitReader& r, std::uint32_t idx,
                                                   const std::vector<std::uint32_t>& numDeltaPocs) {
    const bool interPrediction = idx != 0 && r.flag("inter_ref_pic_set_prediction_flag");
    if (interPrediction) {
        r.skip(1, "delta_rps_sign");
        const std::uint32_t absDelta = r.ue("abs_delta_rps_minus1");
        if (r.ok() && absDelta > 32767) {
            return base::fail("hevc sps: abs_delta_rps_minus1 " + std::to_string(absDelta) +
                              " invalid, allowed 0..32767");
        }
        std::uint32_t count = 0;
        const std::uint32_t refCount = numDeltaPocs[idx - 1];
        for (std::uint32_t j = 0; j <= refCount && r.ok(); ++j) {
            const bool used = r.flag("used_by_curr_pic_flag");
            const bool useDelta = used || r.flag("use_delta_flag");
            count += useDelta ? 1 : 0;
        }
        if (count > 32) {
            return base::fail("hevc sps: short-term ref pic set " + std::to_string(idx) + " has " +
                              std::to_string(count) + " pictures, allowed 0..32");
        }
        return count;
    }
    const std::uint32_t negative = r.ue("num_negative_pics");
    const std::uint32_t positive = r.ue("num_positive_pics");
    if (r.ok() && (negative > 16 || positive > 16)) {
        return base::fail("hevc sps: num_negative_pics/num_positive_pics " +
                          std::to_string(negative) + "/" + std::to_string(positive) +
                          " invalid, allowed 0..16 each");
    }
    for (std::uint32_t i = 0; i < negative + positive && r.ok(); ++i) {
        r.ue("delta_poc_minus1");
        r.skip(1, "used_by_curr_pic_flag");
    }
    return negative + positive;
}

} // namespace

base::Result<VideoConfig> parseHevcSps(std::span<const std::uint8_t> nal) {
    const std::vector<std::uint8_t> rbsp = nalToRbsp(nal);
    BitReader r(rbsp);

    r.skip(1, "forbidden_zero_bit");
    const std::uint32_t nalType = r.bits(6, "nal_unit_type");
    r.skip(6, "nuh_layer_id");
    r.skip(3, "nuh_temporal_id_plus1");
    if (!r.ok()) {
        return truncated(r);
    }
    if (nalType != 33) {
        return outOfRange("nal_unit_type", nalType, "33 (SPS)");
    }

    r.skip(4, "sps_video_parameter_set_id");
    const std::uint32_t maxSubLayersMinus1 = r.bits(3, "sps_max_sub_layers_minus1");
    r.skip(1, "sps_temporal_id_nesting_flag");
    if (r.ok() && maxSubLayersMinus1 > 6) {
        return outOfRange("sps_max_sub_layers_minus1", maxSubLayersMinus1, "0..6");
    }
    const ProfileTierLevel ptl = readProfileTierLevel(r, maxSubLayersMinus1);
    const std::uint32_t spsId = r.ue("sps_seq_parameter_set_id");
    const std::uint32_t chromaFormatIdc = r.ue("chroma_format_idc");
    if (!r.ok()) {
        return truncated(r);
    }
    if (spsId > 15) {
        return outOfRange("sps_seq_parameter_set_id", spsId, "0..15");
    }
    if (chromaFormatIdc > 3) {
        return outOfRange("chroma_format_idc", chromaFormatIdc, "0..3");
    }
    const bool separateColourPlane = chromaFormatIdc == 3 && r.flag("separate_colour_plane_flag");
    const std::uint32_t width = r.ue("pic_width_in_luma_samples");
    const std::uint32_t height = r.ue("pic_height_in_luma_samples");
    std::uint64_t winLeft = 0;
    std::uint64_t winRight = 0;
    std::uint64_t winTop = 0;
    std::uint64_t winBottom = 0;
    if (r.flag("conformance_window_flag")) {
        winLeft = r.ue("conf_win_left_offset");
        winRight = r.ue("conf_win_right_offset");
        winTop = r.ue("conf_win_top_offset");
        winBottom = r.ue("conf_win_bottom_offset");
    }
    if (!r.ok()) {
        return truncated(r);
    }
    if (width == 0 || height == 0) {
        return base::fail("hevc sps: picture size " + std::to_string(width) + "x" +
                          std::to_string(height) + " invalid, allowed non-zero");
    }

    // Table 6-1: the window offsets count in chroma samples.
    const std::uint32_t chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    const std::uint64_t subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
    const std::uint64_t subHeightC = chromaArrayType == 1 ? 2 : 1;
    const std::uint64_t cropX = subWidthC * (winLeft + winRight);
    const std::uint64_t cropY = subHeightC * (winTop + winBottom);
    if (cropX >= width || cropY >= height) {
        return base::fail("hevc sps: conformance window " + std::to_string(cropX) + "x" +
                          std::to_string(cropY) + " invalid, allowed less than the picture " +
                          std::to_string(width) + "x" + std::to_string(height));
    }

    VideoConfig config;
    config.codec = "hevc";
    config.profile = profileName(ptl.profileIdc);
    config.level = ptl.levelIdc / 30.0;
    config.width = static_cast<std::uint32_t>(width - cropX);
    config.height = static_cast<std::uint32_t>(height - cropY);

    // Everything below is parsed only to reach the VUI timing info.
    r.ue("bit_depth_luma_minus8");
    r.ue("bit_depth_chroma_minus8");
    const std::uint32_t log2MaxPocLsbMinus4 = r.ue("log2_max_pic_order_cnt_lsb_minus4");
    if (r.ok() && log2MaxPocLsbMinus4 > 12) {
        return outOfRange("log2_max_pic_order_cnt_lsb_minus4", log2MaxPocLsbMinus4, "0..12");
    }
    const bool orderingInfo = r.flag("sps_sub_layer_ordering_info_present_flag");
    for (std::uint32_t i = orderingInfo ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; ++i) {
        r.ue("sps_max_dec_pic_buffering_minus1");
        r.ue("sps_max_num_reorder_pics");
        r.ue("sps_max_latency_increase_plus1");
    }
    r.ue("log2_min_luma_coding_block_size_minus3");
    r.ue("log2_diff_max_min_luma_coding_block_size");
    r.ue("log2_min_luma_transform_block_size_minus2");
    r.ue("log2_diff_max_min_luma_transform_block_size");
    r.ue("max_transform_hierarchy_depth_inter");
    r.ue("max_transform_hierarchy_depth_intra");
    if (r.flag("scaling_list_enabled_flag") && r.flag("sps_scaling_list_data_present_flag") &&
        !skipScalingListData(r)) {
        return truncated(r);
    }
    r.skip(1, "amp_enabled_flag");
    r.skip(1, "sample_adaptive_offset_enabled_flag");
    if (r.flag("pcm_enabled_flag")) {
        r.skip(4, "pcm_sample_bit_depth_luma_minus1");
        r.skip(4, "pcm_sample_bit_depth_chroma_minus1");
        r.ue("log2_min_pcm_luma_coding_block_size_minus3");
        r.ue("log2_diff_max_min_pcm_luma_coding_block_size");
        r.skip(1, "pcm_loop_filter_disabled_flag");
    }
    const std::uint32_t numRefPicSets = r.ue("num_short_term_ref_pic_sets");
    if (!r.ok()) {
        return truncated(r);
    }
    if (numRefPicSets > 64) {
        return outOfRange("num_short_term_ref_pic_sets", numRefPicSets, "0..64");
    }
    std::vector<std::uint32_t> numDeltaPocs;
    for (std::uint32_t i = 0; i < numRefPicSets; ++i) {
        auto count = skipShortTermRefPicSet(r, i, numDeltaPocs);
        if (!count) {
            return base::fail(count.error());
        }
        if (!r.ok()) {
            return truncated(r);
        }
        numDeltaPocs.push_back(*count);
    }
    if (r.flag("long_term_ref_pics_present_flag")) {
        const std::uint32_t numLongTerm = r.ue("num_long_term_ref_pics_sps");
        if (r.ok() && numLongTerm > 32) {
            return outOfRange("num_long_term_ref_pics_sps", numLongTerm, "0..32");
        }
        for (std::uint32_t i = 0; i < numLongTerm && r.ok(); ++i) {
            r.skip(log2MaxPocLsbMinus4 + 4, "lt_ref_pic_poc_lsb_sps");
            r.skip(1, "used_by_curr_pic_lt_sps_flag");
        }
    }
    r.skip(1, "sps_temporal_mvp_enabled_flag");
    r.skip(1, "strong_intra_smoothing_enabled_flag");
    if (!r.flag("vui_parameters_present_flag")) {
        return r.ok() ? base::Result<VideoConfig>(config) : truncated(r);
    }

    // vui_parameters(), E.2.1, read up to vui_timing_info.
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
            r.skip(24, "colour_description");
        }
    }
    if (r.flag("chroma_loc_info_present_flag")) {
        r.ue("chroma_sample_loc_type_top_field");
        r.ue("chroma_sample_loc_type_bottom_field");
    }
    r.skip(1, "neutral_chroma_indication_flag");
    r.skip(1, "field_seq_flag");
    r.skip(1, "frame_field_info_present_flag");
    if (r.flag("default_display_window_flag")) {
        r.ue("def_disp_win_left_offset");
        r.ue("def_disp_win_right_offset");
        r.ue("def_disp_win_top_offset");
        r.ue("def_disp_win_bottom_offset");
    }
    if (r.flag("vui_timing_info_present_flag")) {
        const std::uint32_t unitsInTick = r.bits(32, "vui_num_units_in_tick");
        const std::uint32_t timeScale = r.bits(32, "vui_time_scale");
        // Unlike H.264, an HEVC tick is one picture (E.3.1).
        if (r.ok() && unitsInTick != 0 && timeScale != 0) {
            config.frameRate = static_cast<double>(timeScale) / unitsInTick;
        }
    }
    if (!r.ok()) {
        return truncated(r);
    }
    return config;
}

} // namespace stagecast::protocol::codec
