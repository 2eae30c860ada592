// FLV tag headers (FLV 10.1 E.4.1), video and audio tag body headers (E.4.2.1, E.4.3.1,
// Enhanced RTMP v1 ExVideoTagHeader) and the file header writers.

#include <QtTest>

#include <array>
#include <span>

#include "protocol/flv/Flv.h"

using namespace stagecast::protocol::flv;

namespace {

std::span<const std::uint8_t> view(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

template <std::size_t N>
QByteArray qb(const std::array<std::uint8_t, N>& bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(N));
}

QByteArray qb(const std::vector<std::uint8_t>& bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<qsizetype>(bytes.size()));
}

} // namespace

Q_DECLARE_METATYPE(VideoCodec)
Q_DECLARE_METATYPE(VideoPacketKind)
Q_DECLARE_METATYPE(AudioCodec)
Q_DECLARE_METATYPE(TagType)

class tst_Flv : public QObject {
    Q_OBJECT

private slots:
    void tagHeader_data();
    void tagHeader();
    void previousTagSize();
    void fileHeader_data();
    void fileHeader();
    void videoTag_data();
    void videoTag();
    void videoTagTruncatedAtEveryByte_data();
    void videoTagTruncatedAtEveryByte();
    void videoTagErrors_data();
    void videoTagErrors();
    void audioTag_data();
    void audioTag();
    void audioTagErrors_data();
    void audioTagErrors();
};

void tst_Flv::tagHeader_data() {
    QTest::addColumn<TagType>("type");
    QTest::addColumn<uint>("dataSize");
    QTest::addColumn<uint>("timestamp");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("video at zero") << TagType::Video << 46U << 0U
                                   << QByteArray::fromHex("09"       // TagType 9
                                                          "00002e"   // DataSize 46
                                                          "000000"   // Timestamp
                                                          "00"       // TimestampExtended
                                                          "000000"); // StreamID
    QTest::newRow("audio 24-bit timestamp")
        << TagType::Audio << 7U << 0xabcdefU << QByteArray::fromHex("08000007abcdef00000000");
    // Above 2^24 ms (4.6 hours) the top byte goes after the low 24 bits.
    QTest::newRow("script extended timestamp") << TagType::Script << 0xfffffeU << 0x12345678U
                                               << QByteArray::fromHex("12"
                                                                      "fffffe"
                                                                      "345678"
                                                                      "12"
                                                                      "000000");
}

void tst_Flv::tagHeader() {
    QFETCH(TagType, type);
    QFETCH(uint, dataSize);
    QFETCH(uint, timestamp);
    QFETCH(QByteArray, expected);

    std::array<std::uint8_t, kTagHeaderSize + 1> out{};
    out.back() = 0x5a; // must stay untouched
    writeTagHeader(out.data(), type, dataSize, timestamp);
    QCOMPARE(qb(out).left(static_cast<int>(kTagHeaderSize)), expected);
    QCOMPARE(out.back(), std::uint8_t{0x5a});
}

void tst_Flv::previousTagSize() {
    std::array<std::uint8_t, 4> out{};
    writePreviousTagSize(out.data(), 46);
    QCOMPARE(qb(out), QByteArray::fromHex("00000039")); // 11 + 46 = 57
    writePreviousTagSize(out.data(), 0xfffffe);
    QCOMPARE(qb(out), QByteArray::fromHex("01000009"));
}

void tst_Flv::fileHeader_data() {
    QTest::addColumn<bool>("audio");
    QTest::addColumn<bool>("video");
    QTest::addColumn<QByteArray>("expected");

    // "FLV", version 1, TypeFlags (audio 0x04, video 0x01), DataOffset 9, PreviousTagSize0.
    QTest::newRow("audio and video")
        << true << true << QByteArray::fromHex("464c5601050000000900000000");
    QTest::newRow("audio only") << true << false
                                << QByteArray::fromHex("464c5601040000000900000000");
    QTest::newRow("video only") << false << true
                                << QByteArray::fromHex("464c5601010000000900000000");
    QTest::newRow("neither") << false << false << QByteArray::fromHex("464c5601000000000900000000");
}

