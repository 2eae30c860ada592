// TsDemuxer on small synthetic transport streams whose every packet is known: PAT/PMT,
// adaptation fields, PES reassembly, continuity checks, PMT changes, PTS wrap, limits and
// resync, and the same results for input split at every byte.

#include <QtTest>

#include "../codec/RealConfigs.h"
#include "DemuxTestSupport.h"

using namespace stagecast::protocol;
using namespace stagecast::test;
using Kind = mpegts::DemuxedPacket::Kind;

namespace {

constexpr std::uint16_t kPmtPid = 0x1000;
constexpr std::uint16_t kVideoPid = 0x100;
constexpr std::uint16_t kAudioPid = 0x101;
constexpr std::uint64_t kWrap = std::uint64_t{1} << 33;

// PAT packet as ffmpeg writes it: program 1 on PMT PID 0x1000.
const QByteArray kPatPacket = QByteArray::fromHex("47"          // sync_byte
                                                  "4000"        // PUSI 1, PID 0x0000
                                                  "10"          // AFC '01' payload only, CC 0
                                                  "00"          // pointer_field 0
                                                  "00b00d"      // table_id 0, section_length 13
                                                  "0001c10000"  // tsid 1, version 0, current
                                                  "0001f000"    // program 1 -> PID 0x1000
                                                  "2ab104b2") + // CRC_32
                              QByteArray(188 - 21, '\xff');     // stuffing

// PMT packet: H.264 on 0x100, AAC ADTS on 0x101, PCR on 0x100.
const QByteArray kPmtPacket = QByteArray::fromHex("47"
                                                  "5000"        // PUSI 1, PID 0x1000
                                                  "10"          // payload only, CC 0
                                                  "00"          // pointer_field 0
                                                  "02b017"      // table_id 2, section_length 23
                                                  "0001c10000"  // program 1, version 0
                                                  "e100f000"    // PCR_PID 0x100, no program info
                                                  "1be100f000"  // H.264 on 0x100
                                                  "0fe101f000"  // AAC ADTS on 0x101
                                                  "2f44b99b") + // CRC_32
                              QByteArray(188 - 31, '\xff');

// An ADTS frame: AAC LC, 48 kHz, mono, 4 bytes of raw data.
QByteArray adtsFrame(char marker) {
    return QByteArray::fromHex("fff14c40017ffc") + QByteArray::fromHex("211005") + marker;
}

// Audio PES in one packet: an adaptation field with a PCR and stuffing fills the rest.
QByteArray audioPacket() {
    const QByteArray pes = QByteArray::fromHex("000001c0"      // start code, stream_id 0xC0
                                               "001e"          // PES_packet_length 30
                                               "8080"          // '10', PTS_DTS_flags '10'
                                               "05"            // PES_header_data_length 5
                                               "210007df69") + // PTS 126900 (1410 ms)
                           adtsFrame('\x01') +
                           adtsFrame('\x02');
    return QByteArray::fromHex("47"              // sync_byte
                               "4101"            // PUSI 1, PID 0x101
                               "30"              // AFC '11' adaptation + payload, CC 0
                               "93"              // adaptation_field_length 147
                               "10"              // PCR_flag
                               "0000e4847e00") + // PCR base 117000, extension 0
           QByteArray(140, '\xff') +             // stuffing_bytes
           pes;
}

QByteArray annexB(const QList<QByteArray>& nals) {
    QByteArray out;
    for (const auto& nal : nals) {
        out += QByteArray::fromHex("00000001") + nal;
    }
    return out;
}

/// SPS and PPS of ffmpeg's 640x360 baseline record.
QByteArray spsPps() {
    const auto r =
        QByteArray(reinterpret_cast<const char*>(kAvcBaseline640x360), sizeof(kAvcBaseline640x360));
    const int spsLength = (static_cast<std::uint8_t>(r[6]) << 8) | static_cast<std::uint8_t>(r[7]);
    const QByteArray sps = r.mid(8, spsLength);
    const QByteArray pps = r.mid(8 + spsLength + 3, 5);
    return annexB({sps, pps});
}

const QByteArray kIdr = QByteArray::fromHex("65888400") + QByteArray(280, '\x5a');
const QByteArray kSlice = QByteArray::fromHex("419a0204");

struct Stream {
    Bytes bytes;
    std::uint8_t videoCc = 0;
    std::uint8_t audioCc = 0;

