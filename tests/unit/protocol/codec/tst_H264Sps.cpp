// Synthetic H.264 SPSs, written field by field in the order of ITU-T H.264 7.3.2.1.1, for the
// syntax x264 never emits in an SPS: scaling matrices, pic_order_cnt_type 1, separate colour
// planes, monochrome, 4:2:2 cropping and extended SAR. They reach the parser wrapped in an
// avcC record with emulation-prevention bytes inserted, like an encoder would write them.

#include <QtTest>

#include <vector>

#include "BitWriter.h"
#include "TestBytes.h"
#include "protocol/codec/CodecConfig.h"
#include "protocol/codec/H264Sps.h"

using namespace stagecast::protocol::codec;
using stagecast::test::BitWriter;

namespace {

struct SpsFields {
    unsigned profileIdc = 100;
    unsigned constraints = 0;
    unsigned levelIdc = 40;
    unsigned nalType = 7;
    unsigned chromaFormatIdc = 1;
    bool separateColourPlane = false;
    bool scalingMatrix = false;
    int badDelta = 0; // when non-zero, written as the first delta_scale
    unsigned log2MaxFrameNumMinus4 = 0;
    unsigned pocType = 0;
    unsigned widthMbs = 120;
    unsigned heightMapUnits = 68;
    bool frameMbsOnly = true;
    unsigned crop[4] = {0, 0, 0, 0}; // left, right, top, bottom
    bool vui = true;
    bool extendedSar = false;
    std::uint32_t unitsInTick = 1;
    std::uint32_t timeScale = 50;
};

// scaling_list() for one list: a full list of deltas, a "use default" list (first delta
// drives nextScale to 0) and a list cut short by a later nextScale of 0.
void writeScalingLists(BitWriter& w, const SpsFields& f) {
    const int lists = f.chromaFormatIdc != 3 ? 8 : 12;
    for (int i = 0; i < lists; ++i) {
        const int size = i < 6 ? 16 : 64;
        switch (i % 4) {
        case 0: // seq_scaling_list_present_flag 1, every delta coded
            w.flag(true);
            if (f.badDelta != 0) {
                w.se(f.badDelta);
                break;
            }
            for (int j = 0; j < size; ++j) {
                w.se(j % 2 == 0 ? 3 : -2); // delta_scale
            }
            break;
        case 1: // present, delta -8 -> nextScale 0: useDefaultScalingMatrixFlag
            w.flag(true);
            w.se(-8);
            break;
        case 2: // not present
            w.flag(false);
            break;
        default: // present, two deltas then nextScale 0 repeats the last value
            w.flag(true);
            w.se(5);
            w.se(-13);
            break;
        }
    }
}

std::vector<std::uint8_t> buildSps(const SpsFields& f) {
    BitWriter w;
    w.bits(0, 1);            // forbidden_zero_bit
    w.bits(3, 2);            // nal_ref_idc
    w.bits(f.nalType, 5);    // nal_unit_type
    w.bits(f.profileIdc, 8); // profile_idc
    w.bits(f.constraints, 8);
    w.bits(f.levelIdc, 8);
    w.ue(0); // seq_parameter_set_id
    if (f.profileIdc == 100 || f.profileIdc == 110 || f.profileIdc == 122 || f.profileIdc == 244) {
        w.ue(f.chromaFormatIdc);
        if (f.chromaFormatIdc == 3) {
            w.flag(f.separateColourPlane);
        }
        w.ue(0);       // bit_depth_luma_minus8
        w.ue(0);       // bit_depth_chroma_minus8
        w.flag(false); // qpprime_y_zero_transform_bypass_flag
        w.flag(f.scalingMatrix);
        if (f.scalingMatrix) {
            writeScalingLists(w, f);
        }
    }
    w.ue(f.log2MaxFrameNumMinus4);
    w.ue(f.pocType);
    if (f.pocType == 0) {
        w.ue(4); // log2_max_pic_order_cnt_lsb_minus4
    } else if (f.pocType == 1) {
        w.flag(false); // delta_pic_order_always_zero_flag
        w.se(-2);      // offset_for_non_ref_pic
        w.se(1);       // offset_for_top_to_bottom_field
        w.ue(3);       // num_ref_frames_in_pic_order_cnt_cycle
        w.se(2);       // offset_for_ref_frame[0..2]
        w.se(-7);
        w.se(300);
    }
    w.ue(4);       // max_num_ref_frames
    w.flag(false); // gaps_in_frame_num_value_allowed_flag
    w.ue(f.widthMbs - 1);
    w.ue(f.heightMapUnits - 1);
    w.flag(f.frameMbsOnly);
    if (!f.frameMbsOnly) {
        w.flag(true); // mb_adaptive_frame_field_flag
    }
    w.flag(true); // direct_8x8_inference_flag
    const bool cropping = f.crop[0] + f.crop[1] + f.crop[2] + f.crop[3] != 0;
    w.flag(cropping);
    if (cropping) {
        for (unsigned c : f.crop) {
            w.ue(c);
        }
    }
    w.flag(f.vui);
    if (f.vui) {
        w.flag(true); // aspect_ratio_info_present_flag
        if (f.extendedSar) {
            w.bits(255, 8); // aspect_ratio_idc Extended_SAR
            w.bits(64, 16); // sar_width
            w.bits(45, 16); // sar_height
        } else {
            w.bits(1, 8); // aspect_ratio_idc 1:1
        }
        w.flag(true);  // overscan_info_present_flag
        w.flag(false); // overscan_appropriate_flag
        w.flag(true);  // video_signal_type_present_flag
        w.bits(5, 3);  // video_format
        w.flag(false); // video_full_range_flag
        w.flag(true);  // colour_description_present_flag
        w.bits(1, 8);  // colour_primaries
        w.bits(1, 8);  // transfer_characteristics
        w.bits(1, 8);  // matrix_coefficients
        w.flag(true);  // chroma_loc_info_present_flag
        w.ue(0);       // chroma_sample_loc_type_top_field
        w.ue(0);       // chroma_sample_loc_type_bottom_field
        w.flag(true);  // timing_info_present_flag
        w.bits(f.unitsInTick, 32);
        w.bits(f.timeScale, 32);
        w.flag(true);  // fixed_frame_rate_flag
        w.flag(false); // nal_hrd_parameters_present_flag
        w.flag(false); // vcl_hrd_parameters_present_flag
        w.flag(false); // pic_struct_present_flag
        w.flag(false); // bitstream_restriction_flag
    }
    w.trailingBits();
    return stagecast::test::addEmulationPrevention(w.bytes());
}

// avcC around one SPS and a dummy PPS.
QByteArray buildRecord(const std::vector<std::uint8_t>& sps) {
    std::vector<std::uint8_t> r = {
        0x01, static_cast<std::uint8_t>(sps.size() > 1 ? sps[1] : 0), 0x00, 0x28, 0xff, 0xe1};
    r.push_back(static_cast<std::uint8_t>(sps.size() >> 8));
    r.push_back(static_cast<std::uint8_t>(sps.size()));
    r.insert(r.end(), sps.begin(), sps.end());
    const std::uint8_t pps[] = {0x01, 0x00, 0x04, 0x68, 0xeb, 0xe3, 0xcb};
    r.insert(r.end(), std::begin(pps), std::end(pps));
    return stagecast::test::qb(r);
}

} // namespace

