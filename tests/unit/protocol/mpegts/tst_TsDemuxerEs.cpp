// The elementary-stream stages of the demuxer: Annex B splitting, AVC/HEVC decoder
// configuration records built from parameter sets (checked byte for byte against records
// ffmpeg wrote for the same parameter sets), the video track's FLV bodies, ADTS parsing and
// the audio track's FLV bodies and timing.

#include <QtTest>

#include "../codec/RealConfigs.h"
#include "DemuxTestSupport.h"
#include "protocol/codec/CodecConfig.h"
#include "protocol/mpegts/DemuxAdts.h"
#include "protocol/mpegts/DemuxAnnexB.h"
#include "protocol/mpegts/DemuxConfigRecord.h"
#include "protocol/mpegts/DemuxVideo.h"

using namespace stagecast::protocol;
using namespace stagecast::protocol::mpegts::demux;
using namespace stagecast::test;
using Packets = std::vector<mpegts::DemuxedPacket>;

namespace {

template <std::size_t N>
QByteArray qba(const std::uint8_t (&bytes)[N]) {
    return QByteArray(reinterpret_cast<const char*>(bytes), static_cast<qsizetype>(N));
}

/// The parameter sets of an avcC (SPS list, PPS list) or hvcC (VPS, SPS, PPS lists).
std::vector<QList<QByteArray>> parameterSetsOf(const QByteArray& record, bool hevc) {
    const auto r = view(record);
    std::vector<QList<QByteArray>> lists;
    std::size_t pos = hevc ? 23 : 5;
    const int arrays = hevc ? r[22] : 2;
    for (int a = 0; a < arrays; ++a) {
        std::size_t count = 0;
        if (hevc) {
            count = std::size_t{r[pos + 1]} << 8 | r[pos + 2];
            pos += 3;
        } else {
            count = a == 0 ? r[pos] & 0x1FU : r[pos];
            pos += 1;
        }
        QList<QByteArray> list;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t length = std::size_t{r[pos]} << 8 | r[pos + 1];
            list.append(qb(r.subspan(pos + 2, length)));
            pos += 2 + length;
        }
        lists.push_back(list);
    }
    return lists;
}

NalList nals(const QList<QByteArray>& list) {
    NalList out;
    for (const auto& b : list) {
        out.push_back(view(b));
    }
    return out;
}

const QByteArray kStart4 = QByteArray::fromHex("00000001");
const QByteArray kStart3 = QByteArray::fromHex("000001");

/// One ADTS frame: MPEG-4, AAC LC, 48 kHz (index 3), mono, around `payload`.
QByteArray adts(const QByteArray& payload, bool crc = false, int rawBlocks = 1) {
    const int length = static_cast<int>(payload.size()) + (crc ? 9 : 7);
    QByteArray h;
    h.append('\xff');                                             // syncword (8 of 12 bits)
    h.append(static_cast<char>(crc ? 0xf0 : 0xf1));               // sync, ID 0, layer 0, prot.
    h.append(static_cast<char>((1 << 6) | (3 << 2)));             // profile 1 (LC), index 3
    h.append(static_cast<char>((1 << 6) | ((length >> 11) & 3))); // channels 1, length bits
    h.append(static_cast<char>((length >> 3) & 0xff));
    h.append(static_cast<char>(((length & 7) << 5) | 0x1f)); // length low bits, fullness
    h.append(static_cast<char>(0xfc | (rawBlocks - 1)));     // fullness, raw blocks - 1
    if (crc) {
        h.append("\x12\x34", 2); // crc_check
    }
    return h + payload;
}

} // namespace

class tst_TsDemuxerEs : public QObject {
    Q_OBJECT

private slots:
    void annexB_data();
    void annexB();
    void lengthPrefix();
    void avcRecordMatchesFfmpeg_data();
    void avcRecordMatchesFfmpeg();
    void hevcRecordMatchesFfmpeg_data();
    void hevcRecordMatchesFfmpeg();
    void recordErrors();
    void avcTrack();
    void avcTrackParameterSetChange();
    void hevcTrack();
    void adtsHeader_data();
    void adtsHeader();
    void adtsErrors_data();
    void adtsErrors();
    void audioSpecificConfigMatchesFfmpeg();
    void audioTrackFramesAndTiming();
    void audioTrackFrameSplitAcrossPes();
    void audioTrackResync();
};