    void add(const Bytes& b) { bytes.insert(bytes.end(), b.begin(), b.end()); }
    void add(const QByteArray& b) { add(bytesOf(b)); }
    void video(const QByteArray& au, std::uint64_t pts, std::uint64_t dts,
               std::uint16_t pid = kVideoPid) {
        add(packetize(pid, videoCc, pesPacket(0xE0, view(au), pts, dts, false)));
    }
    void audio(const QByteArray& frames, std::uint64_t pts) {
        add(packetize(kAudioPid, audioCc, pesPacket(0xC0, view(frames), pts, {}, true)));
    }
};

/// PAT, PMT, an IDR access unit with SPS/PPS (two TS packets), the audio packet, a P frame.
Stream basicStream() {
    Stream s;
    s.add(kPatPacket);
    s.add(kPmtPacket);
    s.video(annexB({QByteArray::fromHex("09f0")}) + spsPps() + annexB({kIdr}), 133200, 126000);
    s.add(audioPacket());
    s.audioCc = 1;
    s.video(annexB({kSlice}), 129600, 129600);
    return s;
}

struct Expected {
    Kind kind;
    qint64 dtsMs;
    int ctsMs;
    bool keyframe;
    bool config;
};

void compare(const std::vector<mpegts::DemuxedPacket>& got, const QList<Expected>& expected) {
    QCOMPARE(static_cast<qsizetype>(got.size()), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const auto& g = got[static_cast<std::size_t>(i)];
        const auto& e = expected[i];
        const QByteArray where = "packet " + QByteArray::number(i);
        QVERIFY2(g.kind == e.kind, where);
        QVERIFY2(g.dtsMs == e.dtsMs, where + " dts " + QByteArray::number(g.dtsMs));
        QVERIFY2(g.ctsMs == e.ctsMs, where);
        QVERIFY2(g.keyframe == e.keyframe, where);
        QVERIFY2(g.config == e.config, where);
    }
}

const QList<Expected> kBasicOutput = {
    {Kind::Video, 1400, 0, false, true}, // AVC sequence header
    {Kind::Video, 1400, 80, true, false},
    {Kind::Audio, 1410, 0, false, true}, // AudioSpecificConfig
    {Kind::Audio, 1410, 0, false, false},
    {Kind::Audio, 1431, 0, false, false},
    {Kind::Video, 1440, 0, false, false},
};

/// Index of the `nth` packet (counting from 0) on `pid` in `s`.
std::size_t packetIndex(const Bytes& s, std::uint16_t pid, int nth) {
    for (std::size_t i = 0; i + 188 <= s.size(); i += 188) {
        if ((((s[i + 1] & 0x1F) << 8) | s[i + 2]) == pid && nth-- == 0) {
            return i;
        }
    }
    return s.size();
}

} // namespace

class tst_TsDemuxer : public QObject {
    Q_OBJECT

private slots:
    void basicStream();
    void bodies();
    void splitAtEveryByte();
    void continuityGapDropsPes();
    void duplicatePacketIgnored();
    void discontinuityIndicator();
    void transportErrorIndicator();
    void crcError();
    void otherStreamsIgnored();
    void pmtChangeSwitchesStream();
    void ptsWrap();
    void truncatedBoundedPes();
    void pesTooBig();
    void notTransportStream();
    void silentTrackDoesNotHoldOutput();
    void joinMidStream();
};

void tst_TsDemuxer::basicStream() {
    const auto s = ::basicStream();
    QCOMPARE(s.bytes.size(), 6U * 188U);
    const auto run = demuxAll(s.bytes);
    QVERIFY(run.ok);
    compare(run.packets, kBasicOutput);
    QCOMPARE(run.stats.packets, 6U);
    QCOMPARE(run.stats.ccErrors, 0U);
    QCOMPARE(run.stats.crcErrors, 0U);
    QCOMPARE(run.stats.droppedPes, 0U);
    QCOMPARE(run.stats.resyncBytes, 0U);
    QCOMPARE(run.stats.ignoredStreams, 0U);
}

