// Synthetic H.265 SPSs, written field by field in the order of ITU-T H.265 7.3.2.2.1, for the
// syntax x265 never puts in an SPS: sub-layers in profile_tier_level, scaling_list_data, PCM,
// short-term reference picture sets (including inter-RPS prediction), long-term pictures,
// 4:2:2 / 4:4:4 / monochrome conformance windows and a VUI with a default display window.

#include <QtTest>

#include <vector>

#include "BitWriter.h"
#include "TestBytes.h"
#include "protocol/codec/CodecConfig.h"
#include "protocol/codec/HevcSps.h"

using namespace stagecast::protocol::codec;
using stagecast::test::BitWriter;

namespace {

struct HevcFields {
    unsigned nalType = 33;
    unsigned maxSubLayersMinus1 = 0;
    unsigned profileIdc = 1;
    unsigned levelIdc = 120;
    unsigned chromaFormatIdc = 1;
    bool separateColourPlane = false;
    unsigned width = 1920;
    unsigned height = 1080;
    unsigned window[4] = {0, 0, 0, 0}; // left, right, top, bottom
    bool scalingLists = false;
    bool pcm = false;
    bool refPicSets = false;
    unsigned numRefPicSets = 3;
    bool longTerm = false;
    bool vui = true;
    std::uint32_t unitsInTick = 1;
    std::uint32_t timeScale = 50;
};

void writeProfileTierLevel(BitWriter& w, const HevcFields& f) {
    w.bits(0, 2);                          // general_profile_space
    w.flag(false);                         // general_tier_flag
    w.bits(f.profileIdc, 5);               // general_profile_idc
    w.bits(1U << (31 - f.profileIdc), 32); // general_profile_compatibility_flag[]
    w.bits(0x9, 4);                        // progressive, interlaced, non_packed, frame_only
    w.bits(0, 44);                         // general constraint flags
    w.bits(f.levelIdc, 8);                 // general_level_idc
    // Sub-layer i has its profile when i is even and its level always.
    for (unsigned i = 0; i < f.maxSubLayersMinus1; ++i) {
        w.flag(i % 2 == 0); // sub_layer_profile_present_flag
        w.flag(true);       // sub_layer_level_present_flag
    }
    if (f.maxSubLayersMinus1 > 0) {
        for (unsigned i = f.maxSubLayersMinus1; i < 8; ++i) {
            w.bits(0, 2); // reserved_zero_2bits
        }
    }
    for (unsigned i = 0; i < f.maxSubLayersMinus1; ++i) {
        if (i % 2 == 0) {
            w.bits(0, 2);            // sub_layer_profile_space
            w.flag(false);           // sub_layer_tier_flag
            w.bits(f.profileIdc, 5); // sub_layer_profile_idc
            w.bits(0xffffffff, 32);  // compatibility flags: all ones, to catch misalignment
            w.bits(0xf, 4);
            w.bits(0, 43);
            w.flag(false);
        }
        w.bits(90, 8); // sub_layer_level_idc
    }
}

void writeScalingListData(BitWriter& w) {
    for (int sizeId = 0; sizeId < 4; ++sizeId) {
        for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
            const bool explicitList = matrixId % 2 == 0;
            w.flag(explicitList); // scaling_list_pred_mode_flag
            if (!explicitList) {
                w.ue(1); // scaling_list_pred_matrix_id_delta
                continue;
            }
            const int coefNum = std::min(64, 1 << (4 + (sizeId << 1)));
            if (sizeId > 1) {
                w.se(8); // scaling_list_dc_coef_minus8
            }
            for (int i = 0; i < coefNum; ++i) {
                w.se(i % 3 - 1); // scaling_list_delta_coef
            }
        }
    }
}

