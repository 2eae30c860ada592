// parseMediaPlaylist: the three sample playlists parse to their models and back to the same
// text; a playlist in the style of Apple's LL-HLS examples (CRLF, BOM, comments, unknown tags,
// byte ranges, delta update) parses to the expected fields; errors name the line; limits;
// cutting a playlist at every byte never breaks the parser and keeps a prefix of its segments.

#include <QtTest>

#include "SamplePlaylists.h"
#include "protocol/hls/PlaylistParser.h"

using namespace stagecast::protocol::hls;
using namespace stagecast::test;

namespace {

std::string rendered(const MediaPlaylist& p) {
    return p.render();
}

// A model as render() writes it: version and target duration filled in.
MediaPlaylist asRendered(MediaPlaylist p) {
    p.version = std::max(p.version, p.requiredVersion());
    p.targetDuration = p.renderedTargetDuration();
    return p;
}

const char* const kAppleStyle =
    "\xEF\xBB\xBF#EXTM3U\r\n"
    "# a comment, ignored\r\n"
    "#EXT-X-TARGETDURATION:4\r\n"
    "#EXT-X-VERSION:9\r\n"
    "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=24.0,PART-HOLD-BACK=1.002,"
    "FUTURE-ATTR=\"x,y\"\r\n"
    "#EXT-X-PART-INF:PART-TARGET=0.33334\r\n"
    "#EXT-X-MEDIA-SEQUENCE:266\r\n"
    "#EXT-X-SKIP:SKIPPED-SEGMENTS=3\r\n"
    "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://key65\",KEYFORMAT=\"com.apple.streamingkeydelivery\","
    "KEYFORMATVERSIONS=\"1\"\r\n"
    "#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"720@0\"\r\n"
    "#EXT-X-PROGRAM-DATE-TIME:2019-02-14T02:13:36.106+01:00\r\n"
    "#EXT-X-DATERANGE:ID=\"ad1\",START-DATE=\"2019-02-14T02:13:36Z\"\r\n"
    "#EXTINF:4.00008,\r\n"
    "fileSequence269.mp4\r\n"
    "#EXT-X-BYTERANGE:5000@720\r\n"
    "#EXTINF:4.00008,title\r\n"
    "fileSequence270.mp4\r\n"
    "#EXT-X-PART:DURATION=0.33334,URI=\"filePart271.0.mp4\",INDEPENDENT=YES\r\n"
    "#EXT-X-PART:DURATION=0.33334,URI=\"filePart271.1.mp4\",BYTERANGE=\"100@20\"\r\n"
    "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"filePart271.2.mp4\",BYTERANGE-START=0\r\n"
    "#EXT-X-RENDITION-REPORT:URI=\"../1M/waitForMSN.php\",LAST-MSN=273,LAST-PART=2\r\n";

} // namespace

class tst_PlaylistParser : public QObject {
    Q_OBJECT

private slots:
    void samples_data();
    void samples();
    void appleStyle();
    void errors_data();
    void errors();
    void limits();
    void cutAtEveryByte();
    void lenientBits();
};

void tst_PlaylistParser::samples_data() {
    QTest::addColumn<int>("which");
    QTest::newRow("ts live with discontinuity") << 0;
    QTest::newRow("low latency with parts") << 1;
    QTest::newRow("encrypted vod") << 2;
}

void tst_PlaylistParser::samples() {
    QFETCH(int, which);
    const MediaPlaylist model = which == 0   ? tsLivePlaylist()
                                : which == 1 ? lowLatencyPlaylist()
                                             : encryptedPlaylist();
    const std::string text = rendered(model);
    const auto parsed = parseMediaPlaylist(text);
    QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
    QVERIFY(*parsed == asRendered(model));
    QCOMPARE(QString::fromStdString(parsed->render()), QString::fromStdString(text));
}