void tst_TsDemuxer::bodies() {
    const auto run = demuxAll(::basicStream().bytes);
    QCOMPARE(run.packets.size(), 6U);
    const auto record =
        QByteArray(reinterpret_cast<const char*>(kAvcBaseline640x360), sizeof(kAvcBaseline640x360));
    QCOMPARE(qb(run.packets[0].flvBody), QByteArray::fromHex("1700000000") + record);
    // AUD, SPS and PPS left out; the IDR with a 4-byte length; cts 80.
    QCOMPARE(qb(run.packets[1].flvBody),
             QByteArray::fromHex("1701000050") + QByteArray::fromHex("0000011c") + kIdr);
    QCOMPARE(qb(run.packets[2].flvBody), QByteArray::fromHex("af001188"));
    QCOMPARE(qb(run.packets[3].flvBody), QByteArray::fromHex("af0121100501"));
    QCOMPARE(qb(run.packets[4].flvBody), QByteArray::fromHex("af0121100502"));
    QCOMPARE(qb(run.packets[5].flvBody),
             QByteArray::fromHex("2701000000") + QByteArray::fromHex("00000004") + kSlice);
}

void tst_TsDemuxer::splitAtEveryByte() {
    const auto bytes = ::basicStream().bytes;
    const auto whole = demuxAll(bytes);
    for (const std::size_t chunk : {1U, 2U, 187U, 189U, 376U}) {
        const auto pieces = demuxAll(bytes, chunk);
        QCOMPARE(pieces.packets.size(), whole.packets.size());
        for (std::size_t i = 0; i < whole.packets.size(); ++i) {
            QVERIFY(pieces.packets[i].flvBody == whole.packets[i].flvBody);
            QCOMPARE(pieces.packets[i].dtsMs, whole.packets[i].dtsMs);
        }
    }
    // And one split at every position into two feeds.
    for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
        mpegts::TsDemuxer demuxer;
        std::vector<mpegts::DemuxedPacket> out;
        QVERIFY(demuxer.feed(std::span(bytes).first(cut), out));
        QVERIFY(demuxer.feed(std::span(bytes).subspan(cut), out));
        demuxer.flush(out);
        QVERIFY2(out.size() == whole.packets.size(), QByteArray::number(cut));
        for (std::size_t i = 0; i < out.size(); ++i) {
            QVERIFY(out[i].flvBody == whole.packets[i].flvBody);
        }
    }
}

void tst_TsDemuxer::continuityGapDropsPes() {
    auto s = ::basicStream();
    // The second packet of the IDR access unit is lost.
    const std::size_t at = packetIndex(s.bytes, kVideoPid, 1);
    s.bytes.erase(s.bytes.begin() + static_cast<std::ptrdiff_t>(at),
                  s.bytes.begin() + static_cast<std::ptrdiff_t>(at + 188));
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.stats.ccErrors, 1U);
    QCOMPARE(run.stats.droppedPes, 1U);
    // The SPS/PPS went with it, so the P frame has no config to go with: dropped too.
    QCOMPARE(run.stats.droppedFrames, 1U);
    compare(run.packets, {{Kind::Audio, 1410, 0, false, true},
                          {Kind::Audio, 1410, 0, false, false},
                          {Kind::Audio, 1431, 0, false, false}});
}

void tst_TsDemuxer::duplicatePacketIgnored() {
    auto s = ::basicStream();
    const std::size_t at = packetIndex(s.bytes, kVideoPid, 1);
    const Bytes copy(s.bytes.begin() + static_cast<std::ptrdiff_t>(at),
                     s.bytes.begin() + static_cast<std::ptrdiff_t>(at + 188));
    s.bytes.insert(s.bytes.begin() + static_cast<std::ptrdiff_t>(at + 188), copy.begin(),
                   copy.end());
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.stats.ccErrors, 0U);
    compare(run.packets, kBasicOutput);
    QCOMPARE(qb(run.packets[1].flvBody).size(), 5 + 4 + kIdr.size());
}

void tst_TsDemuxer::discontinuityIndicator() {
    Stream s;
    s.add(kPatPacket);
    s.add(kPmtPacket);
    s.video(spsPps() + annexB({kIdr}), 126000, 126000);
    // The next packet restarts the counter at 9 and says so (discontinuity_indicator).
    const auto pes = pesPacket(0xE0, view(annexB({kSlice})), 129600, 129600, false);
    s.add(tsPacket(kVideoPid, true, 9, pes, true));
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.stats.ccErrors, 0U);
    QCOMPARE(run.packets.size(), 3U);
    QCOMPARE(run.packets[2].dtsMs, 1440);
}

void tst_TsDemuxer::transportErrorIndicator() {
    auto s = ::basicStream();
    const std::size_t at = packetIndex(s.bytes, kVideoPid, 1);
    s.bytes[at + 1] |= 0x80; // transport_error_indicator
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.stats.packets, 6U);
    QCOMPARE(run.stats.ccErrors, 1U); // the next video packet shows the gap
    QCOMPARE(run.stats.droppedPes, 1U);
}

