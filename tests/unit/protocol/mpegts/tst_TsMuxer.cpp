// TsMuxer on hand-made FLV tag bodies: the packets of PAT/PMT, a keyframe access unit and an
// AAC frame byte for byte; parameter-set insertion, delimiters, PCR placement, timestamp
// offset and wrap, continuity, errors. The real-stream check against ffprobe is in
// tst_TsMuxerFfprobe.

#include <QtTest>

#include <span>
#include <vector>

#include "../codec/RealConfigs.h"
#include "TsInspect.h"
#include "protocol/mpegts/TsMuxer.h"

using namespace stagecast::protocol::mpegts;
using stagecast::test::inspectTs;
using stagecast::test::TsInspection;

namespace {

std::span<const std::uint8_t> view(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

QByteArray qb(const std::vector<std::uint8_t>& v) {
    return QByteArray(reinterpret_cast<const char*>(v.data()), static_cast<qsizetype>(v.size()));
}

QByteArray ff(qsizetype n) {
    return QByteArray(n, '\xff');
}

// AVC sequence header: FrameType 1 + CodecID 7, AVCPacketType 0, CTS 0, then a minimal
// AVCDecoderConfigurationRecord with SPS 67 42 00 1e and PPS 68 ce 38 80.
const QByteArray kAvcConfig = QByteArray::fromHex("17 00 000000"
                                                  "01 42001e ff" // version, profile, 4-byte lengths
                                                  "e1 0004 6742001e"
                                                  "01 0004 68ce3880");
// AAC sequence header: SoundFormat 10, 44 kHz, 16 bit, stereo; AACPacketType 0; ASC 13 88
// (LC, 22050 Hz, mono).
const QByteArray kAacConfig = QByteArray::fromHex("af00 1388");

QByteArray avcFrame(bool key, int cts, const QByteArray& lengthPrefixedNals) {
    QByteArray b;
    b.append(static_cast<char>(key ? 0x17 : 0x27));
    b.append('\x01'); // AVCPacketType 1: NALUs
    b.append(static_cast<char>((cts >> 16) & 0xFF));
    b.append(static_cast<char>((cts >> 8) & 0xFF));
    b.append(static_cast<char>(cts & 0xFF));
    return b + lengthPrefixedNals;
}

QByteArray aacBody(const QByteArray& raw) {
    return QByteArray::fromHex("af01") + raw;
}

TsMuxer avcAacMuxer() {
    TsMuxer mux;
    if (!mux.setVideoConfig(view(kAvcConfig)) || !mux.setAudioConfig(view(kAacConfig))) {
        qFatal("config rejected");
    }
    return mux;
}

const stagecast::test::PesInfo* firstPes(const TsInspection& ts, std::uint16_t pid,
                                         std::size_t index = 0) {
    for (const auto& pes : ts.pes) {
        if (pes.pid == pid && index-- == 0) {
            return &pes;
        }
    }
    return nullptr;
}

std::vector<std::uint64_t> pcrs(const TsInspection& ts, std::uint16_t pid) {
    std::vector<std::uint64_t> out;
    for (const auto& p : ts.packets) {
        if (p.pid == pid && p.pcrBase) {
            out.push_back(*p.pcrBase);
        }
    }
    return out;
}

} // namespace

class tst_TsMuxer : public QObject {
    Q_OBJECT

private slots:
    void tables();
    void tablesBeforeConfigs();
    void pmtVersionFollowsContent();
    void keyframeAccessUnit();
    void interFrame();
    void inBandParameterSetsNotRepeated();
    void idrWithoutKeyFlag();
    void aacFrame();
    void audioOnlyPcr();
    void slowVideoGetsPcrFromAudio();
    void negativeFirstTimestamp();
    void timestampsWrapAt33Bits();
    void longStreamContinuity();
    void ignoredPayloads();
    void hevc_data();
    void hevc();
    void errors_data();
    void errors();
};

void tst_TsMuxer::tables() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    mux.writeTables(out);
    const QByteArray pat = QByteArray::fromHex("47 4000 10" // PID 0, unit start, cc 0
                                               "00"         // pointer_field
                                               "00b00d0001c100000001f000 2ab104b2") +
                           ff(188 - 21);
    const QByteArray pmt = QByteArray::fromHex("47 5000 10" // PID 0x1000, unit start, cc 0
                                               "00"
                                               "02b0170001c10000"
                                               "e100 f000"    // PCR on the video PID
                                               "1b e100 f000" // H.264 on 0x100
                                               "0f e101 f000" // AAC ADTS on 0x101
                                               "2f44b99b") +
                           ff(188 - 31);
    QCOMPARE(qb(out).toHex(), (pat + pmt).toHex());
    out.clear();
    mux.writeTables(out);
    QCOMPARE(out[3], std::uint8_t{0x11}); // counters advance per table
    QCOMPARE(out[188 + 3], std::uint8_t{0x11});
}

