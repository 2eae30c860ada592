// Tests for WebhookDispatcher against a real HTTP receiver on loopback (tests/support):
// post() adds the common fields, events go only where they are routed, the queue bound drops
// the oldest deliveries and counts them, and an on_publish check reads the receiver's verdict.

#include <QtTest>

#include <future>

#include <nlohmann/json.hpp>

#include "WebhookReceiver.h"
#include "server/webhook/WebhookDispatcher.h"

using namespace stagecast::server::webhook;
using stagecast::test::ReceivedRequest;
using stagecast::test::ReceiverAnswer;
using stagecast::test::WebhookReceiver;
using namespace std::chrono_literals;

namespace {

PublishAnswer check(WebhookDispatcher& d, const std::string& stream) {
    std::promise<PublishAnswer> verdict;
    auto future = verdict.get_future();
    d.checkPublish(ClientFields{7, "127.0.0.1", "live", stream, "?a=1", {}, "rtmp"},
                   [&verdict](PublishAnswer a) { verdict.set_value(std::move(a)); });
    if (future.wait_for(10s) != std::future_status::ready) {
        return {false, "no verdict"};
    }
    return future.get();
}

} // namespace

class tst_WebhookDispatcher : public QObject {
    Q_OBJECT

private slots:
    void postAddsCommonFieldsAndRoutes() {
        WebhookReceiver receiver;
        QVERIFY(receiver.start());
        WebhookOptions o;
        o.url = receiver.url("/all").toStdString();
        o.events = {"on_publish", "on_stop"};
        o.eventUrls["on_play"] = receiver.url("/play").toStdString();
        o.secret = "k";
        WebhookDispatcher d(o);
        QVERIFY(d.start());
        d.post("on_stop", nlohmann::json{{"stream", "cam"}, {"action", "forged"}});
        d.post("on_play", nlohmann::json{{"stream", "cam"}});
        d.post("on_unpublish", nlohmann::json{{"stream", "cam"}}); // not routed anywhere
        d.post("on_record", nlohmann::json{{"stream", "cam"}});    // nor is an unknown action
        QCOMPARE(receiver.waitFor("on_stop", "cam", 1, 10000).size(), 1);
        QCOMPARE(receiver.waitFor("on_play", "cam", 1, 10000).size(), 1);
        d.stop();
        const auto stop = receiver.requestsFor("on_stop", "cam")[0];
        QCOMPARE(stop.path, QString("/all"));
        QCOMPARE(stop.json().value("server_id").toString(), QString::fromStdString(d.serverId()));
        QVERIFY(stop.json().contains("time"));
        QCOMPARE(receiver.requestsFor("on_play", "cam")[0].path, QString("/play"));
        QCOMPARE(receiver.requests().size(), 2);
        QCOMPARE(d.counters().delivered, std::uint64_t(2));
    }

    void queueBoundDropsOldest() {
        WebhookReceiver receiver;
        receiver.setResponder([](const ReceivedRequest&) { return ReceiverAnswer{0, {}}; });
        QVERIFY(receiver.start());
        WebhookOptions o;
        o.url = receiver.url("/hang").toStdString();
        o.timeout = 5000ms;
        o.retries = 0;
        o.queueLimit = 3;
        o.maxInFlight = 1;
        WebhookDispatcher d(o);
        QVERIFY(d.start());
        d.post("on_stop", nlohmann::json{{"stream", "s0"}});
        QCOMPARE(receiver.waitFor("on_stop", "s0", 1, 10000).size(), 1); // hangs in flight
        for (int i = 1; i < 10; ++i) {
            d.post("on_stop", nlohmann::json{{"stream", "s" + std::to_string(i)}});
        }
        // Three wait (s7..s9); s1..s6 were pushed out, oldest first.
        auto c = d.counters();
        QCOMPARE(c.queued, std::uint64_t(3));
        QCOMPARE(c.dropped, std::uint64_t(6));
        d.stop(0ms);
        QCOMPARE(d.counters().dropped, std::uint64_t(10)); // plus 3 waiting and 1 in flight
        QCOMPARE(receiver.requests().size(), 1);
        QCOMPARE(receiver.requests()[0].json().value("stream").toString(), QString("s0"));
    }

    void publishCheckVerdicts() {
        WebhookReceiver receiver;
        receiver.setResponder([](const ReceivedRequest& r) -> ReceiverAnswer {
            const auto stream = r.json().value("stream").toString();
            if (stream == "no") {
                return {200, "{\"code\":403}"};
            }
            if (stream == "broken") {
                return {503, "0"};
            }
            return {200, "0"};
        });
        QVERIFY(receiver.start());
        WebhookOptions o;
        o.eventUrls["on_publish"] = receiver.url("/gate").toStdString();
        WebhookDispatcher d(o);
        QVERIFY(d.start());
        QVERIFY(d.checksPublish());
        auto yes = check(d, "yes");
        QVERIFY(yes.allowed);
        QCOMPARE(yes.reason, std::string());
        auto no = check(d, "no");
        QVERIFY(!no.allowed);
        QCOMPARE(no.reason, std::string("answered code 403"));
        auto broken = check(d, "broken");
        QVERIFY(!broken.allowed);
        QCOMPARE(broken.reason, std::string("failed: HTTP 503"));
        const auto asked = receiver.requestsFor("on_publish", "yes");
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked[0].json().value("param").toString(), QString("?a=1"));
        QCOMPARE(asked[0].json().value("client_id").toString(), QString("7"));
        const auto c = d.counters();
        QCOMPARE(c.publishAllowed, std::uint64_t(1));
        QCOMPARE(c.publishRefused, std::uint64_t(2));
        QCOMPARE(c.publishErrors, std::uint64_t(1));
        d.stop();
    }

    void badUrlNamesTheKey() {
        WebhookOptions o;
        o.eventUrls["on_relay"] = "ftp://cdn.example/hook";
        WebhookDispatcher d(o);
        auto started = d.start();
        QVERIFY(!started);
        QVERIFY2(started.error().message().starts_with("webhooks.on_relay: webhook URL "
                                                       "'ftp://cdn.example/hook' must start"),
                 started.error().message().c_str());
    }

    void unreadableCaFileNamesTheKey() {
        WebhookOptions o;
        o.url = "https://hooks.example/x";
        o.caFile = "/nonexistent/ca.pem";
        WebhookDispatcher d(o);
        auto started = d.start();
        QVERIFY(!started);
        QVERIFY2(started.error().message().starts_with(
                     "webhooks.ca_file: cannot load '/nonexistent/ca.pem'"),
                 started.error().message().c_str());
    }
};

QTEST_GUILESS_MAIN(tst_WebhookDispatcher)
#include "tst_WebhookDispatcher.moc"