void tst_PlaylistParser::appleStyle() {
    const auto p = parseMediaPlaylist(kAppleStyle);
    QVERIFY2(p.has_value(), p ? "" : p.error().message().c_str());
    QCOMPARE(p->version, 9U);
    QCOMPARE(p->targetDuration, std::uint64_t{4});
    QCOMPARE(p->mediaSequence, std::uint64_t{266});
    QCOMPARE(p->skippedSegments, std::uint64_t{3});
    QVERIFY(p->serverControl.canBlockReload);
    QCOMPARE(p->serverControl.canSkipUntil, std::optional<double>(24.0));
    QCOMPARE(p->serverControl.partHoldBack, std::optional<double>(1.002));
    QCOMPARE(p->partTarget, std::optional<double>(0.33334));
    QCOMPARE(p->segments.size(), std::size_t{3});

    const Segment& s0 = p->segments[0];
    QCOMPARE(s0.uri, std::string("fileSequence269.mp4"));
    QCOMPARE(s0.duration, 4.00008);
    QVERIFY(s0.key.has_value());
    QCOMPARE(s0.key->method, std::string("SAMPLE-AES"));
    QCOMPARE(s0.key->uri, std::string("skd://key65"));
    QCOMPARE(s0.key->keyFormat, std::string("com.apple.streamingkeydelivery"));
    QCOMPARE(s0.key->keyFormatVersions, std::string("1"));
    QVERIFY(!s0.key->iv.has_value());
    QCOMPARE(s0.map, std::optional<Map>(Map{"init.mp4", ByteRange{720, 0}}));
    // 02:13:36.106 at +01:00 is 01:13:36.106 UTC.
    QCOMPARE(s0.programDateTimeMs, std::optional<std::int64_t>(1550106816106));
    QCOMPARE(s0.extraTags, std::vector<std::string>{
                               "#EXT-X-DATERANGE:ID=\"ad1\",START-DATE=\"2019-02-14T02:13:36Z\""});

    const Segment& s1 = p->segments[1];
    QCOMPARE(s1.title, std::string("title"));
    QCOMPARE(s1.byteRange, std::optional<ByteRange>(ByteRange{5000, 720}));
    QVERIFY(s1.key == s0.key); // still in effect
    QVERIFY(!s1.programDateTimeMs.has_value());

    const Segment& s2 = p->segments[2]; // in progress
    QVERIFY(s2.uri.empty());
    QCOMPARE(s2.parts.size(), std::size_t{2});
    QVERIFY(s2.parts[0].independent);
    QCOMPARE(s2.parts[1].byteRange, std::optional<ByteRange>(ByteRange{100, 20}));
    QCOMPARE(s2.parts[1].uri, std::string("filePart271.1.mp4"));

    QCOMPARE(p->preloadHints.size(), std::size_t{1});
    QCOMPARE(p->preloadHints[0].byteRangeStart, std::optional<std::uint64_t>(0));
    QVERIFY(!p->preloadHints[0].byteRangeLength.has_value());
    QCOMPARE(p->trailingTags,
             std::vector<std::string>{
                 "#EXT-X-RENDITION-REPORT:URI=\"../1M/waitForMSN.php\",LAST-MSN=273,LAST-PART=2"});
    QVERIFY(p->validate().has_value());

    // What the model keeps survives render + parse.
    const auto again = parseMediaPlaylist(p->render());
    QVERIFY2(again.has_value(), again ? "" : again.error().message().c_str());
    QVERIFY(*again == asRendered(*p));
}