void tst_TsMuxer::tablesBeforeConfigs() {
    TsMuxer mux;
    std::vector<std::uint8_t> out;
    mux.writeTables(out);
    QCOMPARE(out.size(), std::size_t{376});
    // An empty program without PCR (PCR_PID 0x1FFF).
    QCOMPARE(qb(out).mid(188 + 5, 16).toHex(), QByteArray("02b00d0001c10000fffff0001cc8d73f"));
}

void tst_TsMuxer::pmtVersionFollowsContent() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    mux.writeTables(out);
    QCOMPARE(out[188 + 10], std::uint8_t{0xC1}); // version 0
    // The codec table holds the bare record; wrap it in a legacy HEVC (CodecID 12) header.
    QByteArray hevc = QByteArray::fromHex("1c 00 000000") +
                      QByteArray(reinterpret_cast<const char*>(stagecast::test::kHevcMain854x480),
                                 sizeof(stagecast::test::kHevcMain854x480));
    QVERIFY(mux.setVideoConfig(view(hevc)).has_value());
    out.clear();
    mux.writeTables(out);
    QCOMPARE(out[188 + 10], std::uint8_t{0xC3}); // version 1: the stream type changed
    QCOMPARE(out[188 + 17], std::uint8_t{0x24});
    out.clear();
    mux.writeTables(out);
    QCOMPARE(out[188 + 10], std::uint8_t{0xC3}); // unchanged content keeps it
}

void tst_TsMuxer::keyframeAccessUnit() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    // IDR slice only, composition time 80 ms.
    const auto status =
        mux.writeVideo(out, 0, view(avcFrame(true, 80, QByteArray::fromHex("00000003 658884"))));
    QVERIFY2(status.has_value(), status ? "" : status.error().message().c_str());
    const QByteArray expected =
        QByteArray::fromHex("47 4100 30"      // PID 0x100, unit start, adaptation + payload, cc 0
                            "87"              // adaptation_field_length 135
                            "50"              // random_access_indicator, PCR_flag
                            "000000007e00")   // PCR 0
        + ff(128)                             // stuffing: the access unit fits in this one packet
        + QByteArray::fromHex("000001e0 0000" // video PES, unbounded
                              "84c00a"
                              "3100013841"        // PTS 7200 (80 ms)
                              "1100010001"        // DTS 0
                              "00000001 09f0"     // access unit delimiter, any slice type
                              "00000001 6742001e" // SPS from the sequence header
                              "00000001 68ce3880" // PPS from the sequence header
                              "00000001 658884"); // the IDR slice
    QCOMPARE(qb(out).toHex(), expected.toHex());
}

void tst_TsMuxer::interFrame() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    QVERIFY(mux.writeVideo(out, 0, view(avcFrame(true, 0, QByteArray::fromHex("00000002 6588"))))
                .has_value());
    QVERIFY(mux.writeVideo(out, 40, view(avcFrame(false, 0, QByteArray::fromHex("00000002 419a"))))
                .has_value());
    const auto ts = inspectTs(out);
    QVERIFY2(ts.error.empty(), ts.error.c_str());
    const auto* pes = firstPes(ts, kPidVideo, 1);
    QVERIFY(pes);
    QVERIFY(!pes->randomAccess);
    QCOMPARE(pes->pcrBase, std::optional<std::uint64_t>(3600)); // every video PES has one
    QCOMPARE(pes->pts, std::optional<std::uint64_t>(3600));
    QVERIFY(!pes->dts.has_value()); // equal to the PTS: not written
    QCOMPARE(qb(pes->payload).toHex(), QByteArray("0000000109f0"
                                                  "00000001419a"));
    // A keyframe: SPS/PPS in front.
    QCOMPARE(qb(firstPes(ts, kPidVideo, 0)->payload).toHex(), QByteArray("0000000109f0"
                                                                         "000000016742001e"
                                                                         "0000000168ce3880"
                                                                         "000000016588"));
}

void tst_TsMuxer::inBandParameterSetsNotRepeated() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    // The encoder repeats (different) SPS/PPS in band, and has its own AUD.
    const QByteArray nals = QByteArray::fromHex("00000002 09f0"
                                                "00000003 674d00"
                                                "00000002 68ee"
                                                "00000002 6588");
    QVERIFY(mux.writeVideo(out, 0, view(avcFrame(true, 0, nals))).has_value());
    const auto ts = inspectTs(out);
    QCOMPARE(qb(firstPes(ts, kPidVideo)->payload).toHex(), QByteArray("0000000109f0"
                                                                      "00000001674d00"
                                                                      "0000000168ee"
                                                                      "000000016588"));
}

