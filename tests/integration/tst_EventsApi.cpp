// Live events over WebSocket: /api/v1/events with the API token, /api/v1/public/events for
// public topics only, against the real studio with a real ffmpeg publisher.

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "FfTools.h"
#include "StudioProcess.h"
#include "WsClient.h"

using namespace stagecast::test;

namespace {

/// Reads frames until one on `topic` has data.event == `event` (and data.stream == `stream`).
QJsonObject waitForEvent(WsClient& ws, const QString& topic, const QString& event,
                         const QString& stream, int attempts = 60) {
    for (int i = 0; i < attempts; ++i) {
        auto text = ws.read(1000);
        if (!text) {
            if (ws.error() != "read timed out") {
                return {};
            }
            continue;
        }
        auto frame = QJsonDocument::fromJson(QByteArray::fromStdString(*text)).object();
        auto data = frame.value("data").toObject();
        if (frame.value("topic").toString() == topic && data.value("event").toString() == event &&
            data.value("stream").toString() == stream) {
            return frame;
        }
    }
    return {};
}

} // namespace

class tst_EventsApi : public QObject {
    Q_OBJECT

    StudioProcess studio;

    std::string tokenQuery() const {
        return "access_token=" + QUrl::toPercentEncoding(studio.apiToken()).toStdString();
    }

private slots:
    void initTestCase() { QVERIFY2(studio.start(), qPrintable(studio.error())); }

    void refusesWithoutToken() {
        WsClient ws;
        QVERIFY(!ws.connect(studio.httpPort(), "/api/v1/events"));
        QCOMPARE(ws.status(), 401u);
        WsClient wrong;
        QVERIFY(!wrong.connect(studio.httpPort(), "/api/v1/events?access_token=nope"));
        QCOMPARE(wrong.status(), 401u);
    }

    void unknownEndpointIs404() {
        WsClient ws;
        QVERIFY(!ws.connect(studio.httpPort(), "/api/v1/nothing?" + tokenQuery()));
        QCOMPARE(ws.status(), 404u);
    }

    void publicEndpointOnlyServesPublicTopics() {
        WsClient noTopics;
        QVERIFY(!noTopics.connect(studio.httpPort(), "/api/v1/public/events"));
        QCOMPARE(noTopics.status(), 400u);
        WsClient privateTopic;
        QVERIFY(!privateTopic.connect(studio.httpPort(), "/api/v1/public/events?topics=streams"));
        QCOMPARE(privateTopic.status(), 403u);
        WsClient ok;
        QVERIFY2(ok.connect(studio.httpPort(), "/api/v1/public/events?topics=public.chat.live/a"),
                 ok.error().c_str());
    }

    void publishAndUnpublishArriveInOrder() {
        WsClient ws;
        QVERIFY2(ws.connect(studio.httpPort(), "/api/v1/events?topics=streams&" + tokenQuery()),
                 ws.error().c_str());
        WsClient publicOnly; // must not see the private "streams" topic
        QVERIFY(publicOnly.connect(studio.httpPort(), "/api/v1/public/events?topics=public.x"));

        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/evt"));
        spec.seconds = 3;
        spec.size = "320x240";
        auto publisher = Ffmpeg::publish(spec);

        auto published = waitForEvent(ws, "streams", "published", "live/evt");
        QVERIFY2(!published.isEmpty(), ws.error().c_str());
        auto data = published.value("data").toObject();
        QCOMPARE(data.value("protocol").toString(), QString("rtmp"));
        QCOMPARE(data.value("address").toString(), QString("127.0.0.1"));
        QVERIFY(published.value("time").toString().endsWith('Z'));

        QVERIFY(finished(*publisher, 30000));
        QCOMPARE(publisher->exitCode(), 0);
        auto unpublished = waitForEvent(ws, "streams", "unpublished", "live/evt");
        QVERIFY2(!unpublished.isEmpty(), ws.error().c_str());

        QVERIFY(!publicOnly.read(500).has_value());
        QCOMPARE(QString::fromStdString(publicOnly.error()), QString("read timed out"));
    }

    void cleanupTestCase() { QCOMPARE(studio.stop(), 0); }
};

QTEST_MAIN(tst_EventsApi)
#include "tst_EventsApi.moc"
