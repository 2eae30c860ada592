// Route matching for mounted API handlers and topic filtering of the event bus.

#include <QTest>

#include <nlohmann/json.hpp>

#include "server/api/ApiMount.h"
#include "server/api/EventBus.h"

using namespace stagecast::server::api;

namespace {

std::vector<std::string> segs(std::string_view path) {
    return splitSegments(path).value();
}

} // namespace

class tst_ApiMount : public QObject {
    Q_OBJECT
private slots:
    void splitDecodesAndDropsEmptySegments() {
        auto s = splitSegments("/api/v1/streams/live/my%20show/");
        QVERIFY(s.has_value());
        QCOMPARE(s->size(), std::size_t(5));
        QCOMPARE(s->at(4), std::string("my show"));
        // An encoded slash stays inside its segment: it never creates a new path level.
        auto slash = splitSegments("/a/b%2Fc");
        QCOMPARE(slash->size(), std::size_t(2));
        QCOMPARE(slash->at(1), std::string("b/c"));
    }

    void splitRejectsBrokenEscapes() {
        QVERIFY(!splitSegments("/a/%4").has_value());
        QVERIFY(!splitSegments("/a/%zz").has_value());
        QVERIFY(!splitSegments("/a/%").has_value());
    }

    void literalAndWildcardMatching() {
        QVERIFY(matchScore("/api/v1/alerts", segs("/api/v1/alerts")).has_value());
        QVERIFY(!matchScore("/api/v1/alerts", segs("/api/v1/alerts/7")).has_value());
        QVERIFY(!matchScore("/api/v1/alerts", segs("/api/v1")).has_value());
        QVERIFY(matchScore("/api/v1/streams/*/*/health", segs("/api/v1/streams/live/a/health")));
        QVERIFY(!matchScore("/api/v1/streams/*/*/health", segs("/api/v1/streams/live/health")));
        QVERIFY(matchScore("/api/v1/public/**", segs("/api/v1/public")).has_value());
        QVERIFY(matchScore("/api/v1/public/**", segs("/api/v1/public/chat/live/a")).has_value());
        QVERIFY(!matchScore("/api/v1/public/**", segs("/api/v1/alerts")).has_value());
    }

    void scoresCountLiteralsAndWildcards() {
        QCOMPARE(matchScore("/api/v1/alerts", segs("/api/v1/alerts")).value_or(-1), 14);
        QCOMPARE(matchScore("/api/v1/streams/*/*", segs("/api/v1/streams/a/b")).value_or(-1), 16);
        QCOMPARE(matchScore("/api/v1/public/**", segs("/api/v1/public/x/y")).value_or(-1), 12);
        // Empty parts (doubled or trailing slashes) are skipped as in the request path.
        QCOMPARE(matchScore("//api/v1//alerts/", segs("/api/v1/alerts")).value_or(-1), 14);
        QCOMPARE(matchScore("/api/v1/public/**/", segs("/api/v1/public/x")).value_or(-1), 12);
        // '**' before the end is a literal segment.
        QVERIFY(matchScore("/a/**/b", segs("/a/**/b")).has_value());
        QVERIFY(!matchScore("/a/**/b", segs("/a/x/b")).has_value());
        QVERIFY(!matchScore("/live/*", segs("/live/a.m3u8/x")).has_value());
    }

    void moreSpecificPatternWins() {
        auto exact =
            matchScore("/api/v1/moderation/items/export", segs("/api/v1/moderation/items/export"));
        auto wild =
            matchScore("/api/v1/moderation/items/*", segs("/api/v1/moderation/items/export"));
        auto rest = matchScore("/api/v1/moderation/**", segs("/api/v1/moderation/items/export"));
        QVERIFY(exact && wild && rest);
        QVERIFY(*exact > *wild);
        QVERIFY(*wild > *rest);
    }

    void busFiltersTopics() {
        QVERIFY(EventBus::matches({"*"}, "streams"));
        QVERIFY(!EventBus::matches({"*"}, "public.chat.live/a"));
        QVERIFY(EventBus::matches({"moderation"}, "moderation.item"));
        QVERIFY(!EventBus::matches({"moderation"}, "moderationx"));
        QVERIFY(!EventBus::matches({"alerts"}, "streams"));
        QVERIFY(EventBus::matches({"public.chat.live/a"}, "public.chat.live/a"));
        QVERIFY(!EventBus::matches({"public.chat.live/a"}, "public.chat.live/b"));
    }

    void busDeliversFramesToMatchingSubscribers() {
        EventBus bus;
        std::vector<std::string> alerts;
        std::vector<std::string> everything;
        auto a = bus.subscribe({"alerts"}, [&](const EventFrame& f) { alerts.push_back(*f); });
        bus.subscribe({"*"}, [&](const EventFrame& f) { everything.push_back(*f); });
        bus.publish("alerts", "{\"rule\":\"stream_down\"}");
        bus.publish("streams", "{\"event\":\"published\"}");
        QCOMPARE(alerts.size(), std::size_t(1));
        QCOMPARE(everything.size(), std::size_t(2));
        auto frame = nlohmann::json::parse(alerts[0]);
        QCOMPARE(frame["topic"].get<std::string>(), std::string("alerts"));
        QCOMPARE(frame["data"]["rule"].get<std::string>(), std::string("stream_down"));
        auto time = frame["time"].get<std::string>();
        QVERIFY2(time.size() == 24 && time.back() == 'Z', time.c_str()); // ISO 8601 with ms
        bus.unsubscribe(a);
        bus.publish("alerts", "{}");
        QCOMPARE(alerts.size(), std::size_t(1));
        QCOMPARE(bus.subscribers(), std::size_t(1));
        QCOMPARE(bus.published(), std::uint64_t(3));
    }
};

QTEST_APPLESS_MAIN(tst_ApiMount)
#include "tst_ApiMount.moc"