Q_DECLARE_METATYPE(SpsFields)

class tst_H264Sps : public QObject {
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void emulationPreventionIsRemoved();
    void truncatedAtEveryByte();
};

void tst_H264Sps::parses_data() {
    QTest::addColumn<SpsFields>("fields");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<double>("level");
    QTest::addColumn<uint>("width");
    QTest::addColumn<uint>("height");
    QTest::addColumn<double>("frameRate");

    SpsFields interlaced; // scaling matrices, POC type 1, field coding, extended SAR
    interlaced.scalingMatrix = true;
    interlaced.pocType = 1;
    interlaced.frameMbsOnly = false;
    interlaced.heightMapUnits = 34; // x 2 fields = 68 MB rows = 1088
    interlaced.crop[3] = 2;         // CropUnitY = SubHeightC 2 x 2 = 4 -> 8 rows
    interlaced.extendedSar = true;
    QTest::newRow("high scaling lists poc1 interlaced")
        << interlaced << "High" << 4.0 << 1920U << 1080U << 25.0;

    SpsFields planes; // 4:4:4 coded as three separate planes: crop unit is 1 luma sample
    planes.profileIdc = 244;
    planes.chromaFormatIdc = 3;
    planes.separateColourPlane = true;
    planes.scalingMatrix = true; // 12 lists
    planes.pocType = 2;
    planes.widthMbs = 81;
    planes.heightMapUnits = 45;
    planes.crop[1] = 16;
    planes.vui = false;
    QTest::newRow("high 4:4:4 separate colour planes")
        << planes << "High 4:4:4" << 4.0 << 1280U << 720U << 0.0;

    SpsFields chroma444 = planes; // same, but one plane: crop unit 1 (SubWidthC 1)
    chroma444.separateColourPlane = false;
    QTest::newRow("high 4:4:4 joint planes")
        << chroma444 << "High 4:4:4" << 4.0 << 1280U << 720U << 0.0;

    SpsFields chroma422; // CropUnitX 2, CropUnitY 1
    chroma422.profileIdc = 122;
    chroma422.chromaFormatIdc = 2;
    chroma422.widthMbs = 54;
    chroma422.heightMapUnits = 30;
    chroma422.crop[1] = 5; // 10 columns
    chroma422.crop[3] = 4; // 4 rows
    chroma422.unitsInTick = 1001;
    chroma422.timeScale = 60000;
    QTest::newRow("high 4:2:2 crop")
        << chroma422 << "High 4:2:2" << 4.0 << 854U << 476U << 30000.0 / 1001.0;

    SpsFields mono; // monochrome: crop in luma rows
    mono.chromaFormatIdc = 0;
    mono.crop[3] = 8;
    QTest::newRow("monochrome crop") << mono << "High" << 4.0 << 1920U << 1080U << 25.0;

    SpsFields baseline;
    baseline.profileIdc = 66;
    baseline.levelIdc = 13;
    baseline.widthMbs = 22;
    baseline.heightMapUnits = 18;
    baseline.log2MaxFrameNumMinus4 = 12;
    QTest::newRow("baseline not constrained")
        << baseline << "Baseline" << 1.3 << 352U << 288U << 25.0;

    SpsFields extended = baseline;
    extended.profileIdc = 88;
    QTest::newRow("extended") << extended << "Extended" << 1.3 << 352U << 288U << 25.0;

    SpsFields intra;
    intra.profileIdc = 110;
    intra.constraints = 0x10; // constraint_set3_flag
    intra.levelIdc = 51;
    QTest::newRow("high 10 intra") << intra << "High 10 Intra" << 5.1 << 1920U << 1088U << 25.0;
}