void tst_PlaylistParser::errors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const QString head = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n";
    QTest::newRow("extinf without uri at the end") << head + "#EXTINF:4,\n"
                                                   << "hls: line 3: EXTINF without a URI";
    QTest::newRow("extinf followed by extinf")
        << head + "#EXTINF:4,\n#EXT-X-DISCONTINUITY\n#EXTINF:4,\na.ts\n"
        << "hls: line 3: EXTINF without a URI";
    QTest::newRow("uri without extinf") << head + "a.ts\n"
                                        << "hls: line 3: URI \"a.ts\" without a preceding EXTINF";
    QTest::newRow("missing header") << "#EXT-X-TARGETDURATION:4\n"
                                    << "hls: line 1: playlist must start with #EXTM3U, found "
                                       "\"#EXT-X-TARGETDURATION:4\"";
    QTest::newRow("empty") << ""
                           << "hls: empty playlist, must start with #EXTM3U";
    QTest::newRow("no target duration") << "#EXTM3U\n#EXTINF:4,\na.ts\n"
                                        << "hls: missing EXT-X-TARGETDURATION";
    QTest::newRow("bad duration") << head + "#EXTINF:-4,\na.ts\n"
                                  << "hls: line 3: EXTINF duration \"-4\" invalid, expected "
                                     "decimal seconds";
    QTest::newRow("exponent duration") << head + "#EXTINF:1e3,\na.ts\n"
                                       << "hls: line 3: EXTINF duration \"1e3\" invalid, "
                                          "expected decimal seconds";
    QTest::newRow("target twice")
        << head + "#EXT-X-TARGETDURATION:6\n"
        << "hls: line 3: EXT-X-TARGETDURATION appears twice, allowed once";
    QTest::newRow("target not a number")
        << "#EXTM3U\n#EXT-X-TARGETDURATION:4.5\n"
        << "hls: line 2: EXT-X-TARGETDURATION value \"4.5\" invalid, expected a decimal integer";
    QTest::newRow("multivariant tag")
        << head + "#EXT-X-STREAM-INF:BANDWIDTH=1\nx.m3u8\n"
        << "hls: line 3: EXT-X-STREAM-INF belongs in a multivariant playlist, not a media "
           "playlist";
    QTest::newRow("bad date") << head + "#EXT-X-PROGRAM-DATE-TIME:2019-02-30T00:00:00Z\n"
                              << "hls: line 3: EXT-X-PROGRAM-DATE-TIME "
                                 "\"2019-02-30T00:00:00Z\" invalid, expected "
                                 "YYYY-MM-DDThh:mm:ss[.sss](Z|+hh:mm)";
    QTest::newRow("part without duration") << head + "#EXT-X-PART:URI=\"p.mp4\"\n"
                                           << "hls: line 3: EXT-X-PART without DURATION";
    QTest::newRow("part uri unquoted")
        << head + "#EXT-X-PART:DURATION=1,URI=p.mp4\n"
        << "hls: line 3: EXT-X-PART URI must be a non-empty quoted string";
    QTest::newRow("part independent maybe")
        << head + "#EXT-X-PART:DURATION=1,URI=\"p\",INDEPENDENT=MAYBE\n"
        << "hls: line 3: EXT-X-PART INDEPENDENT \"MAYBE\" invalid, allowed YES, NO";
    QTest::newRow("attribute without value")
        << head + "#EXT-X-PART:DURATION=1,URI\n"
        << "hls: line 3: EXT-X-PART: attribute \"URI\" has no '=' and value";
    QTest::newRow("unclosed quote") << head + "#EXT-X-MAP:URI=\"init.mp4\n"
                                    << "hls: line 3: EXT-X-MAP: quoted value of URI not closed";
    QTest::newRow("repeated attribute") << head + "#EXT-X-MAP:URI=\"a\",URI=\"b\"\n"
                                        << "hls: line 3: EXT-X-MAP: attribute URI repeated";
    QTest::newRow("key without uri") << head + "#EXT-X-KEY:METHOD=AES-128\n"
                                     << "hls: line 3: EXT-X-KEY without URI";
    QTest::newRow("key with a bad iv")
        << head + "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0xZZ\n"
        << "hls: line 3: EXT-X-KEY IV \"0xZZ\" invalid, expected 0x and up to 32 hex digits";
    QTest::newRow("hint without type")
        << head + "#EXT-X-PRELOAD-HINT:URI=\"p\"\n"
        << "hls: line 3: EXT-X-PRELOAD-HINT TYPE missing or invalid, allowed PART, MAP";
    QTest::newRow("playlist type live")
        << head + "#EXT-X-PLAYLIST-TYPE:LIVE\n"
        << "hls: line 3: EXT-X-PLAYLIST-TYPE \"LIVE\" invalid, allowed EVENT, VOD";
    QTest::newRow("byterange junk") << head + "#EXT-X-BYTERANGE:12@\n"
                                    << "hls: line 3: EXT-X-BYTERANGE \"12@\" invalid, expected "
                                       "<n>[@<o>]";
    QTest::newRow("part target missing") << head + "#EXT-X-PART-INF:PART-HOLD=1\n"
                                         << "hls: line 3: EXT-X-PART-INF without PART-TARGET";
}