// Set 0: 2 negative + 1 positive pictures. Sets 1..n-1 are predicted from the previous set:
// NumDeltaPocs + 1 entries of used_by_curr_pic_flag (and use_delta_flag when not used).
void writeRefPicSets(BitWriter& w, unsigned count) {
    w.ue(count); // num_short_term_ref_pic_sets
    unsigned previous = 0;
    for (unsigned idx = 0; idx < count; ++idx) {
        if (idx != 0) {
            w.flag(true); // inter_ref_pic_set_prediction_flag
        }
        if (idx == 0) {
            w.ue(2); // num_negative_pics
            w.ue(1); // num_positive_pics
            for (int i = 0; i < 3; ++i) {
                w.ue(static_cast<std::uint32_t>(i)); // delta_poc_sX_minus1
                w.flag(true);                        // used_by_curr_pic_sX_flag
            }
            previous = 3;
            continue;
        }
        w.flag(false); // delta_rps_sign
        w.ue(0);       // abs_delta_rps_minus1
        unsigned next = 0;
        for (unsigned j = 0; j <= previous; ++j) {
            const bool used = j % 2 == 0;
            w.flag(used); // used_by_curr_pic_flag
            if (!used) {
                const bool useDelta = j % 3 == 0;
                w.flag(useDelta); // use_delta_flag
                next += useDelta ? 1 : 0;
            } else {
                ++next;
            }
        }
        previous = next;
    }
}

std::vector<std::uint8_t> buildSps(const HevcFields& f) {
    BitWriter w;
    w.bits(0, 1);         // forbidden_zero_bit
    w.bits(f.nalType, 6); // nal_unit_type
    w.bits(0, 6);         // nuh_layer_id
    w.bits(1, 3);         // nuh_temporal_id_plus1
    w.bits(0, 4);         // sps_video_parameter_set_id
    w.bits(f.maxSubLayersMinus1, 3);
    w.flag(true); // sps_temporal_id_nesting_flag
    writeProfileTierLevel(w, f);
    w.ue(0); // sps_seq_parameter_set_id
    w.ue(f.chromaFormatIdc);
    if (f.chromaFormatIdc == 3) {
        w.flag(f.separateColourPlane);
    }
    w.ue(f.width);  // pic_width_in_luma_samples
    w.ue(f.height); // pic_height_in_luma_samples
    const bool window = f.window[0] + f.window[1] + f.window[2] + f.window[3] != 0;
    w.flag(window); // conformance_window_flag
    if (window) {
        for (unsigned v : f.window) {
            w.ue(v);
        }
    }
    w.ue(2);      // bit_depth_luma_minus8
    w.ue(2);      // bit_depth_chroma_minus8
    w.ue(4);      // log2_max_pic_order_cnt_lsb_minus4: 8-bit lsb
    w.flag(true); // sps_sub_layer_ordering_info_present_flag
    for (unsigned i = 0; i <= f.maxSubLayersMinus1; ++i) {
        w.ue(4); // sps_max_dec_pic_buffering_minus1
        w.ue(2); // sps_max_num_reorder_pics
        w.ue(0); // sps_max_latency_increase_plus1
    }
    w.ue(0);                // log2_min_luma_coding_block_size_minus3
    w.ue(3);                // log2_diff_max_min_luma_coding_block_size
    w.ue(0);                // log2_min_luma_transform_block_size_minus2
    w.ue(3);                // log2_diff_max_min_luma_transform_block_size
    w.ue(1);                // max_transform_hierarchy_depth_inter
    w.ue(1);                // max_transform_hierarchy_depth_intra
    w.flag(f.scalingLists); // scaling_list_enabled_flag
    if (f.scalingLists) {
        w.flag(true); // sps_scaling_list_data_present_flag
        writeScalingListData(w);
    }
    w.flag(true);  // amp_enabled_flag
    w.flag(true);  // sample_adaptive_offset_enabled_flag
    w.flag(f.pcm); // pcm_enabled_flag
    if (f.pcm) {
        w.bits(7, 4);  // pcm_sample_bit_depth_luma_minus1
        w.bits(7, 4);  // pcm_sample_bit_depth_chroma_minus1
        w.ue(0);       // log2_min_pcm_luma_coding_block_size_minus3
        w.ue(2);       // log2_diff_max_min_pcm_luma_coding_block_size
        w.flag(false); // pcm_loop_filter_disabled_flag
    }
    if (f.refPicSets) {
        writeRefPicSets(w, f.numRefPicSets);
    } else {
        w.ue(0); // num_short_term_ref_pic_sets
    }
    w.flag(f.longTerm); // long_term_ref_pics_present_flag
    if (f.longTerm) {
        w.ue(2); // num_long_term_ref_pics_sps
        for (int i = 0; i < 2; ++i) {
            w.bits(0xab, 8); // lt_ref_pic_poc_lsb_sps: log2_max_pic_order_cnt_lsb bits
            w.flag(true);    // used_by_curr_pic_lt_sps_flag
        }
    }
    w.flag(true);  // sps_temporal_mvp_enabled_flag
    w.flag(true);  // strong_intra_smoothing_enabled_flag
    w.flag(f.vui); // vui_parameters_present_flag
    if (f.vui) {
        w.flag(true);   // aspect_ratio_info_present_flag
        w.bits(255, 8); // aspect_ratio_idc: Extended_SAR
        w.bits(4, 16);  // sar_width
        w.bits(3, 16);  // sar_height
        w.flag(true);   // overscan_info_present_flag
        w.flag(true);   // overscan_appropriate_flag
        w.flag(true);   // video_signal_type_present_flag
        w.bits(5, 3);   // video_format
        w.flag(true);   // video_full_range_flag
        w.flag(true);   // colour_description_present_flag
        w.bits(9, 8);   // colour_primaries
        w.bits(16, 8);  // transfer_characteristics
        w.bits(9, 8);   // matrix_coeffs
        w.flag(true);   // chroma_loc_info_present_flag
        w.ue(2);        // chroma_sample_loc_type_top_field
        w.ue(2);        // chroma_sample_loc_type_bottom_field
        w.flag(false);  // neutral_chroma_indication_flag
        w.flag(false);  // field_seq_flag
        w.flag(false);  // frame_field_info_present_flag
        w.flag(true);   // default_display_window_flag
        w.ue(8);        // def_disp_win_left_offset (does not change the decoded size)
        w.ue(8);        // def_disp_win_right_offset
        w.ue(0);        // def_disp_win_top_offset
        w.ue(0);        // def_disp_win_bottom_offset
        w.flag(true);   // vui_timing_info_present_flag
        w.bits(f.unitsInTick, 32);
        w.bits(f.timeScale, 32);
        w.flag(false); // vui_poc_proportional_to_timing_flag
        w.flag(false); // vui_hrd_parameters_present_flag
        w.flag(false); // bitstream_restriction_flag
    }
    w.flag(false); // sps_extension_present_flag
    w.trailingBits();
    return stagecast::test::addEmulationPrevention(w.bytes());
}

