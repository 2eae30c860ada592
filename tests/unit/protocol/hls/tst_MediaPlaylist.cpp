// MediaPlaylist rendering (RFC 8216, rfc8216bis LL-HLS) compared with expected text, the
// EXT-X-VERSION and EXT-X-TARGETDURATION rules, and validate()'s checks of the RFC's MUSTs.

#include <QtTest>

#include <cmath>

#include "SamplePlaylists.h"
#include "protocol/hls/MediaPlaylist.h"

using namespace stagecast::protocol::hls;
using namespace stagecast::test;

namespace {

QString text(const MediaPlaylist& p) {
    return QString::fromStdString(p.render());
}

} // namespace

class tst_MediaPlaylist : public QObject {
    Q_OBJECT

private slots:
    void tsLive();
    void lowLatency();
    void encrypted();
    void keyAndMapRepeatedOnFirstSegment();
    void deltaUpdate();
    void byteRangesAndGaps();
    void version_data();
    void version();
    void targetDuration_data();
    void targetDuration();
    void validate_data();
    void validate();
};

void tst_MediaPlaylist::tsLive() {
    QCOMPARE(text(tsLivePlaylist()), QString("#EXTM3U\n"
                                             "#EXT-X-VERSION:3\n"
                                             "#EXT-X-TARGETDURATION:4\n"
                                             "#EXT-X-MEDIA-SEQUENCE:120\n"
                                             "#EXT-X-DISCONTINUITY-SEQUENCE:2\n"
                                             "#EXT-X-PROGRAM-DATE-TIME:2026-11-24T03:15:46.000Z\n"
                                             "#EXTINF:4.000,\n"
                                             "seg120.ts\n"
                                             "#EXTINF:4.000,\n"
                                             "seg121.ts\n"
                                             "#EXT-X-DISCONTINUITY\n"
                                             "#EXT-X-PROGRAM-DATE-TIME:2026-11-24T03:16:00.500Z\n"
                                             "#EXTINF:3.500,\n"
                                             "seg122.ts\n"
                                             "#EXTINF:2.002,\n"
                                             "seg123.ts\n"));
    QVERIFY(tsLivePlaylist().validate().has_value());
}

void tst_MediaPlaylist::lowLatency() {
    const MediaPlaylist p = lowLatencyPlaylist();
    QCOMPARE(text(p), QString("#EXTM3U\n"
                              "#EXT-X-VERSION:6\n"
                              "#EXT-X-TARGETDURATION:4\n"
                              "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=3.000\n"
                              "#EXT-X-PART-INF:PART-TARGET=1.000\n"
                              "#EXT-X-MEDIA-SEQUENCE:10\n"
                              "#EXT-X-MAP:URI=\"init.mp4\"\n"
                              "#EXTINF:4.000,\n"
                              "seg10.m4s\n"
                              "#EXT-X-PART:DURATION=1.000,URI=\"seg11.0.m4s\",INDEPENDENT=YES\n"
                              "#EXT-X-PART:DURATION=1.000,URI=\"seg11.1.m4s\"\n"
                              "#EXT-X-PART:DURATION=1.000,URI=\"seg11.2.m4s\",INDEPENDENT=YES\n"
                              "#EXT-X-PART:DURATION=0.960,URI=\"seg11.3.m4s\"\n"
                              "#EXTINF:3.960,\n"
                              "seg11.m4s\n"
                              "#EXT-X-PART:DURATION=1.000,URI=\"seg12.0.m4s\",INDEPENDENT=YES\n"
                              "#EXT-X-PART:DURATION=1.000,URI=\"seg12.1.m4s\"\n"
                              "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg12.2.m4s\"\n"));
    const auto ok = p.validate();
    QVERIFY2(ok.has_value(), ok ? "" : ok.error().message().c_str());
}

void tst_MediaPlaylist::encrypted() {
    QCOMPARE(text(encryptedPlaylist()),
             QString("#EXTM3U\n"
                     "#EXT-X-VERSION:3\n"
                     "#EXT-X-TARGETDURATION:6\n"
                     "#EXT-X-MEDIA-SEQUENCE:0\n"
                     "#EXT-X-PLAYLIST-TYPE:VOD\n"
                     "#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example/k1\","
                     "IV=0x000102030405060708090a0b0c0d0e0f\n"
                     "#EXTINF:6.000,\n"
                     "a.ts\n"
                     "#EXTINF:5.500,\n"
                     "b.ts\n"
                     "#EXT-X-KEY:METHOD=AES-128,URI=\"https://keys.example/k2\","
                     "IV=0xf0f1f2f3f4f5f6f7f8f9fafbfcfdfeff\n"
                     "#EXTINF:6.000,\n"
                     "c.ts\n"
                     "#EXT-X-KEY:METHOD=NONE\n"
                     "#EXTINF:1.250,\n"
                     "d.ts\n"
                     "#EXT-X-ENDLIST\n"));
    QVERIFY(encryptedPlaylist().validate().has_value());
}