void tst_TsDemuxerEs::annexB_data() {
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<QByteArray>>("expected");
    const QByteArray a = QByteArray::fromHex("0910");
    const QByteArray b = QByteArray::fromHex("6742c01e");
    const QByteArray c = QByteArray::fromHex("65888400000300ff"); // contains 00 00 03
    QTest::newRow("4-byte start codes") << kStart4 + a + kStart4 + b << QList<QByteArray>{a, b};
    QTest::newRow("3-byte start codes")
        << kStart3 + a + kStart3 + b + kStart3 + c << QList<QByteArray>{a, b, c};
    QTest::newRow("mixed, trailing zeros")
        << kStart4 + a + QByteArray(3, '\0') + kStart3 + c + QByteArray(2, '\0')
        << QList<QByteArray>{a, c};
    QTest::newRow("leading garbage skipped")
        << QByteArray::fromHex("ff01") + kStart3 + b << QList<QByteArray>{b};
    QTest::newRow("empty NAL units left out")
        << kStart3 + kStart4 + b + kStart3 << QList<QByteArray>{b};
    QTest::newRow("no start code") << QByteArray::fromHex("6742c01e") << QList<QByteArray>{};
    QTest::newRow("empty") << QByteArray() << QList<QByteArray>{};
}

void tst_TsDemuxerEs::annexB() {
    QFETCH(QByteArray, stream);
    QFETCH(QList<QByteArray>, expected);
    const auto got = splitAnnexB(view(stream));
    QCOMPARE(static_cast<qsizetype>(got.size()), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QCOMPARE(qb(got[static_cast<std::size_t>(i)]), expected[i]);
    }
}

void tst_TsDemuxerEs::lengthPrefix() {
    Bytes out = {0xAA};
    const QByteArray nal = QByteArray::fromHex("0910");
    appendLengthPrefixed(out, view(nal));
    QCOMPARE(qb(out), QByteArray::fromHex("aa000000020910"));
}

void tst_TsDemuxerEs::avcRecordMatchesFfmpeg_data() {
    QTest::addColumn<QByteArray>("record");
    QTest::newRow("high 720p") << qba(kAvcHigh720p30);
    QTest::newRow("main 854x480") << qba(kAvcMain854x480);
    QTest::newRow("baseline 640x360") << qba(kAvcBaseline640x360);
    QTest::newRow("high 4:2:2") << qba(kAvcHigh422);
    QTest::newRow("high 10") << qba(kAvcHigh10);
}

void tst_TsDemuxerEs::avcRecordMatchesFfmpeg() {
    QFETCH(QByteArray, record);
    const auto sets = parameterSetsOf(record, false);
    const auto built = buildAvcRecord(nals(sets[0]), nals(sets[1]));
    QVERIFY2(built, built ? "" : built.error().message().c_str());
    QCOMPARE(qb(*built).toHex(), record.toHex());
}

void tst_TsDemuxerEs::hevcRecordMatchesFfmpeg_data() {
    QTest::addColumn<QByteArray>("record");
    QTest::newRow("main 854x480") << qba(kHevcMain854x480);
    QTest::newRow("main 10 720p") << qba(kHevcMain10720p25);
}