// hvcC with the 23-byte header and a single SPS array.
QByteArray buildRecord(const std::vector<std::uint8_t>& sps) {
    std::vector<std::uint8_t> r = {0x01, 0x01, 0x60, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00, 0x00,
                                   0x00, 0x78, 0xf0, 0x00, 0xfc, 0xfd, 0xfa, 0xfa, 0x00, 0x00, 0x0f,
                                   0x01,        // numOfArrays
                                   0xa1,        // array_completeness 1, SPS
                                   0x00, 0x01}; // numNalus
    r.push_back(static_cast<std::uint8_t>(sps.size() >> 8));
    r.push_back(static_cast<std::uint8_t>(sps.size()));
    r.insert(r.end(), sps.begin(), sps.end());
    return stagecast::test::qb(r);
}

} // namespace

Q_DECLARE_METATYPE(HevcFields)

class tst_HevcSps : public QObject {
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void truncatedAtEveryByte();
};

void tst_HevcSps::parses_data() {
    QTest::addColumn<HevcFields>("fields");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<double>("level");
    QTest::addColumn<uint>("width");
    QTest::addColumn<uint>("height");
    QTest::addColumn<double>("frameRate");

    HevcFields everything; // every optional structure at once, 4:2:2 RExt
    everything.maxSubLayersMinus1 = 3;
    everything.profileIdc = 4;
    everything.levelIdc = 123;
    everything.chromaFormatIdc = 2;
    everything.width = 1928;
    everything.height = 1088;
    everything.window[1] = 4; // x SubWidthC 2 = 8 columns
    everything.window[3] = 8; // x SubHeightC 1 = 8 rows
    everything.scalingLists = true;
    everything.pcm = true;
    everything.refPicSets = true;
    everything.longTerm = true;
    everything.unitsInTick = 1001;
    everything.timeScale = 60000;
    QTest::newRow("rext 4:2:2 sub-layers scaling pcm rps long-term")
        << everything << "RExt" << 4.1 << 1920U << 1080U << 60000.0 / 1001.0;

    HevcFields still; // 4:4:4 as separate planes: window in luma samples
    still.profileIdc = 3;
    still.levelIdc = 93;
    still.chromaFormatIdc = 3;
    still.separateColourPlane = true;
    still.width = 1284;
    still.height = 724;
    still.window[0] = 2;
    still.window[1] = 2;
    still.window[2] = 1;
    still.window[3] = 3;
    still.vui = false;
    QTest::newRow("main still picture 4:4:4 separate planes")
        << still << "Main Still Picture" << 3.1 << 1280U << 720U << 0.0;

    HevcFields mono;
    mono.profileIdc = 4;
    mono.chromaFormatIdc = 0;
    mono.height = 1088;
    mono.window[3] = 8;
    QTest::newRow("monochrome window") << mono << "RExt" << 4.0 << 1920U << 1080U << 50.0;

    HevcFields main10;
    main10.profileIdc = 2;
    main10.levelIdc = 153;
    main10.width = 3840;
    main10.height = 2160;
    main10.maxSubLayersMinus1 = 6;
    QTest::newRow("main 10 2160p seven sub-layers")
        << main10 << "Main 10" << 5.1 << 3840U << 2160U << 50.0;

    HevcFields scc;
    scc.profileIdc = 9;
    scc.refPicSets = true;
    scc.numRefPicSets = 12;
    QTest::newRow("scc twelve rps") << scc << "SCC" << 4.0 << 1920U << 1080U << 50.0;
}