void tst_TsDemuxer::crcError() {
    auto s = ::basicStream();
    s.bytes[188 + 20] ^= 0x01; // inside the PMT section
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.stats.crcErrors, 1U);
    QVERIFY(run.packets.empty()); // no PMT, no streams
    // The next (good) PMT repetition brings the streams in.
    Bytes good = bytesOf(kPmtPacket);
    good[3] = 0x11; // continuity_counter 1
    auto u = s;
    u.bytes.insert(u.bytes.begin() + 2 * 188, good.begin(), good.end());
    const auto rerun = demuxAll(u.bytes);
    QCOMPARE(rerun.stats.crcErrors, 1U);
    compare(rerun.packets, kBasicOutput);
}

void tst_TsDemuxer::otherStreamsIgnored() {
    Stream s;
    s.add(kPatPacket);
    s.add(psiPacket(kPmtPid, 0,
                    pmtSection(1, {{0x03, 0x102},     // MPEG-1 audio
                                   {0x1B, kVideoPid}, // the video
                                   {0x24, 0x103},     // a second video (HEVC)
                                   {0x0F, kAudioPid}, // the audio
                                   {0x0F, 0x104}}))); // a second audio
    s.video(spsPps() + annexB({kIdr}), 126000, 126000);
    std::uint8_t cc = 0;
    s.add(packetize(0x103, cc, pesPacket(0xE1, view(annexB({kSlice})), 0, 0, false)));
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.stats.ignoredStreams, 3U);
    QCOMPARE(run.packets.size(), 2U);
    QCOMPARE(run.packets[1].dtsMs, 1400);
}

void tst_TsDemuxer::pmtChangeSwitchesStream() {
    Stream s;
    s.add(kPatPacket);
    s.add(kPmtPacket);
    s.video(spsPps() + annexB({kIdr}), 126000, 126000);
    // Version 1 moves the video to PID 0x200; the old PID is no longer read.
    s.add(psiPacket(kPmtPid, 1, pmtSection(1, {{0x1B, 0x200}}, 1)));
    s.videoCc = 0;
    s.video(spsPps() + annexB({kIdr}), 129600, 129600, 0x200);
    std::uint8_t staleCc = 2;
    s.add(packetize(kVideoPid, staleCc, // the old PID goes on: ignored
                    pesPacket(0xE0, view(annexB({kSlice})), 133200, 133200, false)));
    s.video(annexB({kSlice}), 136800, 136800, 0x200);
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.stats.ccErrors, 0U);
    QCOMPARE(run.stats.droppedPes, 0U);
    // The access unit in progress on the old PID is finished when the PMT drops it; the new
    // stream starts over with its own config.
    compare(run.packets, {{Kind::Video, 1400, 0, false, true},
                          {Kind::Video, 1400, 0, true, false},
                          {Kind::Video, 1440, 0, false, true},
                          {Kind::Video, 1440, 0, true, false},
                          {Kind::Video, 1520, 0, false, false}});
}

void tst_TsDemuxer::ptsWrap() {
    Stream s;
    s.add(kPatPacket);
    s.add(kPmtPacket);
    const QByteArray frames = adtsFrame('\x01') + adtsFrame('\x02');
    s.audio(frames, kWrap - 3840);
    s.audio(frames, 0);
    s.audio(frames, 3840);
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.packets.size(), 7U);
    const qint64 start = static_cast<qint64>((kWrap - 3840) / 90);
    QCOMPARE(run.packets[1].dtsMs, start);
    for (std::size_t i = 2; i < run.packets.size(); ++i) {
        QVERIFY(run.packets[i].dtsMs > run.packets[i - 1].dtsMs);
    }
    QCOMPARE(run.packets[3].dtsMs, static_cast<qint64>(kWrap / 90));
    QCOMPARE(run.packets[5].dtsMs, static_cast<qint64>((kWrap + 3840) / 90));
}