void tst_Flv::fileHeader() {
    QFETCH(bool, audio);
    QFETCH(bool, video);
    QFETCH(QByteArray, expected);

    QCOMPARE(qb(stagecast::protocol::flv::fileHeader(audio, video)), expected);
}

void tst_Flv::videoTag_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<VideoCodec>("codec");
    QTest::addColumn<bool>("enhanced");
    QTest::addColumn<bool>("keyframe");
    QTest::addColumn<VideoPacketKind>("kind");
    QTest::addColumn<int>("compositionTime");
    QTest::addColumn<uint>("payloadOffset");

    // Legacy headers; the AVC ones are from tests/data/flv_h264_aac_160x120.flv.
    QTest::newRow("avc sequence header")
        << QByteArray::fromHex("17"     // FrameType 1 (key), CodecID 7 (AVC)
                               "00"     // AVCPacketType 0: AVCDecoderConfigurationRecord
                               "000000" // CompositionTime
                               "014d400affe1")
        << VideoCodec::H264 << false << true << VideoPacketKind::SequenceHeader << 0 << 5U;
    QTest::newRow("avc keyframe cts 200")
        << QByteArray::fromHex("17"     // key, AVC
                               "01"     // AVCPacketType 1: NALUs
                               "0000c8" // CompositionTime 200
                               "000002a90605")
        << VideoCodec::H264 << false << true << VideoPacketKind::CodedFrames << 200 << 5U;
    QTest::newRow("avc inter cts 300")
        << QByteArray::fromHex("27"
                               "01"
                               "00012c"
                               "0000018f419a")
        << VideoCodec::H264 << false << false << VideoPacketKind::CodedFrames << 300 << 5U;
    QTest::newRow("avc negative cts")
        << QByteArray::fromHex("27"
                               "01"
                               "ffff9c"
                               "00000001") // SI24 -100
        << VideoCodec::H264 << false << false << VideoPacketKind::CodedFrames << -100 << 5U;
    QTest::newRow("avc end of sequence")
        << QByteArray::fromHex("17"
                               "02"
                               "000000")
        << VideoCodec::H264 << false << true << VideoPacketKind::EndOfSequence << 0 << 5U;
    QTest::newRow("legacy hevc sequence header")
        << QByteArray::fromHex("1c"
                               "00"
                               "000000"
                               "0101") // CodecID 12
        << VideoCodec::Hevc << false << true << VideoPacketKind::SequenceHeader << 0 << 5U;
    QTest::newRow("legacy hevc inter cts 40")
        << QByteArray::fromHex("2c"
                               "01"
                               "000028"
                               "00000001")
        << VideoCodec::Hevc << false << false << VideoPacketKind::CodedFrames << 40 << 5U;
    QTest::newRow("sorenson h263")
        << QByteArray::fromHex("22"
                               "0000840000") // inter frame, CodecID 2: no AVC header
        << VideoCodec::Unknown << false << false << VideoPacketKind::CodedFrames << 0 << 1U;
    QTest::newRow("legacy command frame")
        << QByteArray::fromHex("57"
                               "01") // FrameType 5, AVC; then VideoCommand
        << VideoCodec::H264 << false << false << VideoPacketKind::Other << 0 << 1U;

    // Enhanced RTMP v1: 1 | FrameType:3 | PacketType:4, FourCC.
    QTest::newRow("hvc1 sequence start")
        << QByteArray::fromHex("90"       // IsExHeader, key, PacketType 0 SequenceStart
                               "68766331" // 'hvc1'
                               "010160")  // HEVCDecoderConfigurationRecord...
        << VideoCodec::Hevc << true << true << VideoPacketKind::SequenceHeader << 0 << 5U;
    QTest::newRow("hvc1 coded frames cts 33")
        << QByteArray::fromHex("91"
                               "68766331"
                               "000021" // SI24 composition time 33
                               "0000001a2601")
        << VideoCodec::Hevc << true << true << VideoPacketKind::CodedFrames << 33 << 8U;
    QTest::newRow("hvc1 coded frames x")
        << QByteArray::fromHex("a3" // inter, PacketType 3 CodedFramesX: no CTS
                               "68766331"
                               "0000001a0201")
        << VideoCodec::Hevc << true << false << VideoPacketKind::CodedFrames << 0 << 5U;
    QTest::newRow("hvc1 sequence end")
        << QByteArray::fromHex("92"
                               "68766331")
        << VideoCodec::Hevc << true << true << VideoPacketKind::EndOfSequence << 0 << 5U;
    QTest::newRow("av01 sequence start")
        << QByteArray::fromHex("90"
                               "61763031"
                               "81010c00") // 'av01', then av1C
        << VideoCodec::Av1 << true << true << VideoPacketKind::SequenceHeader << 0 << 5U;
    QTest::newRow("av01 coded frames no cts")
        << QByteArray::fromHex("a1"
                               "61763031"
                               "12000a0b") // OBUs straight after the FourCC
        << VideoCodec::Av1 << true << false << VideoPacketKind::CodedFrames << 0 << 5U;
    QTest::newRow("vp09 coded frames")
        << QByteArray::fromHex("91"
                               "76703039"
                               "8249834200")
        << VideoCodec::Vp9 << true << true << VideoPacketKind::CodedFrames << 0 << 5U;
    QTest::newRow("av01 metadata")
        << QByteArray::fromHex("94"
                               "61763031"
                               "0200") // AMF "colorInfo" object follows
        << VideoCodec::Av1 << true << true << VideoPacketKind::Metadata << 0 << 5U;
    QTest::newRow("av01 mpeg2ts sequence start")
        << QByteArray::fromHex("95"
                               "61763031"
                               "8004")
        << VideoCodec::Av1 << true << true << VideoPacketKind::Other << 0 << 5U;
    QTest::newRow("enhanced command frame")
        << QByteArray::fromHex("d1"
                               "01") // FrameType 5: a VideoCommand byte, no FourCC
        << VideoCodec::Unknown << true << false << VideoPacketKind::Other << 0 << 1U;
    QTest::newRow("avc1 fourcc coded frames")
        << QByteArray::fromHex("a1"
                               "61766331"
                               "fffffe") // -2
        << VideoCodec::H264 << true << false << VideoPacketKind::CodedFrames << -2 << 8U;
    QTest::newRow("unknown fourcc")
        << QByteArray::fromHex("90"
                               "61626364")
        << VideoCodec::Unknown << true << true << VideoPacketKind::SequenceHeader << 0 << 5U;
}

