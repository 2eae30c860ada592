// AudioSpecificConfigs (ISO/IEC 14496-3 1.6.2.1) that ffmpeg's native encoder cannot write:
// HE-AAC and HE-AACv2 in both signalling styles, escape object types, explicit rates and a
// program_config_element. The well-known byte strings are spelled out bit by bit; the longer
// ones are built field by field.

#include <QtTest>

#include "BitWriter.h"
#include "TestBytes.h"
#include "protocol/codec/CodecConfig.h"

using namespace stagecast::protocol::codec;
using stagecast::test::BitWriter;

namespace {

QByteArray build(void (*fill)(BitWriter&)) {
    BitWriter w;
    fill(w);
    w.align();
    return stagecast::test::qb(w.bytes());
}

// LC core at 24 kHz with the backward-compatible SBR (and optionally PS) trailer.
void backwardCompatible(BitWriter& w, bool ps) {
    w.bits(2, 5);          // audioObjectType 2 (LC)
    w.bits(6, 4);          // samplingFrequencyIndex 6 (24000)
    w.bits(ps ? 1 : 2, 4); // channelConfiguration
    w.bits(0, 3);          // GASpecificConfig: frameLengthFlag, dependsOnCoreCoder, extensionFlag
    w.bits(0x2b7, 11);     // syncExtensionType
    w.bits(5, 5);          // extensionAudioObjectType 5 (SBR)
    w.flag(true);          // sbrPresentFlag
    w.bits(3, 4);          // extensionSamplingFrequencyIndex 3 (48000)
    if (ps) {
        w.bits(0x548, 11); // syncExtensionType
        w.flag(true);      // psPresentFlag
    }
}

} // namespace

class tst_AacConfig : public QObject {
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
};

void tst_AacConfig::parses_data() {
    QTest::addColumn<QByteArray>("asc");
    QTest::addColumn<QString>("profile");
    QTest::addColumn<uint>("sampleRate");
    QTest::addColumn<uint>("channels");

    // 00101 AOT 5 (SBR) | 0110 index 6 (24000) | 0010 stereo | 0011 extension index 3 (48000)
    // | 00010 AOT 2 (LC core) | 000 GASpecificConfig | 0000 padding
    QTest::newRow("he-aac explicit") << QByteArray::fromHex("2b118800") << "HE-AAC" << 48000U << 2U;
    // 11101 AOT 29 (PS) | 0110 (24000) | 0001 mono core | 0011 (48000) | 00010 | 000 | 0000
    QTest::newRow("he-aacv2 explicit")
        << QByteArray::fromHex("eb098800") << "HE-AACv2" << 48000U << 2U;
    QTest::newRow("he-aac backward compatible")
        << build([](BitWriter& w) { backwardCompatible(w, false); }) << "HE-AAC" << 48000U << 2U;
    QTest::newRow("he-aacv2 backward compatible")
        << build([](BitWriter& w) { backwardCompatible(w, true); }) << "HE-AACv2" << 48000U << 2U;
    // 00001 AOT 1 (Main) | 0011 (48000) | 0110 5.1 | 000
    QTest::newRow("main 5.1") << QByteArray::fromHex("09b0") << "Main" << 48000U << 6U;
    // 00010 | 1000 (16000) | 0111 channelConfiguration 7 = 7.1 | 000
    QTest::newRow("lc 7.1") << QByteArray::fromHex("1438") << "LC" << 16000U << 8U;
    // 00010 | 1111 explicit | 000000010111011100000000 = 6000 Hz | 0001 | 000
    QTest::newRow("explicit 24-bit rate") << build([](BitWriter& w) {
        w.bits(2, 5);
        w.bits(15, 4);
        w.bits(6000, 24);
        w.bits(1, 4);
        w.bits(0, 3);
    }) << "LC" << 6000U << 1U;
    // 11111 escape | 000111 = 32 + 7 = 39 (ELD) | 0011 (48000) | 0010
    QTest::newRow("escaped object type eld") << build([](BitWriter& w) {
        w.bits(31, 5);
        w.bits(7, 6);
        w.bits(3, 4);
        w.bits(2, 4);
    }) << "ELD" << 48000U << 2U;
    QTest::newRow("pce 5.1 with comment") << build([](BitWriter& w) {
        w.bits(2, 5);  // AOT 2
        w.bits(4, 4);  // 44100
        w.bits(0, 4);  // channelConfiguration 0: a PCE follows in GASpecificConfig
        w.bits(0, 3);  // frameLengthFlag, dependsOnCoreCoder, extensionFlag
        w.bits(0, 4);  // element_instance_tag
        w.bits(1, 2);  // object_type
        w.bits(4, 4);  // sampling_frequency_index
        w.bits(2, 4);  // num_front_channel_elements
        w.bits(0, 4);  // num_side_channel_elements
        w.bits(1, 4);  // num_back_channel_elements
        w.bits(1, 2);  // num_lfe_channel_elements
        w.bits(1, 3);  // num_assoc_data_elements
        w.bits(1, 4);  // num_valid_cc_elements
        w.flag(true);  // mono_mixdown_present
        w.bits(0, 4);  //   mono_mixdown_element_number
        w.flag(true);  // stereo_mixdown_present
        w.bits(1, 4);  //   stereo_mixdown_element_number
        w.flag(true);  // matrix_mixdown_idx_present
        w.bits(1, 3);  //   matrix_mixdown_idx, pseudo_surround_enable
        w.flag(false); // front 0: SCE (centre)
        w.bits(0, 4);
        w.flag(true); // front 1: CPE (left/right)
        w.bits(0, 4);
        w.flag(true); // back 0: CPE (surrounds)
        w.bits(1, 4);
        w.bits(0, 4); // lfe_element_tag_select
        w.bits(0, 4); // assoc_data_element_tag_select
        w.bits(0, 5); // cc_element_is_ind_sw, valid_cc_element_tag_select
        w.align();    // byte_alignment()
        w.bits(3, 8); // comment_field_bytes
        w.bits(0x414243, 24);
        // The backward-compatible trailer after the PCE proves the PCE was skipped exactly.
        w.bits(0x2b7, 11);
        w.bits(5, 5);
        w.flag(true);
        w.bits(3, 4); // 48000
    }) << "HE-AAC" << 48000U << 6U;
}

void tst_AacConfig::parses() {
    QFETCH(QByteArray, asc);
    QFETCH(QString, profile);
    QFETCH(uint, sampleRate);
    QFETCH(uint, channels);

    const auto config = parseAacConfig(stagecast::test::view(asc));
    QVERIFY2(config.has_value(), config ? "" : config.error().message().c_str());
    QCOMPARE(QString::fromStdString(config->codec), QStringLiteral("aac"));
    QCOMPARE(QString::fromStdString(config->profile), profile);
    QCOMPARE(config->sampleRate, sampleRate);
    QCOMPARE(config->channels, channels);
}

QTEST_APPLESS_MAIN(tst_AacConfig)
#include "tst_AacConfig.moc"
