// The playlist reload fast path: a rendered playlist template with the viewer's session
// spliced into every URI, the per-connection cache that reuses that text until the window or
// the session changes, and the prebuilt 200 header block that a real HTTP parser must read
// with the same fields HttpSession::respond() sends.

#include <QTest>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/hls/PlaylistSplice.h"
#include "server/http/ResponseHead.h"

using namespace stagecast::server::hls;
using namespace stagecast::server::http;
namespace bhttp = boost::beast::http;

namespace {

std::string withMarkers(std::string text) {
    for (auto& c : text) {
        if (c == '@') {
            c = PlaylistTemplate::kMarker;
        }
    }
    return text;
}

// Parses `head` + `body` as an HTTP response; fails the test on a parse error.
bhttp::response<bhttp::string_body> parse(const std::string& wire) {
    bhttp::response_parser<bhttp::string_body> parser;
    boost::system::error_code ec;
    std::size_t at = 0;
    while (!ec && !parser.is_done() && at < wire.size()) {
        const auto used = parser.put(boost::asio::buffer(wire.data() + at, wire.size() - at), ec);
        if (used == 0 && !ec) {
            break;
        }
        at += used;
    }
    if (ec || !parser.is_done() || at != wire.size()) {
        QTest::qFail(("response does not parse to its end: " + ec.message()).c_str(), __FILE__,
                     __LINE__);
    }
    return parser.release();
}

} // namespace

class tst_PlaylistSplice : public QObject {
    Q_OBJECT
private slots:
    void splicesEverySuffix() {
        PlaylistTemplate t(withMarkers("#EXTM3U\n#EXTINF:2.0,\ns/1.ts@\n#EXTINF:2.0,\ns/2.ts@\n"));
        QCOMPARE(t.markers(), std::size_t(2));
        QCOMPARE(t.splice("?hls_session=ab"),
                 std::string("#EXTM3U\n#EXTINF:2.0,\ns/1.ts?hls_session=ab\n#EXTINF:2.0,\n"
                             "s/2.ts?hls_session=ab\n"));
        QCOMPARE(t.splice(""),
                 std::string("#EXTM3U\n#EXTINF:2.0,\ns/1.ts\n#EXTINF:2.0,\ns/2.ts\n"));
    }

    void noMarkerIsTheTextItself() {
        PlaylistTemplate t("#EXTM3U\n#EXT-X-ENDLIST\n");
        QCOMPARE(t.markers(), std::size_t(0));
        QCOMPARE(t.splice("?x=1"), std::string("#EXTM3U\n#EXT-X-ENDLIST\n"));
    }

    void cacheReusesUntilWindowOrSessionChanges() {
        SplicedPlaylistCache cache;
        QVERIFY(cache.get(nullptr, "?s=1") == nullptr);
        auto first = std::make_shared<const PlaylistTemplate>(withMarkers("a/1.ts@\n"));
        auto a = cache.get(first, "?s=1");
        QVERIFY(a);
        QCOMPARE(*a, std::string("a/1.ts?s=1\n"));
        QVERIFY(cache.get(first, "?s=1") == a); // a reload in the same window: the same text
        QCOMPARE(cache.splices(), std::uint64_t(1));

        auto other = cache.get(first, "?s=2"); // another session on the connection
        QCOMPARE(*other, std::string("a/1.ts?s=2\n"));
        QCOMPARE(*a, std::string("a/1.ts?s=1\n")); // a text handed out never changes

        // A new window is a new template, even with the same text.
        auto second = std::make_shared<const PlaylistTemplate>(withMarkers("a/1.ts@\na/2.ts@\n"));
        auto b = cache.get(second, "?s=2");
        QCOMPARE(*b, std::string("a/1.ts?s=2\na/2.ts?s=2\n"));
        QCOMPARE(cache.splices(), std::uint64_t(3));
        auto same = std::make_shared<const PlaylistTemplate>(withMarkers("a/1.ts@\na/2.ts@\n"));
        QVERIFY(cache.get(same, "?s=2") != b);
        QCOMPARE(cache.splices(), std::uint64_t(4));
    }

    void headParsesWithTheFieldsOfRespond() {
        std::string head;
        const std::string body = "#EXTM3U\n";
        writeOkHead(head, {"1.2.3", "*", true, "application/vnd.apple.mpegurl", "no-cache",
                           body.size(), true});
        auto r = parse(head + body);
        QCOMPARE(r.result_int(), 200u);
        QCOMPARE(r.version(), 11u);
        QVERIFY(r.keep_alive());
        QCOMPARE(std::string(r[bhttp::field::server]), std::string("Stagecast/1.2.3"));
        QCOMPARE(std::string(r[bhttp::field::access_control_allow_origin]), std::string("*"));
        QCOMPARE(std::string(r[bhttp::field::access_control_allow_methods]),
                 std::string("GET, HEAD, DELETE, POST, OPTIONS"));
        QCOMPARE(std::string(r[bhttp::field::access_control_allow_headers]),
                 std::string("Authorization, Content-Type, Range"));
        QCOMPARE(std::string(r[bhttp::field::content_type]),
                 std::string("application/vnd.apple.mpegurl"));
        QCOMPARE(std::string(r[bhttp::field::cache_control]), std::string("no-cache"));
        QCOMPARE(r.body(), body);
    }

    void headClosesAndReusesItsBuffer() {
        std::string head;
        writeOkHead(head, {"1", "https://a.example", false, "video/mp2t",
                           "public, max-age=3600, immutable", 654616, true});
        const auto* storage = head.data();
        writeOkHead(head, {"1", "https://a.example", false, "video/mp2t",
                           "public, max-age=3600, immutable", 3, false});
        QCOMPARE(static_cast<const void*>(head.data()), static_cast<const void*>(storage));
        auto r = parse(head + "abc");
        QVERIFY(!r.keep_alive());
        QCOMPARE(r.body(), std::string("abc"));
        QCOMPARE(std::string(r[bhttp::field::content_length]), std::string("3"));
        QVERIFY(r.find(bhttp::field::access_control_allow_methods) == r.end());
        QCOMPARE(std::string(r[bhttp::field::access_control_allow_origin]),
                 std::string("https://a.example"));
    }
};

QTEST_APPLESS_MAIN(tst_PlaylistSplice)
#include "tst_PlaylistSplice.moc"
