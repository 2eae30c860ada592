// Real decoder configurations (see RealConfigs.h) through the four public parsers, plus the
// record-level errors and truncation at every byte. Synthetic parameter sets exercising the
// rarer syntax live in tst_H264Sps, tst_HevcSps, tst_Av1Config and tst_AacConfig.

#include <QtTest>

#include <span>
#include <vector>

#include "RealConfigs.h"
#include "TestBytes.h"
#include "protocol/codec/CodecConfig.h"

using namespace stagecast::protocol::codec;
namespace test = stagecast::test;

namespace {

using test::qb;
using test::view;

stagecast::base::Result<VideoConfig> parseVideo(const QString& codec, const QByteArray& record) {
    if (codec == "h264") {
        return parseAvcConfig(view(record));
    }
    if (codec == "hevc") {
        return parseHevcConfig(view(record));
    }
    return parseAv1Config(view(record));
}

} // namespace

class tst_CodecConfig : public QObject {
    Q_OBJECT

private slots:
    void realVideoConfigs_data();
    void realVideoConfigs();
    void realAacConfigs_data();
    void realAacConfigs();
    void videoErrors_data();
    void videoErrors();
    void aacErrors_data();
    void aacErrors();
    void videoTruncatedAtEveryByte_data();
    void videoTruncatedAtEveryByte();
    void aacTruncatedAtEveryByte();
};

void tst_CodecConfig::realVideoConfigs_data() {
    QTest::addColumn<QString>("codec");
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<double>("level");
    QTest::addColumn<uint>("width");
    QTest::addColumn<uint>("height");
    QTest::addColumn<double>("frameRate");

    QTest::newRow("h264 high 720p30")
        << "h264" << qb(test::kAvcHigh720p30) << "High" << 3.1 << 1280U << 720U << 30.0;
    QTest::newRow("h264 main 854x480 cropped")
        << "h264" << qb(test::kAvcMain854x480) << "Main" << 3.0 << 854U << 480U << 25.0;
    QTest::newRow("h264 constrained baseline 640x360 cropped")
        << "h264" << qb(test::kAvcBaseline640x360) << "Constrained Baseline" << 3.0 << 640U << 360U
        << 30.0;
    QTest::newRow("h264 high 4:2:2")
        << "h264" << qb(test::kAvcHigh422) << "High 4:2:2" << 3.1 << 1280U << 720U << 30.0;
    QTest::newRow("h264 high 4:4:4")
        << "h264" << qb(test::kAvcHigh444) << "High 4:4:4" << 3.1 << 1280U << 720U << 30.0;
    QTest::newRow("h264 high 10") << "h264" << qb(test::kAvcHigh10) << "High 10" << 3.1 << 1280U
                                  << 720U << 30.0;
    QTest::newRow("h264 interlaced 1080i25 field crop")
        << "h264" << qb(test::kAvcInterlaced1080i) << "High" << 4.0 << 1920U << 1080U << 25.0;
    QTest::newRow("h264 1080p 29.97") << "h264" << qb(test::kAvcHigh1080p2997) << "High" << 4.0
                                      << 1920U << 1080U << 30000.0 / 1001.0;
    QTest::newRow("hevc main 854x480 conformance window")
        << "hevc" << qb(test::kHevcMain854x480) << "Main" << 3.0 << 854U << 480U << 30.0;
    QTest::newRow("hevc main 10 720p25")
        << "hevc" << qb(test::kHevcMain10720p25) << "Main 10" << 3.1 << 1280U << 720U << 25.0;
    QTest::newRow("av1 libaom 640x360")
        << "av1" << qb(test::kAv1Aom640x360) << "Main" << 2.1 << 640U << 360U << 0.0;
    QTest::newRow("av1 svt 854x480")
        << "av1" << qb(test::kAv1Svt854x480) << "Main" << 3.0 << 854U << 480U << 0.0;
    QTest::newRow("av1 libaom timing info 25 fps")
        << "av1" << qb(test::kAv1AomTiming320x240) << "Main" << 2.0 << 320U << 240U << 25.0;
    QTest::newRow("av1 libaom reduced still picture header")
        << "av1" << qb(test::kAv1AomStill320x240) << "Main" << 2.0 << 320U << 240U << 0.0;
}

