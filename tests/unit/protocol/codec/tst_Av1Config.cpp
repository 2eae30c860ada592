// Synthetic AV1 sequence header OBUs (AV1 Bitstream 5.5), written field by field, for what the
// encoders at hand did not produce: decoder model info, several operating points with tiers,
// OBU extension headers, OBUs without a size field, and other OBUs before the sequence header.

#include <QtTest>

#include <vector>

#include "BitWriter.h"
#include "TestBytes.h"
#include "protocol/codec/CodecConfig.h"

using namespace stagecast::protocol::codec;
using stagecast::test::BitWriter;

namespace {

struct SeqFields {
    unsigned seqProfile = 0;
    bool reducedStillPicture = false;
    bool timingInfo = false;
    std::uint32_t unitsInTick = 1;
    std::uint32_t timeScale = 30;
    bool equalPictureInterval = false;
    unsigned ticksPerPictureMinus1 = 0;
    bool decoderModel = false;
    bool initialDisplayDelay = false;
    std::vector<unsigned> levels = {8};
    unsigned width = 1920;
    unsigned height = 1080;
    bool badUvlc = false;
};

void writeUvlc(BitWriter& w, std::uint32_t value) {
    const std::uint64_t v = std::uint64_t{value} + 1;
    unsigned len = 0;
    while ((v >> len) > 1) {
        ++len;
    }
    w.bits(0, len);
    w.bits(v, len + 1);
}

unsigned bitsFor(unsigned valueMinus1) {
    unsigned n = 1;
    while ((valueMinus1 >> n) != 0) {
        ++n;
    }
    return n;
}

std::vector<std::uint8_t> buildSequenceHeader(const SeqFields& f) {
    BitWriter w;
    w.bits(f.seqProfile, 3);
    w.flag(false); // still_picture
    w.flag(f.reducedStillPicture);
    if (f.reducedStillPicture) {
        w.bits(f.levels[0], 5); // seq_level_idx[0]
    } else {
        w.flag(f.timingInfo); // timing_info_present_flag
        if (f.timingInfo) {
            w.bits(f.unitsInTick, 32); // num_units_in_display_tick
            w.bits(f.timeScale, 32);   // time_scale
            w.flag(f.equalPictureInterval);
            if (f.equalPictureInterval) {
                if (f.badUvlc) {
                    w.bits(0, 32); // 32 leading zeros
                    w.bits(1, 1);
                } else {
                    writeUvlc(w, f.ticksPerPictureMinus1);
                }
            }
            w.flag(f.decoderModel); // decoder_model_info_present_flag
            if (f.decoderModel) {
                w.bits(9, 5);     // buffer_delay_length_minus_1: 10-bit delays
                w.bits(1000, 32); // num_units_in_decoding_tick
                w.bits(4, 5);     // buffer_removal_time_length_minus_1
                w.bits(4, 5);     // frame_presentation_time_length_minus_1
            }
        }
        w.flag(f.initialDisplayDelay);                         // initial_display_delay_present_flag
        w.bits(static_cast<unsigned>(f.levels.size() - 1), 5); // operating_points_cnt_minus_1
        for (std::size_t i = 0; i < f.levels.size(); ++i) {
            w.bits(i == 0 ? 0x103 : 0, 12); // operating_point_idc
            w.bits(f.levels[i], 5);         // seq_level_idx
            if (f.levels[i] > 7) {
                w.flag(true); // seq_tier
            }
            if (f.decoderModel) {
                w.flag(true);      // decoder_model_present_for_this_op
                w.bits(0x2aa, 10); // decoder_buffer_delay
                w.bits(0x155, 10); // encoder_buffer_delay
                w.flag(false);     // low_delay_mode_flag
            }
            if (f.initialDisplayDelay) {
                w.flag(true); // initial_display_delay_present_for_this_op
                w.bits(9, 4); // initial_display_delay_minus_1
            }
        }
    }
    const unsigned widthBits = bitsFor(f.width - 1);
    const unsigned heightBits = bitsFor(f.height - 1);
    w.bits(widthBits - 1, 4);  // frame_width_bits_minus_1
    w.bits(heightBits - 1, 4); // frame_height_bits_minus_1
    w.bits(f.width - 1, widthBits);
    w.bits(f.height - 1, heightBits);
    w.bits(0x5a5, 11); // some of what follows (frame_id_numbers_present_flag, ...)
    w.trailingBits();
    return w.bytes();
}

enum class Framing { Sized, SizedWithExtension, Unsized, AfterTemporalDelimiter };

QByteArray buildRecord(const SeqFields& f, Framing framing) {
    const std::vector<std::uint8_t> seq = buildSequenceHeader(f);
    std::vector<std::uint8_t> r = {0x81, static_cast<std::uint8_t>((f.seqProfile << 5) | 8), 0x0c,
                                   0x00};
    if (framing == Framing::AfterTemporalDelimiter) {
        r.push_back(0x12); // obu_type 2 (OBU_TEMPORAL_DELIMITER), has_size_field
        r.push_back(0x00); // obu_size 0
        r.push_back(0x2a); // obu_type 5 (OBU_METADATA), has_size_field
        r.push_back(0x80); // obu_size 128 as a two-byte leb128: 0x80 0x01
        r.push_back(0x01);
        r.insert(r.end(), 128, 0xee);
    }
    switch (framing) {
    case Framing::SizedWithExtension:
        r.push_back(0x0e); // obu_type 1, obu_extension_flag, obu_has_size_field
        r.push_back(0x08); // temporal_id 0, spatial_id 1
        break;
    case Framing::Unsized:
        r.push_back(0x08); // obu_type 1 without a size: runs to the end
        break;
    default:
        r.push_back(0x0a); // obu_type 1, obu_has_size_field
        break;
    }
    if (framing != Framing::Unsized) {
        r.push_back(static_cast<std::uint8_t>(seq.size()));
    }
    r.insert(r.end(), seq.begin(), seq.end());
    return stagecast::test::qb(r);
}

} // namespace