void tst_Flv::videoTag() {
    QFETCH(QByteArray, body);
    QFETCH(VideoCodec, codec);
    QFETCH(bool, enhanced);
    QFETCH(bool, keyframe);
    QFETCH(VideoPacketKind, kind);
    QFETCH(int, compositionTime);
    QFETCH(uint, payloadOffset);

    const auto info = parseVideoTag(view(body));
    QVERIFY2(info.has_value(), info ? "" : info.error().message().c_str());
    QCOMPARE(info->codec, codec);
    QCOMPARE(info->enhanced, enhanced);
    QCOMPARE(info->keyframe, keyframe);
    QCOMPARE(info->kind, kind);
    QCOMPARE(info->compositionTime, compositionTime);
    QCOMPARE(info->payloadOffset, payloadOffset);
}

void tst_Flv::videoTagTruncatedAtEveryByte_data() {
    videoTag_data();
}

void tst_Flv::videoTagTruncatedAtEveryByte() {
    // A body cut before payloadOffset is an error; cut at or after it, the header reads the
    // same as in the whole body.
    QFETCH(QByteArray, body);
    QFETCH(uint, payloadOffset);

    const auto whole = parseVideoTag(view(body));
    QVERIFY(whole.has_value());
    for (int cut = 0; cut < body.size(); ++cut) {
        const auto info = parseVideoTag(view(body.left(cut)));
        if (static_cast<uint>(cut) < payloadOffset) {
            QVERIFY2(!info.has_value(), qPrintable(QString("cut at %1 parsed").arg(cut)));
            continue;
        }
        QVERIFY2(info.has_value(), qPrintable(QString("cut at %1 failed").arg(cut)));
        QCOMPARE(info->codec, whole->codec);
        QCOMPARE(info->kind, whole->kind);
        QCOMPARE(info->compositionTime, whole->compositionTime);
        QCOMPARE(info->payloadOffset, whole->payloadOffset);
    }
}