void tst_CodecConfig::realVideoConfigs() {
    QFETCH(QString, codec);
    QFETCH(QByteArray, record);
    QFETCH(QString, profile);
    QFETCH(double, level);
    QFETCH(uint, width);
    QFETCH(uint, height);
    QFETCH(double, frameRate);

    const auto config = parseVideo(codec, record);
    QVERIFY2(config.has_value(), config ? "" : config.error().message().c_str());
    QCOMPARE(QString::fromStdString(config->codec), codec);
    QCOMPARE(QString::fromStdString(config->profile), profile);
    QCOMPARE(config->level, level);
    QCOMPARE(config->width, width);
    QCOMPARE(config->height, height);
    QCOMPARE(config->frameRate, frameRate);
}

void tst_CodecConfig::realAacConfigs_data() {
    QTest::addColumn<QByteArray>("asc");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<uint>("sampleRate");
    QTest::addColumn<uint>("channels");

    QTest::newRow("ffmpeg lc 44.1k stereo") << qb(test::kAacLc44100Stereo) << "LC" << 44100U << 2U;
    QTest::newRow("ffmpeg lc 48k mono") << qb(test::kAacLc48000Mono) << "LC" << 48000U << 1U;
    // The same config without ffmpeg's sync-extension trailer, as most encoders write it.
    QTest::newRow("lc 44.1k stereo two bytes")
        << qb(test::kAacLc44100Stereo).left(2) << "LC" << 44100U << 2U;
}

void tst_CodecConfig::realAacConfigs() {
    QFETCH(QByteArray, asc);
    QFETCH(QString, profile);
    QFETCH(uint, sampleRate);
    QFETCH(uint, channels);

    const auto config = parseAacConfig(view(asc));
    QVERIFY2(config.has_value(), config ? "" : config.error().message().c_str());
    QCOMPARE(QString::fromStdString(config->codec), QStringLiteral("aac"));
    QCOMPARE(QString::fromStdString(config->profile), profile);
    QCOMPARE(config->sampleRate, sampleRate);
    QCOMPARE(config->channels, channels);
}

