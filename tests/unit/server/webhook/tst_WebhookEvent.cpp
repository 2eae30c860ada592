// Tests for webhook bodies: the SRS-compatible field set of each event, auth_key redaction in
// param and tcUrl, which hub events are webhooks, and the RFC 3339 time.

#include <QtTest>

#include <set>

#include <nlohmann/json.hpp>

#include "server/UrlParts.h"
#include "server/webhook/WebhookEvent.h"

using namespace stagecast;
using namespace stagecast::server::webhook;
using stream::HubEvent;
using stream::HubEventType;

namespace {

// 2024-05-01T12:00:00.123Z
const auto kTime = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714564800123));

HubEvent hubEvent(HubEventType type, std::string protocol = "rtmp", std::string reason = {}) {
    return HubEvent(type, kTime, "live/cam", 42, std::move(protocol), "10.0.0.7", std::move(reason),
                    "?user=alice&auth_key=1700000000-0-0-abcdef",
                    "rtmp://studio:1935/live?auth_key=xyz");
}

std::set<std::string> keysOf(const nlohmann::json& body) {
    std::set<std::string> keys;
    for (const auto& [key, value] : body.items()) {
        keys.insert(key);
    }
    return keys;
}

const std::set<std::string> kClientKeys = {"action", "server_id", "time",       "client_id",
                                           "ip",     "vhost",     "app",        "stream",
                                           "param",  "tcUrl",     "stream_url", "protocol"};

} // namespace

class tst_WebhookEvent : public QObject {
    Q_OBJECT

private slots:
    void publishFields() {
        auto body = bodyForHubEvent(hubEvent(HubEventType::Published), "stagecast-1");
        QVERIFY(body);
        QCOMPARE(body->action, std::string("on_publish"));
        const auto& b = body->body;
        QVERIFY(keysOf(b) == kClientKeys);
        QCOMPARE(b["action"], "on_publish");
        QCOMPARE(b["server_id"], "stagecast-1");
        QCOMPARE(b["time"], "2024-05-01T12:00:00.123Z");
        QCOMPARE(b["client_id"], "42"); // a string, as SRS sends it
        QCOMPARE(b["ip"], "10.0.0.7");
        QCOMPARE(b["vhost"], "__defaultVhost__");
        QCOMPARE(b["app"], "live");
        QCOMPARE(b["stream"], "cam");
        QCOMPARE(b["param"], "?user=alice&auth_key=redacted");
        QCOMPARE(b["tcUrl"], "rtmp://studio:1935/live?auth_key=redacted");
        QCOMPARE(b["stream_url"], "/live/cam");
        QCOMPARE(b["protocol"], "rtmp");
    }

    void stopsCarryReason() {
        auto unpublish = bodyForHubEvent(hubEvent(HubEventType::Unpublished), "s");
        QCOMPARE(unpublish->action, std::string("on_unpublish"));
        auto expected = kClientKeys;
        expected.insert("reason");
        QVERIFY(keysOf(unpublish->body) == expected);

        auto stop =
            bodyForHubEvent(hubEvent(HubEventType::ClientLeft, "http-flv", "client closed"), "s");
        QCOMPARE(stop->action, std::string("on_stop"));
        QVERIFY(keysOf(stop->body) == expected);
        QCOMPARE(stop->body["reason"], "client closed");
        QCOMPARE(stop->body["protocol"], "http-flv");

        auto play = bodyForHubEvent(hubEvent(HubEventType::ClientJoined, "http-flv"), "s");
        QCOMPARE(play->action, std::string("on_play"));
        QVERIFY(keysOf(play->body) == kClientKeys);
    }

    void relayEvent() {
        HubEvent e(HubEventType::RelayStateChanged, kTime, "live/program", 0, "rtmp-relay",
                   "rtmp://cdn.example/app/key?…", "backoff: connection refused");
        auto body = bodyForHubEvent(e, "s");
        QVERIFY(body);
        QCOMPARE(body->action, std::string("on_relay"));
        const auto& b = body->body;
        QVERIFY(keysOf(b) == (std::set<std::string>{"action", "server_id", "time", "vhost", "app",
                                                    "stream", "stream_url", "destination", "state",
                                                    "reason", "protocol"}));
        QCOMPARE(b["app"], "live");
        QCOMPARE(b["stream"], "program");
        QCOMPARE(b["state"], "backoff");
        QCOMPARE(b["reason"], "backoff: connection refused");
    }

    void notWebhooks() {
        QVERIFY(!bodyForHubEvent(hubEvent(HubEventType::AuthDenied), "s"));
        QVERIFY(!bodyForHubEvent(hubEvent(HubEventType::ReaderSkipped), "s"));
        QVERIFY(!bodyForHubEvent(hubEvent(HubEventType::ReaderDropped), "s"));
        // Readers inside the server (client id 0: relays, HLS packagers, content probes) read
        // the hub like players but are none; a relay reports as on_relay instead.
        for (const char* protocol : {"rtmp-relay", "srt-relay", "hls-packager", "probe"}) {
            for (auto type : {HubEventType::ClientJoined, HubEventType::ClientLeft}) {
                auto e = hubEvent(type, protocol);
                e.clientId = 0;
                QVERIFY2(!bodyForHubEvent(e, "s"), protocol);
            }
        }
        // The same events from a client are on_play/on_stop.
        QVERIFY(bodyForHubEvent(hubEvent(HubEventType::ClientJoined, "hls"), "s"));
    }

    void redaction_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("param");
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("only question mark") << "?"
                                            << "";
        QTest::newRow("no secret") << "user=a&b=2"
                                   << "?user=a&b=2";
        QTest::newRow("with question mark") << "?auth_key=1-2-3-4"
                                            << "?auth_key=redacted";
        QTest::newRow("middle") << "a=1&auth_key=x&b=2"
                                << "?a=1&auth_key=redacted&b=2";
        QTest::newRow("twice") << "auth_key=x&auth_key=y"
                               << "?auth_key=redacted&auth_key=redacted";
        QTest::newRow("no value") << "auth_key"
                                  << "?auth_key=redacted";
        QTest::newRow("similar names kept") << "my_auth_key=x&auth_keys=y"
                                            << "?my_auth_key=x&auth_keys=y";
        QTest::newRow("empty pairs kept") << "a=1&&b"
                                          << "?a=1&&b";
        QTest::newRow("already redacted") << "?auth_key=redacted"
                                          << "?auth_key=redacted";
    }

    void redaction() {
        QFETCH(QString, query);
        QFETCH(QString, param);
        QCOMPARE(QString::fromStdString(server::redactedParam(query.toStdString())), param);
    }

    void invalidUtf8StaysSerialisable() {
        ClientFields c{1, "::1", "live", "cam", "?n=\xff\xfe", {}, "rtmp"};
        auto body = clientEventBody("on_play", "s", kTime, c);
        auto text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        QVERIFY(text.find("\"param\"") != std::string::npos);
    }

    void rfc3339Times() {
        using namespace std::chrono;
        QCOMPARE(rfc3339(system_clock::time_point{}), std::string("1970-01-01T00:00:00.000Z"));
        QCOMPARE(rfc3339(kTime), std::string("2024-05-01T12:00:00.123Z"));
        QCOMPARE(rfc3339(system_clock::time_point(milliseconds(-1))),
                 std::string("1969-12-31T23:59:59.999Z"));
    }
};

QTEST_APPLESS_MAIN(tst_WebhookEvent)
#include "tst_WebhookEvent.moc"