void tst_HevcSps::parses() {
    QFETCH(HevcFields, fields);
    QFETCH(QString, profile);
    QFETCH(double, level);
    QFETCH(uint, width);
    QFETCH(uint, height);
    QFETCH(double, frameRate);

    const QByteArray record = buildRecord(buildSps(fields));
    const auto config = parseHevcConfig(stagecast::test::view(record));
    QVERIFY2(config.has_value(), config ? "" : config.error().message().c_str());
    QCOMPARE(QString::fromStdString(config->codec), QStringLiteral("hevc"));
    QCOMPARE(QString::fromStdString(config->profile), profile);
    QCOMPARE(config->level, level);
    QCOMPARE(config->width, width);
    QCOMPARE(config->height, height);
    QCOMPARE(config->frameRate, frameRate);
}

void tst_HevcSps::rejects_data() {
    QTest::addColumn<HevcFields>("fields");
    QTest::addColumn<QString>("error");

    HevcFields f;
    f.nalType = 34;
    QTest::newRow("pps nal type") << f << "nal_unit_type 34 invalid, allowed 33 (SPS)";
    f = {};
    f.maxSubLayersMinus1 = 7;
    QTest::newRow("eight sub-layers") << f << "sps_max_sub_layers_minus1 7 invalid, allowed 0..6";
    f = {};
    f.chromaFormatIdc = 5;
    QTest::newRow("chroma format 5") << f << "chroma_format_idc 5 invalid, allowed 0..3";
    f = {};
    f.width = 0;
    QTest::newRow("zero width") << f << "picture size 0x1080 invalid";
    f = {};
    f.window[0] = 960; // x 2 = the whole width
    QTest::newRow("window eats the picture") << f << "conformance window 1920x0 invalid";
    f = {};
    f.refPicSets = true;
    f.numRefPicSets = 65;
    QTest::newRow("65 rps") << f << "num_short_term_ref_pic_sets 65 invalid, allowed 0..64";
}

void tst_HevcSps::rejects() {
    QFETCH(HevcFields, fields);
    QFETCH(QString, error);

    const auto config = parseHevcSps(buildSps(fields));
    QVERIFY(!config.has_value());
    const QString message = QString::fromStdString(config.error().message());
    QVERIFY2(message.startsWith("hevc sps: "), qPrintable(message));
    QVERIFY2(message.contains(error), qPrintable(message));
}

void tst_HevcSps::truncatedAtEveryByte() {
    HevcFields f;
    f.maxSubLayersMinus1 = 2;
    f.scalingLists = true;
    f.refPicSets = true;
    f.longTerm = true;
    const auto nal = buildSps(f);
    QVERIFY(parseHevcSps(nal).has_value());
    // After vui_time_scale come 3 flags, the extension flag and the stop bit: at most the
    // last byte is not needed.
    for (std::size_t cut = 0; cut + 1 < nal.size(); ++cut) {
        const auto config = parseHevcSps(std::span(nal).first(cut));
        QVERIFY2(!config.has_value(), qPrintable(QString("cut at %1 parsed").arg(cut)));
        QVERIFY2(QString::fromStdString(config.error().message()).contains("truncated"),
                 config.error().message().c_str());
    }
}

QTEST_APPLESS_MAIN(tst_HevcSps)
#include "tst_HevcSps.moc"