void tst_TsMuxer::idrWithoutKeyFlag() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    QVERIFY(mux.writeVideo(out, 0, view(avcFrame(false, 0, QByteArray::fromHex("00000002 6588"))))
                .has_value());
    const auto ts = inspectTs(out);
    const auto* pes = firstPes(ts, kPidVideo);
    QVERIFY(pes->randomAccess);
    QCOMPARE(qb(pes->payload).toHex(), QByteArray("0000000109f0"
                                                  "000000016742001e"
                                                  "0000000168ce3880"
                                                  "000000016588"));
}

void tst_TsMuxer::aacFrame() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    QVERIFY(mux.writeAudio(out, 154, view(aacBody(QByteArray::fromHex("21100480")))).has_value());
    const QByteArray expected =
        QByteArray::fromHex("47 4101 30" // PID 0x101, unit start, adaptation + payload, cc 0
                            "9e 00")     // 158 bytes of adaptation field: no PCR (video has it)
        + ff(157) +
        QByteArray::fromHex("000001c0 0013"     // audio PES, length 19
                            "848005 2100016c49" // PTS 13860 (154 ms)
                            "fff15c40017ffc"    // ADTS: LC, 22050, mono, frame_length 11
                            "21100480");        // the raw frame
    QCOMPARE(qb(out).toHex(), expected.toHex());
}

void tst_TsMuxer::audioOnlyPcr() {
    TsMuxer mux;
    QVERIFY(mux.setAudioConfig(view(kAacConfig)).has_value());
    std::vector<std::uint8_t> out;
    mux.writeTables(out);
    QCOMPARE(out[188 + 13], std::uint8_t{0xE1}); // PCR_PID 0x101 ...
    QCOMPARE(out[188 + 14], std::uint8_t{0x01});
    for (int i = 0; i <= 10; ++i) {
        QVERIFY(mux.writeAudio(out, i * 23, view(aacBody("xyz"))).has_value());
    }
    const auto ts = inspectTs(out);
    QVERIFY2(ts.error.empty(), ts.error.c_str());
    // ... carrying a PCR whenever 100 ms have passed: 0, 115, 230 ms.
    QCOMPARE(pcrs(ts, kPidAudio), (std::vector<std::uint64_t>{0, 115 * 90, 230 * 90}));
}

void tst_TsMuxer::slowVideoGetsPcrFromAudio() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    const QByteArray idr = QByteArray::fromHex("00000002 6588");
    const QByteArray p = QByteArray::fromHex("00000002 419a");
    QVERIFY(mux.writeVideo(out, 0, view(avcFrame(true, 0, idr))).has_value());
    for (int t = 50; t < 250; t += 50) {
        QVERIFY(mux.writeAudio(out, t, view(aacBody("a"))).has_value());
    }
    QVERIFY(mux.writeVideo(out, 250, view(avcFrame(false, 0, p))).has_value());
    const auto ts = inspectTs(out);
    QVERIFY2(ts.error.empty(), ts.error.c_str()); // PCR-only packets keep the counter
    // 4 fps video: PCR-only packets on the video PID at the audio's 100 and 200 ms.
    QCOMPARE(pcrs(ts, kPidVideo), (std::vector<std::uint64_t>{0, 100 * 90, 200 * 90, 250 * 90}));
    QVERIFY(pcrs(ts, kPidAudio).empty());
}

void tst_TsMuxer::negativeFirstTimestamp() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    QVERIFY(mux.writeAudio(out, -100, view(aacBody("a"))).has_value());
    QCOMPARE(mux.timestampOffsetMs(), std::int64_t{100});
    QVERIFY(mux.writeVideo(out, -50, view(avcFrame(true, 40, QByteArray::fromHex("000000026588"))))
                .has_value());
    QVERIFY(mux.writeAudio(out, -120, view(aacBody("b"))).has_value()); // before the first
    const auto ts = inspectTs(out);
    QCOMPARE(firstPes(ts, kPidAudio, 0)->pts, std::optional<std::uint64_t>(0));
    QCOMPARE(firstPes(ts, kPidVideo)->dts, std::optional<std::uint64_t>(50 * 90));
    QCOMPARE(firstPes(ts, kPidVideo)->pts, std::optional<std::uint64_t>(90 * 90));
    // Still negative after the offset: wraps modulo 2^33.
    QCOMPARE(firstPes(ts, kPidAudio, 1)->pts, std::optional<std::uint64_t>((1ULL << 33) - 1800));
}