void tst_PlaylistParser::errors() {
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto p = parseMediaPlaylist(text.toStdString());
    QVERIFY(!p.has_value());
    QCOMPARE(QString::fromStdString(p.error().message()), error);
}

void tst_PlaylistParser::limits() {
    const std::string ok = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n#EXTINF:4,\nb.ts\n";
    QVERIFY(parseMediaPlaylist(ok, {64, 2}).has_value());
    const auto entries = parseMediaPlaylist(ok, {64, 1});
    QVERIFY(!entries.has_value());
    QCOMPARE(QString::fromStdString(entries.error().message()),
             QString("hls: line 6: more than 1 entries (segments, parts, tags), the limit"));
    const auto line = parseMediaPlaylist(ok, {20, 10});
    QVERIFY(!line.has_value());
    QCOMPARE(QString::fromStdString(line.error().message()),
             QString("hls: line 2: line of 23 bytes too long, max 20"));
    // The defaults: 64 KiB lines.
    const std::string longLine =
        "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-FOO:" + std::string(64 * 1024, 'x') + "\n";
    QVERIFY(!parseMediaPlaylist(longLine).has_value());
}

void tst_PlaylistParser::cutAtEveryByte() {
    const std::string text = lowLatencyPlaylist().render() + tsLivePlaylist().render().substr(8);
    const auto full = parseMediaPlaylist(text);
    // The concatenation repeats header tags: an error, but a clean one.
    QVERIFY(!full.has_value());
    const std::string ll = lowLatencyPlaylist().render();
    const auto whole = parseMediaPlaylist(ll);
    QVERIFY(whole.has_value());
    for (std::size_t n = 0; n <= ll.size(); ++n) {
        const auto p = parseMediaPlaylist(std::string_view(ll).substr(0, n));
        if (!p) {
            QVERIFY(p.error().message().starts_with("hls: "));
            continue;
        }
        // Complete segments of a cut playlist are complete segments of the whole one (the
        // last URI may be cut short).
        for (std::size_t i = 0; i < p->segments.size(); ++i) {
            const std::string& uri = p->segments[i].uri;
            if (uri.empty()) {
                continue;
            }
            QVERIFY(i < whole->segments.size());
            QVERIFY(whole->segments[i].uri.starts_with(uri));
            if (i + 1 < p->segments.size()) {
                QCOMPARE(uri, whole->segments[i].uri);
            }
            QCOMPARE(p->segments[i].duration, whole->segments[i].duration);
        }
        if (n == ll.size()) {
            QVERIFY(*p == *whole);
        }
    }
}

void tst_PlaylistParser::lenientBits() {
    // Trailing whitespace, blank lines, EXTINF without comma, lower-case hex IV, unknown
    // attributes, METHOD=NONE resetting an earlier key, a KEY tag that changes nothing.
    const auto p = parseMediaPlaylist("#EXTM3U  \n\n"
                                      "#EXT-X-TARGETDURATION:10\t\n"
                                      "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0xAb\n"
                                      "#EXTINF:9.5\n"
                                      "a.ts  \n"
                                      "#EXT-X-KEY:METHOD=NONE\n"
                                      "#EXTINF:10,t\n"
                                      "b.ts\n"
                                      "#EXT-X-ENDLIST\n");
    QVERIFY2(p.has_value(), p ? "" : p.error().message().c_str());
    QCOMPARE(p->segments.size(), std::size_t{2});
    QCOMPARE(p->segments[0].uri, std::string("a.ts"));
    QCOMPARE(p->segments[0].duration, 9.5);
    QVERIFY(p->segments[0].key.has_value());
    QCOMPARE(p->segments[0].key->iv->back(), std::uint8_t{0xAB});
    QCOMPARE(p->segments[0].key->iv->at(14), std::uint8_t{0});
    QVERIFY(!p->segments[1].key.has_value());
    QVERIFY(p->endList);
}

QTEST_APPLESS_MAIN(tst_PlaylistParser)
#include "tst_PlaylistParser.moc"