void tst_H264Sps::parses() {
    QFETCH(SpsFields, fields);
    QFETCH(QString, profile);
    QFETCH(double, level);
    QFETCH(uint, width);
    QFETCH(uint, height);
    QFETCH(double, frameRate);

    const QByteArray record = buildRecord(buildSps(fields));
    const auto config = parseAvcConfig(stagecast::test::view(record));
    QVERIFY2(config.has_value(), config ? "" : config.error().message().c_str());
    QCOMPARE(QString::fromStdString(config->codec), QStringLiteral("h264"));
    QCOMPARE(QString::fromStdString(config->profile), profile);
    QCOMPARE(config->level, level);
    QCOMPARE(config->width, width);
    QCOMPARE(config->height, height);
    QCOMPARE(config->frameRate, frameRate);
}

void tst_H264Sps::rejects_data() {
    QTest::addColumn<SpsFields>("fields");
    QTest::addColumn<QString>("error");

    SpsFields f;
    f.nalType = 8;
    QTest::newRow("pps nal type") << f << "nal_unit_type 8 invalid, allowed 7 (SPS)";
    f = {};
    f.chromaFormatIdc = 4;
    QTest::newRow("chroma format 4") << f << "chroma_format_idc 4 invalid, allowed 0..3";
    f = {};
    f.pocType = 3;
    QTest::newRow("poc type 3") << f << "pic_order_cnt_type 3 invalid, allowed 0..2";
    f = {};
    f.log2MaxFrameNumMinus4 = 13;
    QTest::newRow("log2 max frame num 17") << f << "log2_max_frame_num_minus4 13 invalid";
    f = {};
    f.scalingMatrix = true;
    f.badDelta = 200;
    QTest::newRow("delta scale 200") << f << "delta_scale invalid, allowed -128..127";
    f = {};
    f.crop[0] = 500;
    f.crop[1] = 460; // 2 x 960 = 1920 columns: nothing left
    QTest::newRow("crop whole width") << f << "horizontal crop 1920 invalid";
    f = {};
    f.crop[2] = 544; // 2 x 544 = 1088 rows
    QTest::newRow("crop whole height") << f << "vertical crop 1088 invalid";
    f = {};
    f.widthMbs = 9000;
    QTest::newRow("absurd width") << f << "pic_width_in_mbs_minus1 8999 invalid, allowed 0..8191";
}