void tst_Flv::videoTagErrors_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << QByteArray() << "flv: video tag body empty";
    QTest::newRow("avc header only")
        << QByteArray::fromHex("17") << "AVC video tag truncated: 1 bytes, need at least 5";
    QTest::newRow("hevc cut in cts")
        << QByteArray::fromHex("2c0100") << "HEVC video tag truncated: 3 bytes";
    QTest::newRow("avc packet type 3")
        << QByteArray::fromHex("1703000000") << "AVC/HEVC packet type 3 invalid, allowed 0..2";
    QTest::newRow("frame type 0") << QByteArray::fromHex("0700000000")
                                  << "video frame type 0 invalid, allowed 1..5";
    QTest::newRow("frame type 6") << QByteArray::fromHex("6700000000")
                                  << "video frame type 6 invalid";
    QTest::newRow("enhanced frame type 0")
        << QByteArray::fromHex("8168766331") << "video frame type 0 invalid";
    QTest::newRow("enhanced cut in fourcc")
        << QByteArray::fromHex("90687663") << "enhanced video tag truncated: 4 bytes";
    QTest::newRow("hvc1 cut in cts") << QByteArray::fromHex("91687663310000")
                                     << "CodedFrames tag truncated: 7 bytes, need at least 8";
    QTest::newRow("multitrack") << QByteArray::fromHex("9668766331")
                                << "packet type 6 (enhanced-rtmp v2 multitrack/ModEx) unsupported";
    QTest::newRow("modex") << QByteArray::fromHex("9768766331") << "packet type 7";
    QTest::newRow("reserved packet type")
        << QByteArray::fromHex("9f68766331") << "packet type 15 reserved, allowed 0..5";
}

void tst_Flv::videoTagErrors() {
    QFETCH(QByteArray, body);
    QFETCH(QString, error);

    const auto info = parseVideoTag(view(body));
    QVERIFY(!info.has_value());
    const QString message = QString::fromStdString(info.error().message());
    QVERIFY2(message.contains(error), qPrintable(message));
}