void tst_TsDemuxer::truncatedBoundedPes() {
    Stream s;
    s.add(kPatPacket);
    s.add(kPmtPacket);
    // PES_packet_length says 448 bytes, one packet arrives, then the next PES starts.
    auto pes = pesPacket(0xC0, view(adtsFrame('\x01').repeated(40)), 126000, {}, true);
    s.add(tsPacket(kAudioPid, true, 0, std::span(pes).first(184)));
    s.audioCc = 1;
    s.audio(adtsFrame('\x03'), 130000);
    const auto run = demuxAll(s.bytes);
    QCOMPARE(run.stats.droppedPes, 1U);
    QCOMPARE(run.stats.ccErrors, 0U);
    QCOMPARE(run.packets.size(), 2U); // config + the frame of the second PES
    QCOMPARE(qb(run.packets[1].flvBody), QByteArray::fromHex("af0121100503"));
    // Cut off at the end of the stream: dropped at flush.
    auto t = Stream();
    t.add(kPatPacket);
    t.add(kPmtPacket);
    t.add(tsPacket(kAudioPid, true, 0, std::span(pes).first(184)));
    QCOMPARE(demuxAll(t.bytes).stats.droppedPes, 1U);
}

void tst_TsDemuxer::pesTooBig() {
    mpegts::TsDemuxerLimits limits;
    limits.maxPesBytes = 1000;
    Stream s;
    s.add(kPatPacket);
    s.add(kPmtPacket);
    s.video(spsPps() + annexB({kIdr.repeated(4)}), 126000, 126000); // ~1250 bytes
    s.video(spsPps() + annexB({kIdr}), 129600, 129600);
    const auto run = demuxAll(s.bytes, 0, limits);
    QCOMPARE(run.stats.droppedPes, 1U);
    QCOMPARE(run.packets.size(), 2U);
    QCOMPARE(run.packets[1].dtsMs, 1440);
}

void tst_TsDemuxer::notTransportStream() {
    mpegts::TsDemuxerLimits limits;
    limits.maxResyncBytes = 10000;
    mpegts::TsDemuxer demuxer(limits);
    std::vector<mpegts::DemuxedPacket> out;
    const Bytes flv = {'F', 'L', 'V', 1, 5, 0, 0, 0, 9};
    QVERIFY(demuxer.feed(flv, out));
    const Bytes zeros(20000, 0);
    const auto status = demuxer.feed(zeros, out);
    QVERIFY(!status);
    QVERIFY2(QString::fromStdString(status.error().message())
                 .contains("no packet sync (0x47 every 188 bytes) in 20009 bytes, allowed up to "
                           "10000"),
             status.error().message().c_str());
    // Sticky: a broken input stays broken.
    QVERIFY(!demuxer.feed(::basicStream().bytes, out));
    QVERIFY(out.empty());
    QVERIFY(demuxer.stats().resyncBytes > 10000);
}

void tst_TsDemuxer::silentTrackDoesNotHoldOutput() {
    // The PMT declares audio, but only video comes: frames are released without waiting
    // for the end of the stream once they are more than the window (500 ms) ahead.
    Stream s;
    s.add(kPatPacket);
    s.add(kPmtPacket);
    s.video(spsPps() + annexB({kIdr}), 126000, 126000);
    for (int i = 1; i < 30; ++i) {
        s.video(annexB({kSlice}), 126000 + static_cast<std::uint64_t>(i) * 3600,
                126000 + static_cast<std::uint64_t>(i) * 3600);
    }
    mpegts::TsDemuxer demuxer;
    std::vector<mpegts::DemuxedPacket> out;
    QVERIFY(demuxer.feed(s.bytes, out));
    // 29 completed access units (the last waits for the next start); once the first was
    // held 500 ms the audio is no longer waited for.
    QCOMPARE(out.size(), 1U + 29U);
    demuxer.flush(out);
    QCOMPARE(out.size(), 1U + 30U);
    for (std::size_t i = 2; i < out.size(); ++i) {
        QCOMPARE(out[i].dtsMs - out[i - 1].dtsMs, 40);
    }
}

void tst_TsDemuxer::joinMidStream() {
    // Bytes start in the middle of a packet and of a PES (as after an SRT reconnect): the
    // partial packet is skipped, the PES continuation ignored, and demuxing starts at the
    // PAT/PMT that follow.
    auto s = ::basicStream();
    Bytes joined(s.bytes.begin() + 2 * 188 + 100, s.bytes.begin() + 3 * 188 + 188);
    joined.insert(joined.end(), s.bytes.begin(), s.bytes.end());
    const auto run = demuxAll(joined);
    QCOMPARE(run.stats.resyncBytes, 88U);
    compare(run.packets, kBasicOutput);
}

QTEST_APPLESS_MAIN(tst_TsDemuxer)
#include "tst_TsDemuxer.moc"