void tst_H264Sps::rejects() {
    QFETCH(SpsFields, fields);
    QFETCH(QString, error);

    const auto config = parseH264Sps(buildSps(fields));
    QVERIFY(!config.has_value());
    const QString message = QString::fromStdString(config.error().message());
    QVERIFY2(message.startsWith("h264 sps: "), qPrintable(message));
    QVERIFY2(message.contains(error), qPrintable(message));
}

void tst_H264Sps::emulationPreventionIsRemoved() {
    // num_units_in_tick 1 and time_scale 0x100 put long zero runs into the RBSP; the NAL
    // form must carry 00 00 03 and still decode to exactly the same values.
    SpsFields f;
    f.unitsInTick = 1;
    f.timeScale = 0x100;
    const auto nal = buildSps(f);
    bool sawEscape = false;
    for (std::size_t i = 2; i < nal.size(); ++i) {
        sawEscape = sawEscape || (nal[i - 2] == 0 && nal[i - 1] == 0 && nal[i] == 3);
    }
    QVERIFY(sawEscape);
    const auto config = parseH264Sps(nal);
    QVERIFY(config.has_value());
    QCOMPARE(config->frameRate, 128.0);
    QCOMPARE(config->width, 1920U);
}

void tst_H264Sps::truncatedAtEveryByte() {
    SpsFields f;
    f.scalingMatrix = true;
    f.pocType = 1;
    const auto nal = buildSps(f);
    QVERIFY(parseH264Sps(nal).has_value());
    // The last byte only holds the end of the VUI flags and the stop bit; everything before
    // it is needed up to time_scale.
    for (std::size_t cut = 0; cut + 2 < nal.size(); ++cut) {
        const auto config = parseH264Sps(std::span(nal).first(cut));
        QVERIFY2(!config.has_value(), qPrintable(QString("cut at %1 parsed").arg(cut)));
        QVERIFY2(QString::fromStdString(config.error().message()).contains("truncated"),
                 config.error().message().c_str());
    }
}

QTEST_APPLESS_MAIN(tst_H264Sps)
#include "tst_H264Sps.moc"