void tst_TsDemuxerEs::hevcRecordMatchesFfmpeg() {
    QFETCH(QByteArray, record);
    const auto sets = parameterSetsOf(record, true);
    const auto built = buildHevcRecord(nals(sets[0]), nals(sets[1]), nals(sets[2]));
    QVERIFY2(built, built ? "" : built.error().message().c_str());
    // ffmpeg's MP4 muxer clears array_completeness; the demuxer sets it (the arrays hold
    // every parameter set in use). Everything else is the same.
    QByteArray expected = record;
    qsizetype pos = 23;
    for (int a = 0; a < 3; ++a) {
        expected[pos] = static_cast<char>(expected[pos] | 0x80);
        const int count = (static_cast<std::uint8_t>(expected[pos + 1]) << 8) |
                          static_cast<std::uint8_t>(expected[pos + 2]);
        pos += 3;
        for (int i = 0; i < count; ++i) {
            pos += 2 + ((static_cast<std::uint8_t>(expected[pos]) << 8) |
                        static_cast<std::uint8_t>(expected[pos + 1]));
        }
    }
    QCOMPARE(qb(*built).toHex(), expected.toHex());
    // And the record describes the stream like the original.
    const auto a = codec::parseHevcConfig(*built);
    const auto b = codec::parseHevcConfig(view(record));
    QVERIFY(a && b);
    QCOMPARE(a->width, b->width);
    QCOMPARE(a->profile, b->profile);
}

void tst_TsDemuxerEs::recordErrors() {
    const auto sets = parameterSetsOf(qba(kAvcMain854x480), false);
    auto noPps = buildAvcRecord(nals(sets[0]), {});
    QVERIFY(!noPps);
    QCOMPARE(QString::fromStdString(noPps.error().message()),
             QString("avcC: PPS missing, need at least one"));
    // The PPS where the SPS should be.
    auto wrongType = buildAvcRecord(nals(sets[1]), nals(sets[1]));
    QVERIFY(!wrongType);
    QVERIFY2(QString::fromStdString(wrongType.error().message()).contains("nal_unit_type 8"),
             wrongType.error().message().c_str());
    const auto hevcSets = parameterSetsOf(qba(kHevcMain854x480), true);
    auto truncatedSps =
        buildHevcRecord(nals(hevcSets[0]), {view(hevcSets[1][0]).first(12)}, nals(hevcSets[2]));
    QVERIFY(!truncatedSps);
    QVERIFY2(QString::fromStdString(truncatedSps.error().message()).contains("hevc sps"),
             truncatedSps.error().message().c_str());
}

void tst_TsDemuxerEs::avcTrack() {
    const QByteArray record = qba(kAvcMain854x480);
    const auto sets = parameterSetsOf(record, false);
    const QByteArray aud = QByteArray::fromHex("09f0");
    const QByteArray idr = QByteArray::fromHex("6588840033");
    const QByteArray slice = QByteArray::fromHex("419a0204");
    DemuxVideoTrack track(VideoCodecKind::H264);
    Packets out;
    // A P frame before any parameter set is dropped: nothing could decode it.
    track.accessUnit(view(kStart4 + slice), 1000, 0, out);
    QVERIFY(out.empty());
    QCOMPARE(track.droppedFrames(), 1U);

    track.accessUnit(
        view(kStart4 + aud + kStart4 + sets[0][0] + kStart3 + sets[1][0] + kStart3 + idr), 1040, 80,
        out);
    QCOMPARE(out.size(), 2U);
    QVERIFY(out[0].config);
    QVERIFY(!out[0].keyframe);
    QCOMPARE(out[0].dtsMs, 1040);
    QCOMPARE(qb(out[0].flvBody), QByteArray::fromHex("1700000000") + record);
    QVERIFY(!out[1].config);
    QVERIFY(out[1].keyframe);
    QCOMPARE(out[1].dtsMs, 1040);
    QCOMPARE(out[1].ctsMs, 80);
    // FrameType 1 + AVC, AVCPacketType 1, CompositionTime 80; the IDR only (AUD, SPS, PPS out).
    QCOMPARE(qb(out[1].flvBody), QByteArray::fromHex("1701000050"
                                                     "00000005") +
                                     idr);

    // The same parameter sets again (every keyframe carries them): no new config.
    out.clear();
    track.accessUnit(view(kStart4 + sets[0][0] + kStart4 + sets[1][0] + kStart4 + idr), 1080, -40,
                     out);
    QCOMPARE(out.size(), 1U);
    QVERIFY(out[0].keyframe);
    QCOMPARE(qb(out[0].flvBody).left(5), QByteArray::fromHex("1701ffffd8")); // cts -40

    out.clear();
    track.accessUnit(view(kStart3 + slice + kStart3 + slice), 1120, 0, out);
    QCOMPARE(out.size(), 1U);
    QVERIFY(!out[0].keyframe);
    QCOMPARE(qb(out[0].flvBody), QByteArray::fromHex("2701000000") +
                                     QByteArray::fromHex("00000004") + slice +
                                     QByteArray::fromHex("00000004") + slice);
}