Q_DECLARE_METATYPE(SeqFields)
Q_DECLARE_METATYPE(Framing)

class tst_Av1Config : public QObject {
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void rejects();
    void recordWithoutObus();
};

void tst_Av1Config::parses_data() {
    QTest::addColumn<SeqFields>("fields");
    QTest::addColumn<Framing>("framing");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<double>("level");
    QTest::addColumn<uint>("width");
    QTest::addColumn<uint>("height");
    QTest::addColumn<double>("frameRate");

    SeqFields model; // decoder model, two operating points (the first with a tier bit)
    model.timingInfo = true;
    model.unitsInTick = 1001;
    model.timeScale = 60000;
    model.equalPictureInterval = true;
    model.ticksPerPictureMinus1 = 1; // 2 ticks per picture: 29.97
    model.decoderModel = true;
    model.initialDisplayDelay = true;
    model.levels = {12, 5};
    QTest::newRow("decoder model two operating points")
        << model << Framing::Sized << "Main" << 5.0 << 1920U << 1080U << 30000.0 / 1001.0;

    SeqFields variable = model; // no equal_picture_interval: one tick per picture
    variable.equalPictureInterval = false;
    variable.decoderModel = false;
    variable.seqProfile = 1;
    variable.levels = {13};
    variable.width = 3840;
    variable.height = 2160;
    QTest::newRow("high profile 4k timing") << variable << Framing::SizedWithExtension << "High"
                                            << 5.1 << 3840U << 2160U << 60000.0 / 1001.0;

    SeqFields still;
    still.reducedStillPicture = true;
    still.seqProfile = 2;
    still.levels = {31}; // no level constraint
    still.width = 65536; // 16-bit frame_width_minus_1
    still.height = 1;
    QTest::newRow("professional still picture 16-bit width")
        << still << Framing::Unsized << "Professional" << 0.0 << 65536U << 1U << 0.0;

    SeqFields plain;
    plain.levels = {23};
    QTest::newRow("after temporal delimiter and metadata")
        << plain << Framing::AfterTemporalDelimiter << "Main" << 7.3 << 1920U << 1080U << 0.0;
}

void tst_Av1Config::parses() {
    QFETCH(SeqFields, fields);
    QFETCH(Framing, framing);
    QFETCH(QString, profile);
    QFETCH(double, level);
    QFETCH(uint, width);
    QFETCH(uint, height);
    QFETCH(double, frameRate);

    const QByteArray record = buildRecord(fields, framing);
    const auto config = parseAv1Config(stagecast::test::view(record));
    QVERIFY2(config.has_value(), config ? "" : config.error().message().c_str());
    QCOMPARE(QString::fromStdString(config->codec), QStringLiteral("av1"));
    QCOMPARE(QString::fromStdString(config->profile), profile);
    QCOMPARE(config->level, level);
    QCOMPARE(config->width, width);
    QCOMPARE(config->height, height);
    QCOMPARE(config->frameRate, frameRate);
}

void tst_Av1Config::rejects() {
    SeqFields f;
    f.timingInfo = true;
    f.equalPictureInterval = true;
    f.badUvlc = true;
    const auto config = parseAv1Config(stagecast::test::view(buildRecord(f, Framing::Sized)));
    QVERIFY(!config.has_value());
    QVERIFY2(QString::fromStdString(config.error().message())
                 .contains("num_ticks_per_picture_minus_1: uvlc code too long"),
             config.error().message().c_str());
}

void tst_Av1Config::recordWithoutObus() {
    // Legal per the ISOBMFF binding: profile and level come from the record header, the
    // picture size stays unknown.
    const QByteArray record = QByteArray::fromHex("81" // marker, version 1
                                                  "2d" // seq_profile 1, seq_level_idx_0 13
                                                  "0c00");
    const auto config = parseAv1Config(stagecast::test::view(record));
    QVERIFY(config.has_value());
    QCOMPARE(QString::fromStdString(config->profile), QStringLiteral("High"));
    QCOMPARE(config->level, 5.1);
    QCOMPARE(config->width, 0U);
    QCOMPARE(config->height, 0U);
}

QTEST_APPLESS_MAIN(tst_Av1Config)
#include "tst_Av1Config.moc"
