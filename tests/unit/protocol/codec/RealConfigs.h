#pragma once
/// Decoder configuration records taken from real encoder output (ffmpeg 5.1 with libx264,
/// libx265, libaom, SVT-AV1 and its native AAC encoder). H.264 records are the bodies of FLV
/// AVC sequence-header tags minus the 5-byte tag header; HEVC and AV1 records are the hvcC /
/// av1C boxes of MP4 files (ffmpeg 5.1 refuses HEVC/AV1 in FLV). The expected values in the
/// tests are ffprobe's view of the same streams. Field comments were decoded independently
/// of the parser under test.

#include <cstdint>

namespace stagecast::test {

// x264 -profile:v high, 1280x720 @ 30 (ffprobe: High, level 31, 1280x720, 30/1)
const std::uint8_t kAvcHigh720p30[] = {
    0x01,             // configurationVersion
    0x64, 0x00, 0x1f, // AVCProfileIndication 100, profile_compatibility 0x00, AVCLevelIndication 31
    0xff,             // reserved 111111, lengthSizeMinusOne 3
    0xe1,             // reserved 111, numOfSequenceParameterSets 1
    0x00, 0x1a,       // sequenceParameterSetLength 26
    // SPS NAL unit (0x67: nal_ref_idc 3, nal_unit_type 7). Decoded fields:
    // profile_idc=100, constraints=0, level_idc=31, sps_id=0, chroma_format_idc=1,
    // bit_depth_luma_minus8=0, bit_depth_chroma_minus8=0, qpprime=0, seq_scaling_matrix_present=0,
    // log2_max_frame_num_minus4=0, poc_type=0, log2_max_poc_lsb_minus4=2, max_num_ref_frames=4,
    // gaps=0, pic_width_in_mbs_minus1=79, pic_height_in_map_units_minus1=44, frame_mbs_only=1,
    // direct_8x8=1, frame_cropping=0, vui_present=1, aspect_ratio_info_present=1,
    // aspect_ratio_idc=1, overscan_info_present=0, video_signal_type_present=0,
    // chroma_loc_present=0, timing_info_present=1, num_units_in_tick=1, time_scale=60,
    // fixed_frame_rate=0
    0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9, 0x40, 0x50, 0x05, 0xbb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00,
    0x10, 0x00, 0x00, 0x03, 0x03, 0xc0, 0xf1, 0x83, 0x19, 0x60,
    0x01,                               // numOfPictureParameterSets 1
    0x00, 0x06,                         // pictureParameterSetLength 6
    0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0, // PPS NAL unit (0x68)
    0xfd, 0xf8, 0xf8,
    0x00, // High-profile trailer: chroma_format, bit depths, numOfSequenceParameterSetExt 0
};

// x264 -profile:v main, 854x480 @ 25: 54 MBs wide, cropped by 5 x 2 columns (ffprobe: Main, 30,
// 854x480, 25/1)
const std::uint8_t kAvcMain854x480[] = {
    0x01,             // configurationVersion
    0x4d, 0x40, 0x1e, // AVCProfileIndication 77, profile_compatibility 0x40, AVCLevelIndication 30
    0xff,             // reserved 111111, lengthSizeMinusOne 3
    0xe1,             // reserved 111, numOfSequenceParameterSets 1
    0x00, 0x18,       // sequenceParameterSetLength 24
    // SPS NAL unit (0x67: nal_ref_idc 3, nal_unit_type 7). Decoded fields:
    // profile_idc=77, constraints=64, level_idc=30, sps_id=0, log2_max_frame_num_minus4=0,
    // poc_type=0, log2_max_poc_lsb_minus4=2, max_num_ref_frames=4, gaps=0,
    // pic_width_in_mbs_minus1=53, pic_height_in_map_units_minus1=29, frame_mbs_only=1,
    // direct_8x8=1, frame_cropping=1, crop_left=0, crop_right=5, crop_top=0, crop_bottom=0,
    // vui_present=1, aspect_ratio_info_present=1, aspect_ratio_idc=1, overscan_info_present=0,
    // video_signal_type_present=0, chroma_loc_present=0, timing_info_present=1,
    // num_units_in_tick=1, time_scale=50, fixed_frame_rate=0
    0x67, 0x4d, 0x40, 0x1e, 0xec, 0xa0, 0x6c, 0x1e, 0xf3, 0x78, 0x08, 0x80, 0x00, 0x00, 0x03, 0x00,
    0x80, 0x00, 0x00, 0x19, 0x07, 0x8b, 0x16, 0xcb,
    0x01,                         // numOfPictureParameterSets 1
    0x00, 0x05,                   // pictureParameterSetLength 5
    0x68, 0xeb, 0xe3, 0xcb, 0x20, // PPS NAL unit (0x68)
};

// x264 -profile:v baseline, 640x360 @ 30: 23 MBs high, cropped by 4 x 2 rows (ffprobe: Constrained
// Baseline, 30, 640x360)
const std::uint8_t kAvcBaseline640x360[] = {
    0x01,             // configurationVersion
    0x42, 0xc0, 0x1e, // AVCProfileIndication 66, profile_compatibility 0xc0, AVCLevelIndication 30
    0xff,             // reserved 111111, lengthSizeMinusOne 3
    0xe1,             // reserved 111, numOfSequenceParameterSets 1
    0x00, 0x19,       // sequenceParameterSetLength 25
    // SPS NAL unit (0x67: nal_ref_idc 3, nal_unit_type 7). Decoded fields:
    // profile_idc=66, constraints=192, level_idc=30, sps_id=0, log2_max_frame_num_minus4=0,
    // poc_type=2, max_num_ref_frames=3, gaps=0, pic_width_in_mbs_minus1=39,
    // pic_height_in_map_units_minus1=22, frame_mbs_only=1, direct_8x8=1, frame_cropping=1,
    // crop_left=0, crop_right=0, crop_top=0, crop_bottom=4, vui_present=1,
    // aspect_ratio_info_present=1, aspect_ratio_idc=1, overscan_info_present=0,
    // video_signal_type_present=0, chroma_loc_present=0, timing_info_present=1,
    // num_units_in_tick=1, time_scale=60, fixed_frame_rate=0
    0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x2f, 0xf9, 0x70, 0x11, 0x00, 0x00, 0x03, 0x00, 0x01,
    0x00, 0x00, 0x03, 0x00, 0x3c, 0x0f, 0x16, 0x2e, 0x48,
    0x01,                         // numOfPictureParameterSets 1
    0x00, 0x05,                   // pictureParameterSetLength 5
    0x68, 0xcb, 0x83, 0xcb, 0x20, // PPS NAL unit (0x68)
};

// x264 -pix_fmt yuv422p, 1280x720 @ 30 (ffprobe: High 4:2:2, 31, 1280x720, 30/1)
const std::uint8_t kAvcHigh422[] = {
    0x01,             // configurationVersion
    0x7a, 0x00, 0x1f, // AVCProfileIndication 122, profile_compatibility 0x00, AVCLevelIndication 31
    0xff,             // reserved 111111, lengthSizeMinusOne 3
    0xe1,             // reserved 111, numOfSequenceParameterSets 1
    0x00, 0x1a,       // sequenceParameterSetLength 26
    // SPS NAL unit (0x67: nal_ref_idc 3, nal_unit_type 7). Decoded fields:
    // profile_idc=122, constraints=0, level_idc=31, sps_id=0, chroma_format_idc=2,
    // bit_depth_luma_minus8=0, bit_depth_chroma_minus8=0, qpprime=0, seq_scaling_matrix_present=0,
    // log2_max_frame_num_minus4=0, poc_type=0, log2_max_poc_lsb_minus4=2, max_num_ref_frames=4,
    // gaps=0, pic_width_in_mbs_minus1=79, pic_height_in_map_units_minus1=44, frame_mbs_only=1,
    // direct_8x8=1, frame_cropping=0, vui_present=1, aspect_ratio_info_present=1,
    // aspect_ratio_idc=1, overscan_info_present=0, video_signal_type_present=0,
    // chroma_loc_present=0, timing_info_present=1, num_units_in_tick=1, time_scale=60,
    // fixed_frame_rate=0
    0x67, 0x7a, 0x00, 0x1f, 0xbc, 0xd9, 0x40, 0x50, 0x05, 0xbb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00,
    0x10, 0x00, 0x00, 0x03, 0x03, 0xc0, 0xf1, 0x83, 0x19, 0x60,
    0x01,                               // numOfPictureParameterSets 1
    0x00, 0x06,                         // pictureParameterSetLength 6
    0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0, // PPS NAL unit (0x68)
    0xfe, 0xf8, 0xf8,
    0x00, // High-profile trailer: chroma_format, bit depths, numOfSequenceParameterSetExt 0
};

// x264 -pix_fmt yuv444p, 1280x720 @ 30 (ffprobe: High 4:4:4 Predictive, 31, 1280x720, 30/1)
const std::uint8_t kAvcHigh444[] = {
    0x01,             // configurationVersion
    0xf4, 0x00, 0x1f, // AVCProfileIndication 244, profile_compatibility 0x00, AVCLevelIndication 31
    0xff,             // reserved 111111, lengthSizeMinusOne 3
    0xe1,             // reserved 111, numOfSequenceParameterSets 1
    0x00, 0x1a,       // sequenceParameterSetLength 26
    // SPS NAL unit (0x67: nal_ref_idc 3, nal_unit_type 7). Decoded fields:
    // profile_idc=244, constraints=0, level_idc=31, sps_id=0, chroma_format_idc=3,
    // separate_colour_plane=0, bit_depth_luma_minus8=0, bit_depth_chroma_minus8=0, qpprime=0,
    // seq_scaling_matrix_present=0, log2_max_frame_num_minus4=0, poc_type=0,
    // log2_max_poc_lsb_minus4=2, max_num_ref_frames=4, gaps=0, pic_width_in_mbs_minus1=79,
    // pic_height_in_map_units_minus1=44, frame_mbs_only=1, direct_8x8=1, frame_cropping=0,
    // vui_present=1, aspect_ratio_info_present=1, aspect_ratio_idc=1, overscan_info_present=0,
    // video_signal_type_present=0, chroma_loc_present=0, timing_info_present=1,
    // num_units_in_tick=1, time_scale=60, fixed_frame_rate=0
    0x67, 0xf4, 0x00, 0x1f, 0x91, 0x9b, 0x28, 0x0a, 0x00, 0xb7, 0x60, 0x22, 0x00, 0x00, 0x03, 0x00,
    0x02, 0x00, 0x00, 0x03, 0x00, 0x78, 0x1e, 0x30, 0x63, 0x2c,
    0x01,                               // numOfPictureParameterSets 1
    0x00, 0x06,                         // pictureParameterSetLength 6
    0x68, 0xeb, 0xe3, 0xc4, 0x48, 0x44, // PPS NAL unit (0x68)
    0xff, 0xf8, 0xf8,
    0x00, // High-profile trailer: chroma_format, bit depths, numOfSequenceParameterSetExt 0
};

// x264 -pix_fmt yuv420p10le, 1280x720 @ 30 (ffprobe: High 10, 31, 1280x720, 30/1)
const std::uint8_t kAvcHigh10[] = {
    0x01,             // configurationVersion
    0x6e, 0x00, 0x1f, // AVCProfileIndication 110, profile_compatibility 0x00, AVCLevelIndication 31
    0xff,             // reserved 111111, lengthSizeMinusOne 3
    0xe1,             // reserved 111, numOfSequenceParameterSets 1
    0x00, 0x1a,       // sequenceParameterSetLength 26
    // SPS NAL unit (0x67: nal_ref_idc 3, nal_unit_type 7). Decoded fields:
    // profile_idc=110, constraints=0, level_idc=31, sps_id=0, chroma_format_idc=1,
    // bit_depth_luma_minus8=2, bit_depth_chroma_minus8=2, qpprime=0, seq_scaling_matrix_present=0,
    // log2_max_frame_num_minus4=0, poc_type=0, log2_max_poc_lsb_minus4=2, max_num_ref_frames=4,
    // gaps=0, pic_width_in_mbs_minus1=79, pic_height_in_map_units_minus1=44, frame_mbs_only=1,
    // direct_8x8=1, frame_cropping=0, vui_present=1, aspect_ratio_info_present=1,
    // aspect_ratio_idc=1, overscan_info_present=0, video_signal_type_present=0,
    // chroma_loc_present=0, timing_info_present=1, num_units_in_tick=1, time_scale=60,
    // fixed_frame_rate=0
    0x67, 0x6e, 0x00, 0x1f, 0xa6, 0xcd, 0x94, 0x05, 0x00, 0x5b, 0xb0, 0x11, 0x00, 0x00, 0x03, 0x00,
    0x01, 0x00, 0x00, 0x03, 0x00, 0x3c, 0x0f, 0x18, 0x31, 0x96,
    0x01,                               // numOfPictureParameterSets 1
    0x00, 0x06,                         // pictureParameterSetLength 6
    0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0, // PPS NAL unit (0x68)
    0xfd, 0xfa, 0xfa,
    0x00, // High-profile trailer: chroma_format, bit depths, numOfSequenceParameterSetExt 0
};

// x264 interlaced=1, 1920x1080 @ 25 frames: 34 map units x 2 fields = 1088, crop 2 x 4 rows
// (ffprobe: High, 40, 1920x1080, tt, 25/1)
const std::uint8_t kAvcInterlaced1080i[] = {
    0x01,             // configurationVersion
    0x64, 0x00, 0x28, // AVCProfileIndication 100, profile_compatibility 0x00, AVCLevelIndication 40
    0xff,             // reserved 111111, lengthSizeMinusOne 3
    0xe1,             // reserved 111, numOfSequenceParameterSets 1
    0x00, 0x1a,       // sequenceParameterSetLength 26
    // SPS NAL unit (0x67: nal_ref_idc 3, nal_unit_type 7). Decoded fields:
    // profile_idc=100, constraints=0, level_idc=40, sps_id=0, chroma_format_idc=1,
    // bit_depth_luma_minus8=0, bit_depth_chroma_minus8=0, qpprime=0, seq_scaling_matrix_present=0,
    // log2_max_frame_num_minus4=0, poc_type=0, log2_max_poc_lsb_minus4=2, max_num_ref_frames=4,
    // gaps=0, pic_width_in_mbs_minus1=119, pic_height_in_map_units_minus1=33, frame_mbs_only=0,
    // mb_adaptive=1, direct_8x8=1, frame_cropping=1, crop_left=0, crop_right=0, crop_top=0,
    // crop_bottom=2, vui_present=1, aspect_ratio_info_present=1, aspect_ratio_idc=1,
    // overscan_info_present=0, video_signal_type_present=0, chroma_loc_present=0,
    // timing_info_present=1, num_units_in_tick=1, time_scale=50, fixed_frame_rate=0
    0x67, 0x64, 0x00, 0x28, 0xac, 0xd9, 0x40, 0x78, 0x04, 0x4f, 0xde, 0x02, 0x20, 0x00, 0x00, 0x03,
    0x00, 0x20, 0x00, 0x00, 0x06, 0x43, 0xe2, 0xc5, 0xb2, 0xc0,
    0x01,                               // numOfPictureParameterSets 1
    0x00, 0x06,                         // pictureParameterSetLength 6
    0x68, 0xfb, 0xa3, 0xcb, 0x22, 0xc0, // PPS NAL unit (0x68)
    0xfd, 0xf8, 0xf8,
    0x00, // High-profile trailer: chroma_format, bit depths, numOfSequenceParameterSetExt 0
};

// x264, 1920x1080 @ 30000/1001 (ffprobe: High, 40, 1920x1080, 30000/1001)
const std::uint8_t kAvcHigh1080p2997[] = {
    0x01,             // configurationVersion
    0x64, 0x00, 0x28, // AVCProfileIndication 100, profile_compatibility 0x00, AVCLevelIndication 40
    0xff,             // reserved 111111, lengthSizeMinusOne 3
    0xe1,             // reserved 111, numOfSequenceParameterSets 1
    0x00, 0x19,       // sequenceParameterSetLength 25
    // SPS NAL unit (0x67: nal_ref_idc 3, nal_unit_type 7). Decoded fields:
    // profile_idc=100, constraints=0, level_idc=40, sps_id=0, chroma_format_idc=1,
    // bit_depth_luma_minus8=0, bit_depth_chroma_minus8=0, qpprime=0, seq_scaling_matrix_present=0,
    // log2_max_frame_num_minus4=0, poc_type=0, log2_max_poc_lsb_minus4=2, max_num_ref_frames=4,
    // gaps=0, pic_width_in_mbs_minus1=119, pic_height_in_map_units_minus1=67, frame_mbs_only=1,
    // direct_8x8=1, frame_cropping=1, crop_left=0, crop_right=0, crop_top=0, crop_bottom=4,
    // vui_present=1, aspect_ratio_info_present=1, aspect_ratio_idc=1, overscan_info_present=0,
    // video_signal_type_present=0, chroma_loc_present=0, timing_info_present=1,
    // num_units_in_tick=1001, time_scale=60000, fixed_frame_rate=0
    0x67, 0x64, 0x00, 0x28, 0xac, 0xd9, 0x40, 0x78, 0x02, 0x27, 0xe5, 0xc0, 0x44, 0x00, 0x00, 0x0f,
    0xa4, 0x00, 0x03, 0xa9, 0x80, 0x3c, 0x60, 0xc6, 0x58,
    0x01,                               // numOfPictureParameterSets 1
    0x00, 0x06,                         // pictureParameterSetLength 6
    0x68, 0xeb, 0xe3, 0xcb, 0x22, 0xc0, // PPS NAL unit (0x68)
    0xfd, 0xf8, 0xf8,
    0x00, // High-profile trailer: chroma_format, bit depths, numOfSequenceParameterSetExt 0
};

// x265 Main, 854x480 @ 30: 856 luma columns coded, conformance window right 1 x SubWidthC 2
// (ffprobe: Main, 90, 854x480, 30/1)
const std::uint8_t kHevcMain854x480[] = {
    0x01,                   // configurationVersion
    0x01,                   // general_profile_space 0, general_tier_flag 0, general_profile_idc 1
    0x60, 0x00, 0x00, 0x00, // general_profile_compatibility_flags
    0x90, 0x00, 0x00, 0x00, 0x00, 0x00, // general_constraint_indicator_flags
    0x5a,                               // general_level_idc 90
    0xf0, 0x00,                         // reserved 1111, min_spatial_segmentation_idc 0
    0xfc,                               // reserved 111111, parallelismType 0
    0xfd,                               // reserved 111111, chromaFormat 1
    0xf8, 0xf8, // reserved 11111 + bitDepthLumaMinus8 0, bitDepthChromaMinus8 0
    0x00, 0x00, // avgFrameRate 0
    0x0f, // constantFrameRate 0, numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3
    0x03, // numOfArrays 3 (x265's SEI array dropped to keep the table short)
    0x20, // array_completeness 0, NAL_unit_type 32 (VPS)
    0x00, 0x01, // numNalus 1
    0x00, 0x18, // nalUnitLength 24
    // VPS NAL unit (40 01: nal_unit_type 32)
    0x40, 0x01, 0x0c, 0x01, 0xff, 0xff, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03,
    0x00, 0x00, 0x03, 0x00, 0x5a, 0x95, 0x98, 0x09,
    0x21,       // array_completeness 0, NAL_unit_type 33 (SPS)
    0x00, 0x01, // numNalus 1
    0x00, 0x2a, // nalUnitLength 42
    // SPS NAL unit (42 01: nal_unit_type 33). Decoded fields:
    // vps_id=0, max_sub_layers_minus1=0, nesting=1, profile_space=0, tier=0, profile_idc=1,
    // compat=1610612736, level_idc=90, sps_id=0, chroma_format_idc=1, width=856, height=480,
    // conformance_window=1, left=0, right=1, top=0, bottom=0, bd_luma=0, bd_chroma=0,
    // log2_max_poc_lsb_minus4=4, ordering=1, dec_buf=4, reorder=2, latency=5, min_cb=0, diff_cb=3,
    // min_tb=0, diff_tb=3, depth_inter=0, depth_intra=0, scaling_list_enabled=0, amp=0, sao=1,
    // pcm=0, num_short_term_ref_pic_sets=0, long_term=0, tmvp=1, strong_intra=1, vui=1, ar=1,
    // ar_idc=1, overscan=0, video_signal=1, fmt_range=10, colour_desc=0, chroma_loc=0,
    // neutral_field_ffi=0, default_display_window=0, timing=1, num_units_in_tick=1, time_scale=30
    0x42, 0x01, 0x01, 0x01, 0x60, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03,
    0x00, 0x5a, 0xa0, 0x06, 0xb2, 0x01, 0xe1, 0xd7, 0x96, 0x56, 0x69, 0x24, 0xca, 0xf0, 0x16, 0x80,
    0x80, 0x00, 0x00, 0x03, 0x00, 0x80, 0x00, 0x00, 0x0f, 0x04,
    0x22,                                     // array_completeness 0, NAL_unit_type 34 (PPS)
    0x00, 0x01,                               // numNalus 1
    0x00, 0x07,                               // nalUnitLength 7
    0x44, 0x01, 0xc1, 0x72, 0xb4, 0x62, 0x40, // PPS NAL unit (44 01: nal_unit_type 34)
};

// x265 Main 10 (yuv420p10le), 1280x720 @ 25 (ffprobe: Main 10, 93, 1280x720, 25/1)
const std::uint8_t kHevcMain10720p25[] = {
    0x01,                   // configurationVersion
    0x02,                   // general_profile_space 0, general_tier_flag 0, general_profile_idc 2
    0x20, 0x00, 0x00, 0x00, // general_profile_compatibility_flags
    0x90, 0x00, 0x00, 0x00, 0x00, 0x00, // general_constraint_indicator_flags
    0x5d,                               // general_level_idc 93
    0xf0, 0x00,                         // reserved 1111, min_spatial_segmentation_idc 0
    0xfc,                               // reserved 111111, parallelismType 0
    0xfd,                               // reserved 111111, chromaFormat 1
    0xfa, 0xfa, // reserved 11111 + bitDepthLumaMinus8 2, bitDepthChromaMinus8 2
    0x00, 0x00, // avgFrameRate 0
    0x0f, // constantFrameRate 0, numTemporalLayers 1, temporalIdNested 1, lengthSizeMinusOne 3
    0x03, // numOfArrays 3 (x265's SEI array dropped to keep the table short)
    0x20, // array_completeness 0, NAL_unit_type 32 (VPS)
    0x00, 0x01, // numNalus 1
    0x00, 0x18, // nalUnitLength 24
    // VPS NAL unit (40 01: nal_unit_type 32)
    0x40, 0x01, 0x0c, 0x01, 0xff, 0xff, 0x02, 0x20, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03,
    0x00, 0x00, 0x03, 0x00, 0x5d, 0x95, 0x98, 0x09,
    0x21,       // array_completeness 0, NAL_unit_type 33 (SPS)
    0x00, 0x01, // numNalus 1
    0x00, 0x2b, // nalUnitLength 43
    // SPS NAL unit (42 01: nal_unit_type 33). Decoded fields:
    // vps_id=0, max_sub_layers_minus1=0, nesting=1, profile_space=0, tier=0, profile_idc=2,
    // compat=536870912, level_idc=93, sps_id=0, chroma_format_idc=1, width=1280, height=720,
    // conformance_window=0, bd_luma=2, bd_chroma=2, log2_max_poc_lsb_minus4=4, ordering=1,
    // dec_buf=4, reorder=2, latency=5, min_cb=0, diff_cb=3, min_tb=0, diff_tb=3, depth_inter=0,
    // depth_intra=0, scaling_list_enabled=0, amp=0, sao=1, pcm=0, num_short_term_ref_pic_sets=0,
    // long_term=0, tmvp=1, strong_intra=1, vui=1, ar=1, ar_idc=1, overscan=0, video_signal=1,
    // fmt_range=10, colour_desc=0, chroma_loc=0, neutral_field_ffi=0, default_display_window=0,
    // timing=1, num_units_in_tick=1, time_scale=25
    0x42, 0x01, 0x01, 0x02, 0x20, 0x00, 0x00, 0x03, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03,
    0x00, 0x5d, 0xa0, 0x02, 0x80, 0x80, 0x2d, 0x13, 0x65, 0x95, 0x9a, 0x49, 0x32, 0xbc, 0x05, 0xa0,
    0x20, 0x00, 0x00, 0x03, 0x00, 0x20, 0x00, 0x00, 0x03, 0x03, 0x21,
    0x22,                                     // array_completeness 0, NAL_unit_type 34 (PPS)
    0x00, 0x01,                               // numNalus 1
    0x00, 0x07,                               // nalUnitLength 7
    0x44, 0x01, 0xc1, 0x72, 0xb4, 0x62, 0x40, // PPS NAL unit (44 01: nal_unit_type 34)
};

// libaom-av1, 640x360 @ 30 (ffprobe: av1 Main, level 1 = 2.1, 640x360)
const std::uint8_t kAv1Aom640x360[] = {
    0x81, // marker 1, version 1
    0x01, // seq_profile 0, seq_level_idx_0 1
    0x0c, // seq_tier_0 0, high_bitdepth 0, twelve_bit 0, monochrome 0, subsampling x 1, y 1,
          // chroma_sample_position 0
    0x00, // reserved 000, initial_presentation_delay_present 0, reserved 0000
    // configOBUs: one sequence header OBU
    0x0a, // obu_type 1 (OBU_SEQUENCE_HEADER), no extension, obu_has_size_field 1
    0x0b, // obu_size 11 (leb128)
    // seq_profile 0, still_picture 0, reduced_still_picture_header 0, timing_info_present 0,
    // initial_display_delay_present 0, operating_points_cnt_minus_1 0, operating_point_idc 0,
    // seq_level_idx 1, frame_width_bits_minus_1 9, frame_height_bits_minus_1 8,
    // max_frame_width_minus_1 639, max_frame_height_minus_1 359, then colour config etc.
    0x00,
    0x00,
    0x00,
    0x0c,
    0xc4,
    0xff,
    0x67,
    0x36,
    0xbe,
    0x40,
    0x10,
};

// SVT-AV1, 854x480 @ 30 (ffprobe: av1 Main, level 4 = 3.0, 854x480)
const std::uint8_t kAv1Svt854x480[] = {
    0x81, // marker 1, version 1
    0x04, // seq_profile 0, seq_level_idx_0 4
    0x0c, // 4:2:0, 8 bit
    0x00, // no initial presentation delay
    0x0a, // obu_type 1 (OBU_SEQUENCE_HEADER), obu_has_size_field 1
    0x0b, // obu_size 11
    // as above with seq_level_idx 4, max_frame_width_minus_1 853, max_frame_height_minus_1 479
    0x00,
    0x00,
    0x00,
    0x24,
    0xc6,
    0xab,
    0xdf,
    0x00,
    0xbe,
    0x00,
    0x10,
};

// libaom-av1 -aom-params timing-info=constant, 320x240 @ 25 (ffprobe: Main, 0, 320x240, 25/1)
const std::uint8_t kAv1AomTiming320x240[] = {
    0x81, // marker 1, version 1
    0x00, // seq_profile 0, seq_level_idx_0 0 (level 2.0)
    0x0c, // 4:2:0, 8 bit
    0x00, // no initial presentation delay
    0x0a, // obu_type 1 (OBU_SEQUENCE_HEADER), obu_has_size_field 1
    0x14, // obu_size 20
    // seq_profile 0, still 0, reduced 0, timing_info_present 1:
    // num_units_in_display_tick 1, time_scale 25, equal_picture_interval 1,
    // num_ticks_per_picture_minus_1 0 (uvlc "1"), decoder_model_info_present 0,
    // initial_display_delay_present 1, one operating point (idc 0, seq_level_idx 0,
    // initial_display_delay_present_for_this_op 1 + 4 bits), frame_width_bits_minus_1 8,
    // frame_height_bits_minus_1 7, max_frame_width_minus_1 319, max_frame_height_minus_1 239
    0x04,
    0x00,
    0x00,
    0x00,
    0x04,
    0x00,
    0x00,
    0x00,
    0x67,
    0x40,
    0x00,
    0x00,
    0xbc,
    0x3c,
    0xff,
    0xbc,
    0xda,
    0xf9,
    0x00,
    0x40,
};

// libaom-av1 -still-picture 1, 320x240 (ffprobe: Main, 0, 320x240)
const std::uint8_t kAv1AomStill320x240[] = {
    0x81, // marker 1, version 1
    0x00, // seq_profile 0, seq_level_idx_0 0
    0x0c, // 4:2:0, 8 bit
    0x00, // no initial presentation delay
    0x0a, // obu_type 1 (OBU_SEQUENCE_HEADER), obu_has_size_field 1
    0x07, // obu_size 7
    // seq_profile 0, still_picture 1, reduced_still_picture_header 1, seq_level_idx 0,
    // frame_width_bits_minus_1 8, frame_height_bits_minus_1 7, 319, 239, colour config
    0x18,
    0x21,
    0xe7,
    0xfd,
    0xed,
    0x00,
    0x40,
};

// AudioSpecificConfigs written by ffmpeg's AAC encoder into FLV AAC sequence headers. ffmpeg
// appends the backward-compatible SBR sync extension with sbrPresentFlag 0.
const std::uint8_t kAacLc44100Stereo[] = {
    // 00010 audioObjectType 2 (LC) | 0100 samplingFrequencyIndex 4 (44100) |
    // 0010 channelConfiguration 2 | 000 GASpecificConfig flags
    0x12,
    0x10,
    // 01010110111 syncExtensionType 0x2b7 | 00101 extensionAudioObjectType 5 (SBR) |
    // 0 sbrPresentFlag | 0000000 padding
    0x56,
    0xe5,
    0x00,
};

const std::uint8_t kAacLc48000Mono[] = {
    // 00010 AOT 2 | 0011 samplingFrequencyIndex 3 (48000) | 0001 channelConfiguration 1 | 000
    0x11, 0x88, 0x56, 0xe5, 0x00, // sync extension 0x2b7, SBR, sbrPresentFlag 0
};

} // namespace stagecast::test