void tst_Flv::audioTag_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<AudioCodec>("codec");
    QTest::addColumn<uint>("soundFormat");
    QTest::addColumn<uint>("sampleRate");
    QTest::addColumn<uint>("channels");
    QTest::addColumn<bool>("sequenceHeader");
    QTest::addColumn<uint>("payloadOffset");

    // SoundFormat:4 SoundRate:2 SoundSize:1 SoundType:1
    QTest::newRow("aac sequence header")
        << QByteArray::fromHex("af" // 1010 AAC, 11 44 kHz, 1 16-bit, 1 stereo
                               "00" // AACPacketType 0: AudioSpecificConfig
                               "1388")
        << AudioCodec::Aac << 10U << 44100U << 2U << true << 2U;
    QTest::newRow("aac raw") << QByteArray::fromHex("af"
                                                    "01"
                                                    "0134552a")
                             << AudioCodec::Aac << 10U << 44100U << 2U << false << 2U;
    QTest::newRow("mp3 44k stereo") << QByteArray::fromHex("2f"
                                                           "fffb9064")
                                    << AudioCodec::Mp3 << 2U << 44100U << 2U << false << 1U;
    QTest::newRow("mp3 22k mono") << QByteArray::fromHex("2a"
                                                         "fff3") // 0010 10 1 0
                                  << AudioCodec::Mp3 << 2U << 22050U << 1U << false << 1U;
    QTest::newRow("mp3 8k") << QByteArray::fromHex("e2"
                                                   "fff3")
                            << AudioCodec::Mp3 << 14U << 8000U << 1U << false << 1U;
    QTest::newRow("g711 a-law") << QByteArray::fromHex("72"
                                                       "d5d5") // 0111 00 1 0
                                << AudioCodec::G711A << 7U << 8000U << 1U << false << 1U;
    QTest::newRow("g711 mu-law") << QByteArray::fromHex("82"
                                                        "ffff")
                                 << AudioCodec::G711U << 8U << 8000U << 1U << false << 1U;
    QTest::newRow("speex") << QByteArray::fromHex("b2"
                                                  "0000")
                           << AudioCodec::Speex << 11U << 16000U << 1U << false << 1U;
    QTest::newRow("opus as format 13") << QByteArray::fromHex("df"
                                                              "4f707573")
                                       << AudioCodec::Opus << 13U << 44100U << 2U << false << 1U;
    QTest::newRow("nellymoser 8k") << QByteArray::fromHex("52"
                                                          "00")
                                   << AudioCodec::Unknown << 5U << 8000U << 1U << false << 1U;
    QTest::newRow("pcm 5.5k") << QByteArray::fromHex("03"
                                                     "0000") // 0000 00 1 1
                              << AudioCodec::Unknown << 0U << 5512U << 2U << false << 1U;
    QTest::newRow("pcm 11k header only")
        << QByteArray::fromHex("36") // 0011 01 1 0
        << AudioCodec::Unknown << 3U << 11025U << 1U << false << 1U;
}

void tst_Flv::audioTag() {
    QFETCH(QByteArray, body);
    QFETCH(AudioCodec, codec);
    QFETCH(uint, soundFormat);
    QFETCH(uint, sampleRate);
    QFETCH(uint, channels);
    QFETCH(bool, sequenceHeader);
    QFETCH(uint, payloadOffset);

    const auto info = parseAudioTag(view(body));
    QVERIFY2(info.has_value(), info ? "" : info.error().message().c_str());
    QCOMPARE(info->codec, codec);
    QCOMPARE(uint{info->soundFormat}, soundFormat);
    QCOMPARE(info->sampleRate, sampleRate);
    QCOMPARE(uint{info->channels}, channels);
    QCOMPARE(info->sequenceHeader, sequenceHeader);
    QCOMPARE(info->payloadOffset, payloadOffset);
    // Cut anywhere: an error before the payload, the same header from there on.
    for (int cut = 0; cut < body.size(); ++cut) {
        const auto part = parseAudioTag(view(body.left(cut)));
        QCOMPARE(part.has_value(), static_cast<uint>(cut) >= payloadOffset);
        if (part) {
            QCOMPARE(part->codec, codec);
            QCOMPARE(part->sequenceHeader, sequenceHeader);
        }
    }
}

void tst_Flv::audioTagErrors_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");

    QTest::newRow("empty") << QByteArray() << "flv: audio tag body empty";
    QTest::newRow("aac without packet type")
        << QByteArray::fromHex("af") << "AAC audio tag truncated";
    QTest::newRow("aac packet type 2")
        << QByteArray::fromHex("af02") << "AACPacketType 2 invalid, allowed 0";
}

void tst_Flv::audioTagErrors() {
    QFETCH(QByteArray, body);
    QFETCH(QString, error);

    const auto info = parseAudioTag(view(body));
    QVERIFY(!info.has_value());
    const QString message = QString::fromStdString(info.error().message());
    QVERIFY2(message.contains(error), qPrintable(message));
}

QTEST_APPLESS_MAIN(tst_Flv)
#include "tst_Flv.moc"