void tst_CodecConfig::videoErrors_data() {
    QTest::addColumn<QString>("codec");
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<QString>("error");

    const QByteArray avc = qb(test::kAvcHigh720p30);
    const QByteArray hevc = qb(test::kHevcMain854x480);
    const QByteArray av1 = qb(test::kAv1Aom640x360);

    QTest::newRow("avc empty") << "h264" << QByteArray() << "truncated at configurationVersion";
    QByteArray avcVersion = avc;
    avcVersion[0] = 2;
    QTest::newRow("avc version 2") << "h264" << avcVersion << "configurationVersion 2 invalid";
    QByteArray avcLength = avc;
    avcLength[4] = static_cast<char>(0xfe); // lengthSizeMinusOne 2: 3-byte lengths
    QTest::newRow("avc length size 3") << "h264" << avcLength << "lengthSizeMinusOne 2 invalid";
    QByteArray avcNoSps = avc.left(6);
    avcNoSps[5] = static_cast<char>(0xe0); // numOfSequenceParameterSets 0
    avcNoSps.append(char(0x00));           // numOfPictureParameterSets 0
    QTest::newRow("avc zero sps") << "h264" << avcNoSps << "numOfSequenceParameterSets 0";
    QByteArray avcLongSps = avc;
    avcLongSps[7] = 0x7f; // sequenceParameterSetLength 127, past the end
    QTest::newRow("avc sps longer than record")
        << "h264" << avcLongSps << "truncated at sequenceParameterSetNALUnit";
    QByteArray avcPpsAsSps = avc;
    avcPpsAsSps[8] = 0x68; // NAL header says PPS
    QTest::newRow("avc pps where the sps belongs")
        << "h264" << avcPpsAsSps << "nal_unit_type 8 invalid, allowed 7";
    QByteArray avcShortSps = avc;
    avcShortSps[7] = 0x04; // SPS of NAL header + profile/constraints/level only
    avcShortSps.remove(8 + 4, 26 - 4);
    QTest::newRow("avc sps cut before its id")
        << "h264" << avcShortSps << "h264 sps: seq_parameter_set_id: truncated";

    QTest::newRow("hevc empty") << "hevc" << QByteArray() << "truncated at configurationVersion";
    QByteArray hevcVersion = hevc;
    hevcVersion[0] = 0;
    QTest::newRow("hevc version 0") << "hevc" << hevcVersion << "configurationVersion 0 invalid";
    QTest::newRow("hevc header only") << "hevc" << hevc.left(20) << "truncated at the 23-byte";
    QByteArray hevcNoSps = hevc.left(23);
    hevcNoSps[22] = 0; // numOfArrays 0
    QTest::newRow("hevc no arrays") << "hevc" << hevcNoSps << "no SPS (NAL unit type 33)";
    QByteArray hevcLongNal = hevc;
    hevcLongNal[27] = 0x7f; // VPS nalUnitLength 127, past the end
    QTest::newRow("hevc nal longer than record") << "hevc" << hevcLongNal << "truncated at nalUnit";

    QTest::newRow("av1 three bytes") << "av1" << av1.left(3) << "allowed at least 4";
    QByteArray av1Marker = av1;
    av1Marker[0] = 0x01;
    QTest::newRow("av1 marker bit clear") << "av1" << av1Marker << "marker/version byte 0x01";
    QByteArray av1Version = av1;
    av1Version[0] = static_cast<char>(0x82);
    QTest::newRow("av1 version 2") << "av1" << av1Version << "marker/version byte 0x82";
    QByteArray av1Forbidden = av1;
    av1Forbidden[4] = static_cast<char>(0x8a);
    QTest::newRow("av1 obu forbidden bit") << "av1" << av1Forbidden << "obu_forbidden_bit";
    QByteArray av1LongObu = av1;
    av1LongObu[5] = 0x40; // obu_size 64
    QTest::newRow("av1 obu longer than record") << "av1" << av1LongObu << "declares 64 bytes";
    QByteArray av1Leb = av1.left(5);
    av1Leb.append(QByteArray(9, char(0x80))); // leb128 never terminates
    QTest::newRow("av1 leb128 too long") << "av1" << av1Leb << "obu_size";
    QByteArray av1ShortSeq = av1.left(6 + 4);
    av1ShortSeq[5] = 4; // obu_size 4: the sequence header stops inside seq_level_idx
    QTest::newRow("av1 sequence header cut")
        << "av1" << av1ShortSeq << "av1 sequence header: frame_width_bits_minus_1: truncated";
}

void tst_CodecConfig::videoErrors() {
    QFETCH(QString, codec);
    QFETCH(QByteArray, record);
    QFETCH(QString, error);

    const auto config = parseVideo(codec, record);
    QVERIFY(!config.has_value());
    const QString message = QString::fromStdString(config.error().message());
    QVERIFY2(message.contains(error), qPrintable(message));
}

void tst_CodecConfig::aacErrors_data() {
    QTest::addColumn<QByteArray>("asc");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << QByteArray() << "audioObjectType: truncated";
    QTest::newRow("one byte") << QByteArray::fromHex("12")
                              << "samplingFrequencyIndex: truncated (bit 5 of 8)";
    // 00000 AOT 0 | 0100 | 0010
    QTest::newRow("object type 0") << QByteArray::fromHex("0210") << "audioObjectType 0 invalid";
    // 00010 AOT 2 | 1101 index 13 (reserved) | 0010
    QTest::newRow("reserved rate index")
        << QByteArray::fromHex("1690") << "samplingFrequencyIndex reserved";
    // 00010 | 0100 | 1000 channelConfiguration 8 (reserved) | 000
    QTest::newRow("reserved channel config")
        << QByteArray::fromHex("1240") << "channelConfiguration 8 reserved";
    // 00010 | 1111 explicit rate, then only 7 of its 24 bits
    QTest::newRow("explicit rate cut")
        << QByteArray::fromHex("17ff") << "samplingFrequency: truncated";
}