void tst_MediaPlaylist::keyAndMapRepeatedOnFirstSegment() {
    // After the window slides past the segment where the key and map first appeared, the new
    // first segment still carries them.
    MediaPlaylist p = lowLatencyPlaylist();
    p.segments.erase(p.segments.begin());
    p.segments[0].key = key("k", 1);
    p.segments[1].key = p.segments[0].key;
    const QString t = text(p);
    QCOMPARE(t.count("#EXT-X-MAP:URI=\"init.mp4\""), 1);
    QCOMPARE(t.count("#EXT-X-KEY:"), 1);
    QVERIFY(t.indexOf("#EXT-X-KEY:") < t.indexOf("#EXT-X-PART:"));
}

void tst_MediaPlaylist::deltaUpdate() {
    MediaPlaylist p;
    p.targetDuration = 4;
    p.mediaSequence = 100;
    p.skippedSegments = 3;
    p.serverControl.canSkipUntil = 24;
    p.serverControl.holdBack = 12;
    p.segments = {seg(4, "s103.ts")};
    QCOMPARE(text(p), QString("#EXTM3U\n"
                              "#EXT-X-VERSION:9\n"
                              "#EXT-X-TARGETDURATION:4\n"
                              "#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=24.000,HOLD-BACK=12.000\n"
                              "#EXT-X-MEDIA-SEQUENCE:100\n"
                              "#EXT-X-SKIP:SKIPPED-SEGMENTS=3\n"
                              "#EXTINF:4.000,\n"
                              "s103.ts\n"));
}

void tst_MediaPlaylist::byteRangesAndGaps() {
    MediaPlaylist p;
    p.independentSegments = true;
    p.segments = {seg(2, "all.ts"), seg(2, "all.ts"), seg(2.5, "missing.ts")};
    p.segments[0].byteRange = ByteRange{1000, 0};
    p.segments[1].byteRange = ByteRange{1200, std::nullopt};
    p.segments[1].title = "second, with a comma";
    p.segments[2].gap = true;
    p.segments[2].extraTags = {"#EXT-X-BITRATE:800"};
    p.trailingTags = {"#EXT-X-RENDITION-REPORT:URI=\"../alt/index.m3u8\",LAST-MSN=2"};
    QCOMPARE(text(p), QString("#EXTM3U\n"
                              "#EXT-X-VERSION:4\n"
                              "#EXT-X-TARGETDURATION:3\n"
                              "#EXT-X-MEDIA-SEQUENCE:0\n"
                              "#EXT-X-INDEPENDENT-SEGMENTS\n"
                              "#EXT-X-BYTERANGE:1000@0\n"
                              "#EXTINF:2.000,\n"
                              "all.ts\n"
                              "#EXT-X-BYTERANGE:1200\n"
                              "#EXTINF:2.000,second, with a comma\n"
                              "all.ts\n"
                              "#EXT-X-BITRATE:800\n"
                              "#EXT-X-GAP\n"
                              "#EXTINF:2.500,\n"
                              "missing.ts\n"
                              "#EXT-X-RENDITION-REPORT:URI=\"../alt/index.m3u8\",LAST-MSN=2\n"));
}

void tst_MediaPlaylist::version_data() {
    QTest::addColumn<int>("feature");
    QTest::addColumn<uint>("expected");
    QTest::newRow("plain ts") << 0 << 3U;
    QTest::newRow("iv only") << 1 << 3U;
    QTest::newRow("byte range") << 2 << 4U;
    QTest::newRow("keyformat") << 3 << 5U;
    QTest::newRow("map") << 4 << 6U;
    QTest::newRow("parts") << 5 << 6U;
    QTest::newRow("skip") << 6 << 9U;
    QTest::newRow("explicit 7 kept") << 7 << 7U;
}

void tst_MediaPlaylist::version() {
    QFETCH(int, feature);
    QFETCH(uint, expected);
    MediaPlaylist p;
    p.segments = {seg(1, "a.ts")};
    switch (feature) {
    case 1:
        p.segments[0].key = key("k", 0);
        break;
    case 2:
        p.segments[0].byteRange = ByteRange{10, 0};
        break;
    case 3:
        p.segments[0].key = key("k", 0);
        p.segments[0].key->keyFormat = "com.apple.streamingkeydelivery";
        break;
    case 4:
        p.segments[0].map = Map{"init.mp4", std::nullopt};
        break;
    case 5:
        p.partTarget = 0.5;
        p.segments[0].parts = {part(0.5, "p.ts")};
        break;
    case 6:
        p.skippedSegments = 1;
        break;
    case 7:
        p.version = 7;
        break;
    default:
        break;
    }
    QCOMPARE(std::max(p.version, p.requiredVersion()), expected);
    QVERIFY(p.render().starts_with("#EXTM3U\n#EXT-X-VERSION:" + std::to_string(expected) + "\n"));
}

