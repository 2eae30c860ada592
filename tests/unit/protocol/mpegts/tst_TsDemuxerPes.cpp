// PES headers (ISO/IEC 13818-1 2.4.3.6/2.4.3.7) and the 33-bit timestamp unwrapping of the
// demuxer's clock.

#include <QtTest>

#include "DemuxTestSupport.h"
#include "protocol/mpegts/DemuxClock.h"
#include "protocol/mpegts/DemuxPes.h"

using namespace stagecast::protocol::mpegts::demux;
using namespace stagecast::test;

namespace {

// A video PES as ffmpeg writes it: unbounded, PTS and DTS, then an access unit delimiter.
const QByteArray kVideoPes = QByteArray::fromHex("000001"         // packet_start_code_prefix
                                                 "e0"             // stream_id: video 0
                                                 "0000"           // PES_packet_length 0: unbounded
                                                 "84"             // '10', data_alignment_indicator
                                                 "c0"             // PTS_DTS_flags '11'
                                                 "0a"             // PES_header_data_length 10
                                                 "31000910a1"     // '0011' PTS 133200 (1.48 s)
                                                 "110007d861"     // '0001' DTS 126000 (1.40 s)
                                                 "0000000109f0"); // payload: AUD

// An audio PES: bounded, PTS only, two bytes of ADTS.
const QByteArray kAudioPes = QByteArray::fromHex("000001"     // packet_start_code_prefix
                                                 "c0"         // stream_id: audio 0
                                                 "000a"       // PES_packet_length 10
                                                 "80"         // '10', flags 0
                                                 "80"         // PTS_DTS_flags '10'
                                                 "05"         // PES_header_data_length 5
                                                 "21000901a1" // '0010' PTS 131280
                                                 "fff1");     // payload

} // namespace

class tst_TsDemuxerPes : public QObject {
    Q_OBJECT

private slots:
    void header_data();
    void header();
    void headerErrors_data();
    void headerErrors();
    void headerTruncatedAtEveryByte();
    void unwrap_data();
    void unwrap();
    void ticksToMilliseconds_data();
    void ticksToMilliseconds();
};

void tst_TsDemuxerPes::header_data() {
    QTest::addColumn<QByteArray>("pes");
    QTest::addColumn<int>("streamId");
    QTest::addColumn<int>("packetLength");
    QTest::addColumn<qint64>("pts"); // -1 = none
    QTest::addColumn<qint64>("dts");
    QTest::addColumn<int>("payloadOffset");

    QTest::newRow("video pts and dts")
        << kVideoPes << 0xE0 << 0 << qint64{133200} << qint64{126000} << 19;
    QTest::newRow("audio pts only")
        << kAudioPes << 0xC0 << 10 << qint64{131280} << qint64{-1} << 14;
    QTest::newRow("33-bit pts") << QByteArray::fromHex("000001e00000"
                                                       "8080"
                                                       "05"
                                                       "2fffffffff") // PTS 2^33 - 1
                                << 0xE0 << 0 << qint64{0x1FFFFFFFF} << qint64{-1} << 14;
    QTest::newRow("all 33 bits distinct")
        << QByteArray::fromHex("000001e00000"
                               "80c00a"
                               "398d15cf13"  // PTS 0x123456789
                               "110007d861") // DTS 126000
        << 0xE0 << 0 << qint64{0x123456789} << qint64{126000} << 19;
    QTest::newRow("no timestamps, stuffing in header")
        << QByteArray::fromHex("000001e00000"
                               "8000"
                               "03"      // PES_header_data_length 3
                               "ffffff"  // stuffing_byte
                               "000001") // payload
        << 0xE0 << 0 << qint64{-1} << qint64{-1} << 12;
    QTest::newRow("padding stream has no optional header")
        << QByteArray::fromHex("000001be0004ffffffff") << 0xBE << 4 << qint64{-1} << qint64{-1}
        << 6;
}

void tst_TsDemuxerPes::header() {
    QFETCH(QByteArray, pes);
    QFETCH(int, streamId);
    QFETCH(int, packetLength);
    QFETCH(qint64, pts);
    QFETCH(qint64, dts);
    QFETCH(int, payloadOffset);
    auto h = parsePesHeader(view(pes));
    QVERIFY2(h, h ? "" : h.error().message().c_str());
    QCOMPARE(h->streamId, streamId);
    QCOMPARE(h->packetLength, packetLength);
    QCOMPARE(h->pts.has_value(), pts >= 0);
    QCOMPARE(h->dts.has_value(), dts >= 0);
    if (pts >= 0) {
        QCOMPARE(static_cast<qint64>(*h->pts), pts);
    }
    if (dts >= 0) {
        QCOMPARE(static_cast<qint64>(*h->dts), dts);
    }
    QCOMPARE(h->payloadOffset, static_cast<std::size_t>(payloadOffset));
}

