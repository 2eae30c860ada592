// ADTS fields from an AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) and the 7-byte ADTS
// header (ISO/IEC 13818-7 6.2.1/6.2.2). AudioSpecificConfig bit strings were assembled with a
// separate script from the field values in the row comments.

#include <QtTest>

#include <span>

#include "protocol/mpegts/Adts.h"

using namespace stagecast::protocol::mpegts;

namespace {

std::span<const std::uint8_t> view(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

template <std::size_t N>
QByteArray qb(const std::array<std::uint8_t, N>& a) {
    return QByteArray(reinterpret_cast<const char*>(a.data()), static_cast<qsizetype>(N));
}

} // namespace

class tst_Adts : public QObject {
    Q_OBJECT

private slots:
    void config_data();
    void config();
    void configTruncatedAtEveryByte_data();
    void configTruncatedAtEveryByte();
    void configErrors_data();
    void configErrors();
    void header_data();
    void header();
};

void tst_Adts::config_data() {
    QTest::addColumn<QByteArray>("asc");
    QTest::addColumn<uint>("objectType");
    QTest::addColumn<uint>("rateIndex");
    QTest::addColumn<uint>("channels");

    // The fixture's config (ffmpeg aac): AOT 2 (LC) | index 7 (22050) | channels 1 | GA bits.
    QTest::newRow("lc 22050 mono") << QByteArray::fromHex("1388") << 2U << 7U << 1U;
    // AOT 2 | index 4 (44100) | channels 2 | frameLength 0, dependsOnCore 0, extension 0.
    QTest::newRow("lc 44100 stereo") << QByteArray::fromHex("1210") << 2U << 4U << 2U;
    // AOT 1 (Main) | index 3 (48000) | channels 6 (5.1).
    QTest::newRow("main 48000 5.1") << QByteArray::fromHex("09b0") << 1U << 3U << 6U;
    // AOT 5 (SBR) | index 6 (24000, the core rate) | channels 2 | ext index 3 (48000) | AOT 2.
    QTest::newRow("he-aac explicit") << QByteArray::fromHex("2b1188") << 2U << 6U << 2U;
    // AOT 29 (PS) | index 8 (16000) | channels 1 | ext index 5 (32000) | AOT 2.
    QTest::newRow("he-aac v2 explicit") << QByteArray::fromHex("ec0a88") << 2U << 8U << 1U;
    // AOT 2 | index 15 + 24-bit 44100 | channels 2: an explicit rate that is in the table.
    QTest::newRow("explicit rate in table") << QByteArray::fromHex("1780562210") << 2U << 4U << 2U;
}

void tst_Adts::config() {
    QFETCH(QByteArray, asc);
    QFETCH(uint, objectType);
    QFETCH(uint, rateIndex);
    QFETCH(uint, channels);
    const auto config = adtsConfigFromAsc(view(asc));
    QVERIFY2(config.has_value(), config ? "" : config.error().message().c_str());
    QCOMPARE(uint{config->objectType}, objectType);
    QCOMPARE(uint{config->samplingFrequencyIndex}, rateIndex);
    QCOMPARE(uint{config->channelConfiguration}, channels);
}

void tst_Adts::configTruncatedAtEveryByte_data() {
    config_data();
}

void tst_Adts::configTruncatedAtEveryByte() {
    QFETCH(QByteArray, asc);
    // Every field the muxer needs ends in the last byte of these configs.
    for (qsizetype n = 0; n < asc.size(); ++n) {
        const auto config = adtsConfigFromAsc(view(asc.left(n)));
        QVERIFY2(!config.has_value(), qPrintable(QString("cut at %1").arg(n)));
        QVERIFY(QString::fromStdString(config.error().message()).contains("truncated"));
    }
}

void tst_Adts::configErrors_data() {
    QTest::addColumn<QByteArray>("asc");
    QTest::addColumn<QString>("error");
    QTest::newRow("explicit rate not in table")
        << QByteArray::fromHex("178055f010") // index 15 + 44000
        << "ts: AAC sampling frequency (explicit, not in table) cannot be carried in ADTS, "
           "allowed the rates of indices 0..12";
    QTest::newRow("reserved rate index")
        << QByteArray::fromHex("1690") // index 13
        << "ts: AAC sampling frequency index 13 cannot be carried in ADTS, allowed the rates "
           "of indices 0..12";
    QTest::newRow("usac") << QByteArray::fromHex("f94640") // AOT 31 + 10 = 42
                          << "ts: AAC audioObjectType 42 cannot be carried in ADTS, allowed 1..4 "
                             "(Main, LC, SSR, LTP), optionally under SBR/PS";
    QTest::newRow("channel config 0")
        << QByteArray::fromHex("1200")
        << "ts: AAC channelConfiguration 0 cannot be carried in ADTS, allowed 1..7";
    QTest::newRow("channel config 8")
        << QByteArray::fromHex("1240")
        << "ts: AAC channelConfiguration 8 cannot be carried in ADTS, allowed 1..7";
    QTest::newRow("empty") << QByteArray()
                           << "ts: AAC AudioSpecificConfig audioObjectType: truncated (bit 0 of 0)";
}

void tst_Adts::configErrors() {
    QFETCH(QByteArray, asc);
    QFETCH(QString, error);
    const auto config = adtsConfigFromAsc(view(asc));
    QVERIFY(!config.has_value());
    QCOMPARE(QString::fromStdString(config.error().message()), error);
}

void tst_Adts::header_data() {
    QTest::addColumn<uint>("objectType");
    QTest::addColumn<uint>("rateIndex");
    QTest::addColumn<uint>("channels");
    QTest::addColumn<uint>("payload");
    QTest::addColumn<QByteArray>("expected");

    // The fixture's first AAC frame: 202 bytes, frame_length 209 (0xd1).
    QTest::newRow("lc 22050 mono 202") << 2U << 7U << 1U << 202U
                                       << QByteArray::fromHex("fff1" // syncword, ID 0, layer 0,
                                                                     // protection_absent 1
                                                              "5c"   // profile 1 (LC), index 7,
                                                                   // private 0, channels bit 2 = 0
                                                              "40"   // channels 1, 4 zero bits,
                                                                     // frame_length[12..11] = 0
                                                              "1a"   // frame_length[10..3]
                                                              "3f"   // frame_length[2..0] = 1,
                                                                     // fullness 0x7ff high 5 bits
                                                              "fc"); // fullness low 6, 1 block
    QTest::newRow("lc 44100 stereo 100")
        << 2U << 4U << 2U << 100U << QByteArray::fromHex("fff1 50 80 0d 7f fc"); // length 107
    QTest::newRow("main 48000 5.1 1")
        << 1U << 3U << 6U << 1U
        << QByteArray::fromHex("fff1"
                               "0d"         // profile 0 (Main), index 3, channels bit 2 = 1
                               "80"         // channels low bits 10
                               "01 1f fc"); // frame_length 8
    QTest::newRow("largest frame") << 2U << 4U << 2U << 8184U
                                   << QByteArray::fromHex("fff150"
                                                          "83" // frame_length 0x1fff high 2
                                                          "ff" // ...
                                                          "ff" // low 3 bits, fullness high
                                                          "fc");
}

void tst_Adts::header() {
    QFETCH(uint, objectType);
    QFETCH(uint, rateIndex);
    QFETCH(uint, channels);
    QFETCH(uint, payload);
    QFETCH(QByteArray, expected);
    AdtsConfig config;
    config.objectType = static_cast<std::uint8_t>(objectType);
    config.samplingFrequencyIndex = static_cast<std::uint8_t>(rateIndex);
    config.channelConfiguration = static_cast<std::uint8_t>(channels);
    QCOMPARE(qb(adtsHeader(config, payload)).toHex(), expected.toHex());
}

QTEST_APPLESS_MAIN(tst_Adts)
#include "tst_Adts.moc"