void tst_TsDemuxerEs::avcTrackParameterSetChange() {
    const auto main = parameterSetsOf(qba(kAvcMain854x480), false);
    const auto baseline = parameterSetsOf(qba(kAvcBaseline640x360), false);
    const QByteArray idr = QByteArray::fromHex("6588840033");
    DemuxVideoTrack track(VideoCodecKind::H264);
    Packets out;
    track.accessUnit(view(kStart4 + main[0][0] + kStart4 + main[1][0] + kStart4 + idr), 0, 0, out);
    // Resolution change: both SPS and PPS have id 0 and are replaced.
    track.accessUnit(view(kStart4 + baseline[0][0] + kStart4 + baseline[1][0] + kStart4 + idr), 40,
                     0, out);
    QCOMPARE(out.size(), 4U);
    QVERIFY(out[2].config);
    QCOMPARE(qb(out[2].flvBody), QByteArray::fromHex("1700000000") + qba(kAvcBaseline640x360));
    const auto parsed = codec::parseAvcConfig(std::span(out[2].flvBody).subspan(5));
    QVERIFY(parsed);
    QCOMPARE(parsed->width, 640U);
}

void tst_TsDemuxerEs::hevcTrack() {
    const QByteArray record = qba(kHevcMain854x480);
    const auto sets = parameterSetsOf(record, true);
    const QByteArray aud = QByteArray::fromHex("460150");
    const QByteArray cra = QByteArray::fromHex("2a01af1234"); // nal_unit_type 21 (CRA)
    const QByteArray trail = QByteArray::fromHex("0201d011"); // nal_unit_type 1 (TRAIL_R)
    DemuxVideoTrack track(VideoCodecKind::Hevc);
    Packets out;
    track.accessUnit(view(kStart4 + aud + kStart4 + sets[0][0] + kStart4 + sets[1][0] + kStart4 +
                          sets[2][0] + kStart4 + cra),
                     2000, 120, out);
    QCOMPARE(out.size(), 2U);
    QVERIFY(out[0].config);
    // Enhanced RTMP: IsExHeader | FrameType 1 | PacketType 0 (SequenceStart), FourCC 'hvc1'.
    QCOMPARE(qb(out[0].flvBody).left(5), QByteArray::fromHex("9068766331"));
    const auto parsed = codec::parseHevcConfig(std::span(out[0].flvBody).subspan(5));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message().c_str());
    QCOMPARE(parsed->width, 854U);
    QVERIFY(out[1].keyframe);
    // FrameType 1 | PacketType 1 (CodedFrames), 'hvc1', CompositionTime 120, the CRA.
    QCOMPARE(qb(out[1].flvBody), QByteArray::fromHex("9168766331"
                                                     "000078"
                                                     "00000005") +
                                     cra);
    out.clear();
    track.accessUnit(view(kStart3 + trail), 2040, 0, out);
    QCOMPARE(out.size(), 1U);
    QVERIFY(!out[0].keyframe);
    // FrameType 2 (inter) | PacketType 1.
    QCOMPARE(qb(out[0].flvBody).left(8), QByteArray::fromHex("a168766331000000"));
}

void tst_TsDemuxerEs::adtsHeader_data() {
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("objectType");
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("headerSize");
    QTest::addColumn<int>("frameLength");
    QTest::addColumn<int>("rawBlocks");
    // ffmpeg's AAC encoder, 48 kHz mono, 371-byte frame.
    QTest::newRow("lc 48k mono") << QByteArray::fromHex("fff1"  // syncword, MPEG-4, layer 0,
                                                                // protection_absent 1
                                                        "4c"    // profile 1 (LC), index 3, 0
                                                        "402e"  // channels 1, aac_frame_length
                                                        "7ffc") // 371, fullness 0x7ff, 0 blocks
                                 << 2 << 48000 << 1 << 7 << 371 << 1;
    QTest::newRow("lc 44.1k stereo with crc") << QByteArray::fromHex("fff0"  // protection 0
                                                                     "50"    // LC, index 4
                                                                     "8010"  // channels 2, 128
                                                                     "1ffc"  // length, fullness
                                                                     "abcd") // crc_check
                                              << 2 << 44100 << 2 << 9 << 128 << 1;
    QTest::newRow("he-aac object type, 4 raw blocks") << QByteArray::fromHex("fff9"
                                                                             "18" // profile 0
                                                                             "8020"
                                                                             "1fff")
                                                      << 1 << 24000 << 2 << 7 << 256 << 4;
}