void tst_TsDemuxerPes::headerErrors_data() {
    QTest::addColumn<QByteArray>("pes");
    QTest::addColumn<QString>("error");
    QTest::newRow("no start code") << QByteArray::fromHex("000002e00000") << "start_code_prefix";
    QTest::newRow("marker bits 01")
        << QByteArray::fromHex("000001e00000408000") << "marker '10' missing";
    QTest::newRow("header past packet")
        << QByteArray::fromHex("000001e000008080053100") << "runs past the 11-byte packet";
    QTest::newRow("pts dts flags 01")
        << QByteArray::fromHex("000001e00000804000") << "PTS_DTS_flags '01' invalid";
    QTest::newRow("header too small for dts")
        << QByteArray::fromHex("000001e0000080c00531000910a1") << "too small for the timestamps";
    QTest::newRow("five bytes") << QByteArray::fromHex("000001e000") << "need 6";
}

void tst_TsDemuxerPes::headerErrors() {
    QFETCH(QByteArray, pes);
    QFETCH(QString, error);
    auto h = parsePesHeader(view(pes));
    QVERIFY(!h);
    QVERIFY2(QString::fromStdString(h.error().message()).contains(error),
             h.error().message().c_str());
}

void tst_TsDemuxerPes::headerTruncatedAtEveryByte() {
    // Every prefix shorter than the header fails; none reads past its end (ASan).
    for (qsizetype n = 0; n < 19; ++n) {
        const QByteArray prefix = kVideoPes.left(n);
        QVERIFY2(!parsePesHeader(view(prefix)), QByteArray::number(n).constData());
    }
    QVERIFY(parsePesHeader(view(kVideoPes.left(19))));
}

void tst_TsDemuxerPes::unwrap_data() {
    QTest::addColumn<QList<qint64>>("raw");
    QTest::addColumn<QList<qint64>>("expected");
    const qint64 wrap = qint64{1} << 33;
    QTest::newRow("forward") << QList<qint64>{126000, 129600, 133200}
                             << QList<qint64>{126000, 129600, 133200};
    QTest::newRow("small step back is not a wrap")
        << QList<qint64>{133200, 126000, 131280} << QList<qint64>{133200, 126000, 131280};
    QTest::newRow("across the wrap") << QList<qint64>{wrap - 3600, wrap - 1800, 0, 1800}
                                     << QList<qint64>{wrap - 3600, wrap - 1800, wrap, wrap + 1800};
    QTest::newRow("audio before the wrap after video past it")
        << QList<qint64>{wrap - 900, 900, wrap - 450, 2700}
        << QList<qint64>{wrap - 900, wrap + 900, wrap - 450, wrap + 2700};
    QTest::newRow("step back across the wrap at start")
        << QList<qint64>{900, wrap - 900} << QList<qint64>{900, -900};
    QTest::newRow("second wrap") << QList<qint64>{wrap - 10, 10, wrap / 2, wrap - 10, 10}
                                 << QList<qint64>{wrap - 10, wrap + 10, wrap + wrap / 2,
                                                  2 * wrap - 10, 2 * wrap + 10};
}

void tst_TsDemuxerPes::unwrap() {
    QFETCH(QList<qint64>, raw);
    QFETCH(QList<qint64>, expected);
    DemuxClock clock;
    for (qsizetype i = 0; i < raw.size(); ++i) {
        QCOMPARE(clock.unwrap(static_cast<std::uint64_t>(raw[i])), expected[i]);
    }
}

void tst_TsDemuxerPes::ticksToMilliseconds_data() {
    QTest::addColumn<qint64>("ticks");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("zero") << qint64{0} << qint64{0};
    QTest::newRow("exact") << qint64{126000} << qint64{1400};
    QTest::newRow("rounds down") << qint64{131280 + 1919} << qint64{1479};
    QTest::newRow("negative rounds down") << qint64{-1} << qint64{-1};
    QTest::newRow("negative exact") << qint64{-90} << qint64{-1};
}

void tst_TsDemuxerPes::ticksToMilliseconds() {
    QFETCH(qint64, ticks);
    QFETCH(qint64, ms);
    QCOMPARE(ticksToMs(ticks), ms);
}

QTEST_APPLESS_MAIN(tst_TsDemuxerPes)
#include "tst_TsDemuxerPes.moc"