void tst_MediaPlaylist::targetDuration_data() {
    QTest::addColumn<QList<double>>("durations");
    QTest::addColumn<qulonglong>("configured");
    QTest::addColumn<qulonglong>("expected");
    QTest::newRow("whole seconds") << QList<double>{4.0, 4.0} << 0ULL << 4ULL;
    QTest::newRow("rounded, not ceiled") << QList<double>{4.0, 4.2} << 0ULL << 4ULL;
    QTest::newRow("half rounds up") << QList<double>{4.0, 4.5} << 0ULL << 5ULL;
    QTest::newRow("binary noise ignored") << QList<double>{0.1 + 0.2 + 5.7} << 0ULL << 6ULL;
    QTest::newRow("29.97 fps GOP") << QList<double>{1.001, 1.001} << 0ULL << 1ULL;
    QTest::newRow("short segment") << QList<double>{0.5} << 0ULL << 1ULL;
    QTest::newRow("configured is a floor") << QList<double>{4.0} << 10ULL << 10ULL;
    QTest::newRow("configured too low") << QList<double>{4.6} << 4ULL << 5ULL;
    QTest::newRow("no segments") << QList<double>{} << 0ULL << 0ULL;
}

void tst_MediaPlaylist::targetDuration() {
    QFETCH(QList<double>, durations);
    QFETCH(qulonglong, configured);
    QFETCH(qulonglong, expected);
    MediaPlaylist p;
    p.targetDuration = configured;
    for (const double d : durations) {
        p.segments.push_back(seg(d, "x.ts"));
    }
    p.segments.push_back(Segment{}); // in progress: not counted
    p.segments.back().duration = 100;
    p.segments.back().discontinuity = true;
    QCOMPARE(qulonglong{p.renderedTargetDuration()}, expected);
    for (const double d : durations) {
        QVERIFY(std::llround(d) <= static_cast<long long>(expected)); // the RFC's rule
    }
}

void tst_MediaPlaylist::validate_data() {
    QTest::addColumn<int>("change");
    QTest::addColumn<QString>("error");
    QTest::newRow("valid") << 0 << "";
    QTest::newRow("extinf rounds above target")
        << 1 << "hls: segment 12 EXTINF 4.600 rounds to 5, above EXT-X-TARGETDURATION 4";
    QTest::newRow("extinf rounding down is fine") << 2 << "";
    QTest::newRow("part above part target")
        << 3 << "hls: part 1 of segment 11 lasts 1.100 s, above PART-TARGET 1.000";
    QTest::newRow("parts without part target")
        << 4 << "hls: segment 11 has parts but there is no EXT-X-PART-INF PART-TARGET";
    QTest::newRow("in progress segment not last")
        << 5 << "hls: segment 10 has no URI; only the last segment may be in progress";
    QTest::newRow("part hold back too small")
        << 6 << "hls: PART-HOLD-BACK 1.500 below two part targets (2.000)";
    QTest::newRow("hold back too small")
        << 7 << "hls: HOLD-BACK 11.000 below three target durations (12)";
    QTest::newRow("method none as a key")
        << 8
        << "hls: segment 10 key invalid: needs a METHOD other than NONE (use no key) and a "
           "URI, all quotable";
    QTest::newRow("line break in uri")
        << 9 << "hls: segment 10 URI or title holds a line break or starts with '#'";
    QTest::newRow("quote in part uri")
        << 10 << "hls: part 0 of segment 11 URI empty or not quotable";
    QTest::newRow("map dropped") << 11
                                 << "hls: segment 11 has no map after one with EXT-X-MAP, which "
                                    "cannot be undone";
    QTest::newRow("negative duration") << 12 << "hls: segment 10 duration -1.000 invalid";
}

void tst_MediaPlaylist::validate() {
    QFETCH(int, change);
    QFETCH(QString, error);
    MediaPlaylist p = lowLatencyPlaylist();
    switch (change) {
    case 1:
        p.segments[2].uri = "seg12.m4s";
        p.segments[2].duration = 4.6;
        p.segments[2].parts.clear();
        break;
    case 2:
        p.segments[1].duration = 4.4;
        break;
    case 3:
        p.segments[1].parts[1].duration = 1.1;
        break;
    case 4:
        p.partTarget.reset();
        p.serverControl.partHoldBack.reset();
        break;
    case 5:
        p.segments[0].uri.clear();
        break;
    case 6:
        p.serverControl.partHoldBack = 1.5;
        break;
    case 7:
        p.serverControl.holdBack = 11;
        break;
    case 8:
        p.segments[0].key = Key{"NONE", "k", std::nullopt, "", ""};
        break;
    case 9:
        p.segments[0].uri = "a\nb";
        break;
    case 10:
        p.segments[1].parts[0].uri = "a\"b";
        break;
    case 11:
        p.segments[1].map.reset();
        break;
    case 12:
        p.segments[0].duration = -1;
        break;
    default:
        break;
    }
    const auto status = p.validate();
    QCOMPARE(status.has_value(), error.isEmpty());
    if (!status) {
        QCOMPARE(QString::fromStdString(status.error().message()), error);
    }
}

QTEST_APPLESS_MAIN(tst_MediaPlaylist)
#include "tst_MediaPlaylist.moc"