void tst_TsDemuxerEs::adtsHeader() {
    QFETCH(QByteArray, frame);
    QFETCH(int, objectType);
    QFETCH(int, sampleRate);
    QFETCH(int, channels);
    QFETCH(int, headerSize);
    QFETCH(int, frameLength);
    QFETCH(int, rawBlocks);
    auto h = parseAdtsHeader(view(frame));
    QVERIFY2(h, h ? "" : h.error().message().c_str());
    QCOMPARE(h->audioObjectType, objectType);
    QCOMPARE(h->sampleRate, static_cast<std::uint32_t>(sampleRate));
    QCOMPARE(h->channelConfiguration, channels);
    QCOMPARE(h->headerSize, static_cast<std::size_t>(headerSize));
    QCOMPARE(h->frameLength, static_cast<std::size_t>(frameLength));
    QCOMPARE(h->rawDataBlocks, rawBlocks);
    for (qsizetype n = 0; n < 7; ++n) {
        QVERIFY(!parseAdtsHeader(view(frame.left(n))));
    }
}

void tst_TsDemuxerEs::adtsErrors_data() {
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("error");
    QTest::newRow("no syncword") << QByteArray::fromHex("ffe14c402e7ffc") << "syncword";
    QTest::newRow("layer 1") << QByteArray::fromHex("fff34c402e7ffc") << "layer 1 invalid";
    QTest::newRow("frequency index 13")
        << QByteArray::fromHex("fff174402e7ffc") << "sampling_frequency_index 13 invalid";
    QTest::newRow("length inside header")
        << QByteArray::fromHex("fff14c4000fffc") << "aac_frame_length 7 invalid";
    QTest::newRow("length inside crc header")
        << QByteArray::fromHex("fff04c40011ffc0000") << "aac_frame_length 8 invalid";
}

void tst_TsDemuxerEs::adtsErrors() {
    QFETCH(QByteArray, frame);
    QFETCH(QString, error);
    auto h = parseAdtsHeader(view(frame));
    QVERIFY(!h);
    QVERIFY2(QString::fromStdString(h.error().message()).contains(error),
             h.error().message().c_str());
}

void tst_TsDemuxerEs::audioSpecificConfigMatchesFfmpeg() {
    // The first two bytes of ffmpeg's ASCs (it appends an SBR sync extension after them).
    auto mono = parseAdtsHeader(view(QByteArray::fromHex("fff14c402e7ffc")));
    QVERIFY(mono);
    const auto a = audioSpecificConfig(*mono);
    QCOMPARE(a[0], kAacLc48000Mono[0]);
    QCOMPARE(a[1], kAacLc48000Mono[1]);
    auto stereo = parseAdtsHeader(view(QByteArray::fromHex("fff050801ffc")));
    QVERIFY(!stereo); // 6 bytes: truncated
    stereo = parseAdtsHeader(view(QByteArray::fromHex("fff150801ffc00")));
    QVERIFY(stereo);
    const auto b = audioSpecificConfig(*stereo);
    QCOMPARE(b[0], kAacLc44100Stereo[0]);
    QCOMPARE(b[1], kAacLc44100Stereo[1]);
}