void tst_CodecConfig::aacErrors() {
    QFETCH(QByteArray, asc);
    QFETCH(QString, error);

    const auto config = parseAacConfig(view(asc));
    QVERIFY(!config.has_value());
    const QString message = QString::fromStdString(config.error().message());
    QVERIFY2(message.contains(error), qPrintable(message));
}

void tst_CodecConfig::videoTruncatedAtEveryByte_data() {
    QTest::addColumn<QString>("codec");
    QTest::addColumn<QByteArray>("record");
    QTest::addColumn<int>("shortestValid");

    // avcC and hvcC count their parameter sets, so any cut is an error. An av1C may legally
    // stop after its 4-byte header (no configOBUs), which leaves the picture size unknown.
    QTest::newRow("avc high") << "h264" << qb(test::kAvcHigh720p30) << -1;
    QTest::newRow("avc interlaced") << "h264" << qb(test::kAvcInterlaced1080i) << -1;
    QTest::newRow("hevc main") << "hevc" << qb(test::kHevcMain854x480) << -1;
    QTest::newRow("hevc main 10") << "hevc" << qb(test::kHevcMain10720p25) << -1;
    QTest::newRow("av1 aom") << "av1" << qb(test::kAv1Aom640x360) << 4;
    QTest::newRow("av1 timing") << "av1" << qb(test::kAv1AomTiming320x240) << 4;
}

void tst_CodecConfig::videoTruncatedAtEveryByte() {
    QFETCH(QString, codec);
    QFETCH(QByteArray, record);
    QFETCH(int, shortestValid);

    // The High-profile trailer of an avcC is optional, so cuts inside it still parse.
    const auto full = parseVideo(codec, record);
    QVERIFY(full.has_value());
    for (int cut = 0; cut < record.size(); ++cut) {
        const auto config = parseVideo(codec, record.left(cut));
        if (cut == shortestValid) {
            QVERIFY2(config.has_value(), qPrintable(QString("cut at %1").arg(cut)));
            QCOMPARE(config->width, 0U);
            QCOMPARE(config->profile, full->profile);
            continue;
        }
        if (codec == "h264" && config.has_value()) {
            // Only a cut inside the optional trailer after the PPS may succeed, and then with
            // exactly the full result.
            QVERIFY2(cut > record.size() - 5, qPrintable(QString("cut at %1").arg(cut)));
            QCOMPARE(config->width, full->width);
            QCOMPARE(config->height, full->height);
            continue;
        }
        QVERIFY2(!config.has_value(), qPrintable(QString("cut at %1 parsed").arg(cut)));
        QVERIFY(!config.error().message().empty());
    }
}

void tst_CodecConfig::aacTruncatedAtEveryByte() {
    // The 2-byte core config is required; ffmpeg's 3-byte sync-extension trailer is optional
    // and a cut inside it must fall back to the core result, never fail or invent SBR.
    const QByteArray asc = qb(test::kAacLc44100Stereo);
    for (int cut = 0; cut <= asc.size(); ++cut) {
        const auto config = parseAacConfig(view(asc.left(cut)));
        if (cut < 2) {
            QVERIFY2(!config.has_value(), qPrintable(QString("cut at %1").arg(cut)));
            continue;
        }
        QVERIFY2(config.has_value(), qPrintable(QString("cut at %1").arg(cut)));
        QCOMPARE(QString::fromStdString(config->profile), QStringLiteral("LC"));
        QCOMPARE(config->sampleRate, 44100U);
        QCOMPARE(config->channels, 2U);
    }
}

QTEST_APPLESS_MAIN(tst_CodecConfig)
#include "tst_CodecConfig.moc"