void tst_TsMuxer::timestampsWrapAt33Bits() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    // 2^33 ticks = 95443717.69 ms; 95443718 ms is 28 ticks past the wrap.
    QVERIFY(mux.writeAudio(out, 95443718, view(aacBody("a"))).has_value());
    const auto ts = inspectTs(out);
    QCOMPARE(firstPes(ts, kPidAudio)->pts,
             std::optional<std::uint64_t>(95443718ULL * 90 - (1ULL << 33)));
    QCOMPARE(mux.timestampOffsetMs(), std::int64_t{0});
}

void tst_TsMuxer::longStreamContinuity() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    mux.writeTables(out);
    // 3072-byte slices: an IDR (type 5) every 10 frames, non-IDR (type 1) in between.
    const QByteArray idr = QByteArray::fromHex("00000c00 6588") + QByteArray(3070, 'x');
    const QByteArray nonIdr = QByteArray::fromHex("00000c00 419a") + QByteArray(3070, 'x');
    for (int i = 0; i < 50; ++i) {
        const bool key = i % 10 == 0;
        if (key) {
            mux.writeTables(out);
        }
        QVERIFY(
            mux.writeVideo(out, i * 40, view(avcFrame(key, 0, key ? idr : nonIdr))).has_value());
        QVERIFY(mux.writeAudio(out, i * 40 + 5, view(aacBody(QByteArray(300, 'a')))).has_value());
    }
    const auto ts = inspectTs(out);
    QVERIFY2(ts.error.empty(), ts.error.c_str());
    std::size_t video = 0;
    std::size_t audio = 0;
    for (const auto& pes : ts.pes) {
        if (pes.pid == kPidVideo) {
            QCOMPARE(pes.pts, std::optional<std::uint64_t>(video * 40 * 90));
            QCOMPARE(pes.randomAccess, video % 10 == 0);
            // AUD, SPS + PPS on keyframes, the slice.
            QCOMPARE(pes.payload.size(), std::size_t{6 + (video % 10 == 0 ? 16U : 0U) + 4 + 3072});
            ++video;
        } else {
            QCOMPARE(pes.payload.size(), std::size_t{307});
            ++audio;
        }
    }
    QCOMPARE(video, std::size_t{50});
    QCOMPARE(audio, std::size_t{50});
}

void tst_TsMuxer::ignoredPayloads() {
    TsMuxer mux = avcAacMuxer();
    std::vector<std::uint8_t> out;
    QVERIFY(mux.writeVideo(out, 0, view(kAvcConfig)).has_value());                        // config
    QVERIFY(mux.writeVideo(out, 0, view(QByteArray::fromHex("1702000000"))).has_value()); // EOS
    QVERIFY(mux.writeVideo(out, 0, view(QByteArray::fromHex("5701"))).has_value());       // command
    QVERIFY(mux.writeVideo(out, 0, view(avcFrame(true, 0, {}))).has_value()); // no NAL units
    QVERIFY(mux.writeAudio(out, 0, view(kAacConfig)).has_value());
    QVERIFY(mux.writeAudio(out, 0, view(QByteArray::fromHex("af01"))).has_value()); // empty
    QVERIFY(out.empty());
}

void tst_TsMuxer::hevc_data() {
    QTest::addColumn<QByteArray>("configHeader");
    QTest::addColumn<QByteArray>("frame");
    const QByteArray record(reinterpret_cast<const char*>(stagecast::test::kHevcMain854x480),
                            sizeof(stagecast::test::kHevcMain854x480));
    const QByteArray cra = QByteArray::fromHex("00000003 2a01af"); // CRA_NUT (21)
    QTest::newRow("legacy codec id 12")
        << QByteArray::fromHex("1c 00 000000") + record
        << QByteArray::fromHex("1c 01 000028") + cra; // key, NALUs, CTS 40
    QTest::newRow("enhanced hvc1")
        << QByteArray::fromHex("90 68766331") + record      // SequenceStart 'hvc1'
        << QByteArray::fromHex("91 68766331 000028") + cra; // key CodedFrames, CTS 40
}