void tst_TsDemuxerEs::audioTrackFramesAndTiming() {
    DemuxAudioTrack track;
    Packets out;
    const QByteArray f1 = QByteArray::fromHex("21100500");
    const QByteArray f2 = QByteArray::fromHex("2110050102");
    const QByteArray f3 = QByteArray::fromHex("21");
    // Three frames in one PES; the second has a CRC header (9 bytes, stripped too).
    track.pes(view(adts(f1) + adts(f2, true) + adts(f3)), 131280, out);
    QCOMPARE(out.size(), 4U);
    QVERIFY(out[0].config);
    QCOMPARE(qb(out[0].flvBody), QByteArray::fromHex("af001188")); // LC, 48000, mono
    QCOMPARE(out[0].dtsMs, 1458);
    QCOMPARE(qb(out[1].flvBody), QByteArray::fromHex("af01") + f1);
    QCOMPARE(qb(out[2].flvBody), QByteArray::fromHex("af01") + f2);
    QCOMPARE(qb(out[3].flvBody), QByteArray::fromHex("af01") + f3);
    // 1024 samples at 48 kHz = 1920 ticks = 21.33 ms per frame.
    QCOMPARE(out[1].dtsMs, 131280 / 90);
    QCOMPARE(out[2].dtsMs, (131280 + 1920) / 90);
    QCOMPARE(out[3].dtsMs, (131280 + 3840) / 90);
    for (const auto& p : out) {
        QCOMPARE(p.ctsMs, 0);
        QVERIFY(!p.keyframe);
    }
    // A PES without PTS continues the count; a frame with 4 raw blocks is dropped (FLV
    // carries one per tag) but its samples still advance the clock.
    out.clear();
    track.pes(view(adts(f1, false, 4) + adts(f1)), std::nullopt, out);
    QCOMPARE(out.size(), 1U);
    QCOMPARE(out[0].dtsMs, (131280 + 3 * 1920 + 4 * 1920) / 90);
    QCOMPARE(track.droppedFrames(), 1U);
}

void tst_TsDemuxerEs::audioTrackFrameSplitAcrossPes() {
    DemuxAudioTrack track;
    Packets out;
    const QByteArray f1 = QByteArray::fromHex("2110050011223344");
    const QByteArray stream = adts(f1) + adts(f1) + adts(f1);
    // The second frame starts in the first PES and ends in the second; the second PES's PTS
    // belongs to the third frame, the first that starts in it (13818-1 2.4.3.7).
    const qsizetype cut = adts(f1).size() + 5;
    track.pes(view(stream.left(cut)), 90000, out);
    QCOMPARE(out.size(), 2U); // config + frame 1
    track.pes(view(stream.mid(cut)), 90000 + 2 * 1920 + 90, out);
    QCOMPARE(out.size(), 4U);
    QCOMPARE(qb(out[2].flvBody), QByteArray::fromHex("af01") + f1);
    QCOMPARE(out[2].dtsMs, (90000 + 1920) / 90);
    QCOMPARE(out[3].dtsMs, (90000 + 2 * 1920 + 90) / 90);
    // A partial frame is dropped after a loss.
    out.clear();
    track.pes(view(stream.left(cut)), 180000, out);
    track.discardPartial();
    track.pes(view(adts(f1)), 180000 + 2 * 1920, out);
    QCOMPARE(out.size(), 2U);
    QCOMPARE(out[1].dtsMs, (180000 + 2 * 1920) / 90);
}

void tst_TsDemuxerEs::audioTrackResync() {
    DemuxAudioTrack track;
    Packets out;
    const QByteArray f1 = QByteArray::fromHex("21100500");
    // Noise (with a false 0xFFF sync that fails the header checks) before two good frames.
    track.pes(view(QByteArray::fromHex("0102fff7ff03") + adts(f1) + adts(f1)), 90000, out);
    QCOMPARE(out.size(), 3U);
    QCOMPARE(out[1].dtsMs, 1000);
    QCOMPARE(track.droppedFrames(), 1U);
    // Frames before any PTS cannot be timed.
    DemuxAudioTrack untimed;
    out.clear();
    untimed.pes(view(adts(f1)), std::nullopt, out);
    QVERIFY(out.empty());
    QCOMPARE(untimed.droppedFrames(), 1U);
}

QTEST_APPLESS_MAIN(tst_TsDemuxerEs)
#include "tst_TsDemuxerEs.moc"