void tst_TsMuxer::hevc() {
    QFETCH(QByteArray, configHeader);
    QFETCH(QByteArray, frame);
    TsMuxer mux;
    QVERIFY(mux.setVideoConfig(view(configHeader)).has_value());
    std::vector<std::uint8_t> out;
    mux.writeTables(out);
    QCOMPARE(out[188 + 17], std::uint8_t{0x24}); // stream_type HEVC
    QVERIFY(mux.writeVideo(out, 0, view(frame)).has_value());
    const auto ts = inspectTs(out);
    QVERIFY2(ts.error.empty(), ts.error.c_str());
    const auto* pes = firstPes(ts, kPidVideo);
    QVERIFY(pes->randomAccess);
    QCOMPARE(pes->pts, std::optional<std::uint64_t>(3600));
    QCOMPARE(pes->dts, std::optional<std::uint64_t>(0));
    const QByteArray es = qb(pes->payload);
    QVERIFY(es.startsWith(QByteArray::fromHex("00000001 460150"))); // AUD, pic_type 2
    QCOMPARE(es.mid(7, 6).toHex(), QByteArray("000000014001"));     // VPS ...
    QCOMPARE(es.size(), 7 + (4 + 24) + (4 + 42) + (4 + 7) + 7);     // ... SPS, PPS, the CRA
    QVERIFY(es.endsWith(QByteArray::fromHex("000000012a01af")));
}

void tst_TsMuxer::errors_data() {
    QTest::addColumn<bool>("configure");
    QTest::addColumn<int>("call"); // 0 video config, 1 audio config, 2 video, 3 audio
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("error");
    QTest::newRow("video before its sequence header")
        << false << 2 << avcFrame(true, 0, QByteArray::fromHex("000000026588"))
        << "ts: video before its sequence header";
    QTest::newRow("audio before its sequence header")
        << false << 3 << aacBody("a") << "ts: audio before its sequence header";
    QTest::newRow("hevc frame on avc config")
        << true << 2 << QByteArray::fromHex("1c01000000 000000022a01")
        << "ts: HEVC frame but the video sequence header is H.264";
    QTest::newRow("av1 config")
        << false << 0 << QByteArray::fromHex("90 61763031 81010c00")
        << "ts: video codec AV1 unsupported in MPEG-TS, allowed H.264, HEVC";
    QTest::newRow("vp9 frame") << true << 2 << QByteArray::fromHex("91 76703039 8249834200")
                               << "ts: video codec VP9 unsupported in MPEG-TS, allowed H.264, HEVC";
    QTest::newRow("coded frames as config")
        << false << 0 << avcFrame(true, 0, QByteArray::fromHex("000000026588"))
        << "ts: video config is not a sequence header (AVC/HEVC packet type 0 or enhanced "
           "SequenceStart)";
    QTest::newRow("bad nal length")
        << true << 2 << avcFrame(true, 0, QByteArray::fromHex("00000009 6588"))
        << "ts: NAL unit length 9 at byte 0 exceeds the 2 bytes left in the frame";
    QTest::newRow("empty video body")
        << true << 2 << QByteArray() << "ts: flv: video tag body empty, need at least 1 byte";
    QTest::newRow("mp3 config") << false << 1 << QByteArray::fromHex("2f00")
                                << "ts: audio SoundFormat 2 unsupported, allowed 10 (AAC)";
    QTest::newRow("mp3 frame") << true << 3 << QByteArray::fromHex("2fff")
                               << "ts: audio SoundFormat 2 unsupported, allowed 10 (AAC)";
    QTest::newRow("raw aac as config")
        << false << 1 << aacBody("a")
        << "ts: audio config is not an AAC sequence header (AACPacketType 0)";
    QTest::newRow("aac frame too large for adts")
        << true << 3 << aacBody(QByteArray(8185, 'a'))
        << "ts: AAC frame of 8185 bytes too large for ADTS, max 8184";
    QTest::newRow("aac config with pce") << false << 1 << QByteArray::fromHex("af00 1200")
                                         << "ts: AAC channelConfiguration 0 cannot be carried in "
                                            "ADTS, allowed 1..7";
}

void tst_TsMuxer::errors() {
    QFETCH(bool, configure);
    QFETCH(int, call);
    QFETCH(QByteArray, body);
    QFETCH(QString, error);
    TsMuxer mux = configure ? avcAacMuxer() : TsMuxer{};
    std::vector<std::uint8_t> out = {0x55};
    stagecast::base::Status status;
    switch (call) {
    case 0:
        status = mux.setVideoConfig(view(body));
        break;
    case 1:
        status = mux.setAudioConfig(view(body));
        break;
    case 2:
        status = mux.writeVideo(out, 0, view(body));
        break;
    default:
        status = mux.writeAudio(out, 0, view(body));
        break;
    }
    QVERIFY(!status.has_value());
    QCOMPARE(QString::fromStdString(status.error().message()), error);
    QCOMPARE(out.size(), std::size_t{1}); // nothing appended
}

QTEST_APPLESS_MAIN(tst_TsMuxer)
#include "tst_TsMuxer.moc"
