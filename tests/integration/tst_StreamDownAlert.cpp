// Alerts end to end: a normal testsrc2 + sine stream raises none; pulling the publisher for
// longer than monitor.stream_down_seconds (2 s here) opens a "stream_down" alert that the API
// lists as open; publishing again closes it with its duration. The health API has the
// stream's samples.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "Alerts.h"
#include "FfTools.h"
#include "Http.h"
#include "Prometheus.h"
#include "StudioProcess.h"

using namespace stagecast::test;

class tst_StreamDownAlert : public QObject {
    Q_OBJECT

    StudioProcess studio;
    QString token;
    std::unique_ptr<QProcess> publisher;

    QString api(const QString& path) const {
        return QString("http://127.0.0.1:%1%2").arg(studio.httpPort()).arg(path);
    }

    QJsonArray alerts(const QString& query) { return listAlerts(studio, query); }
    QJsonObject waitForAlert(const QString& query, const QString& kind, int timeoutMs) {
        return stagecast::test::waitForAlert(studio, query, kind, timeoutMs);
    }

    void publish(int seconds) {
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/down"));
        spec.seconds = seconds;
        spec.size = "320x240";
        spec.videoBitrate = "500k";
        publisher = Ffmpeg::publish(spec);
    }

private slots:
    void initTestCase() {
        studio.setConfig("[monitor]\nstream_down_seconds = 2\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
    }

    void normalStreamRaisesNoAlert() {
        publish(120);
        QVERIFY2(studio.waitForLog("publishes live/down", 15000), qPrintable(studio.log()));
        // Long enough for every rule to judge it: 5 s warm-up, then 10 samples of history.
        QTest::qWait(18000);
        const auto all = alerts("state=all");
        QVERIFY2(all.isEmpty(), QJsonDocument(all).toJson().constData());
        QVERIFY2(!studio.log().contains("alert "), qPrintable(studio.log()));

        // Meanwhile the health API has the stream's samples and live values.
        auto reply = httpRequest("GET", api("/api/v1/streams/live/down/health?points=10"), token);
        QCOMPARE(reply.status, 200);
        const auto health = reply.json();
        const auto points = health.value("points").toArray();
        QVERIFY2(!points.isEmpty() && points.size() <= 10, reply.body.constData());
        const auto last = points.last().toObject();
        QVERIFY(last.value("video_kbps").toObject().value("avg").toDouble() > 100);
        QVERIFY(last.value("fps").toObject().value("max").toDouble() > 20);
        const auto live = health.value("live").toObject();
        QCOMPARE(live.value("video").toObject().value("codec").toString(), QString("h264"));
        QCOMPARE(live.value("stalled").toBool(), false);
    }

    void pulledPublisherOpensStreamDown() {
        publisher->kill(); // the encoder dies: no clean unpublish
        publisher->waitForFinished(5000);
        QVERIFY2(studio.waitForLog(" closed: ", 10000), qPrintable(studio.log()));
        const auto open = waitForAlert("state=open", "stream_down", 15000);
        QVERIFY2(!open.isEmpty(), qPrintable(studio.log()));
        QCOMPARE(open.value("stream").toString(), QString("live/down"));
        QCOMPARE(open.value("state").toString(), QString("open"));
        QCOMPARE(open.value("severity").toString(), QString("critical"));
        QVERIFY(open.value("closed_at").isNull());
        // Still open a few seconds later, and only once.
        QTest::qWait(3000);
        int count = 0;
        for (const auto& a : alerts("state=all&stream=live/down")) {
            count += a.toObject().value("kind").toString() == "stream_down" ? 1 : 0;
        }
        QCOMPARE(count, 1);
        auto metrics = httpRequest("GET", api("/metrics"), token);
        QVERIFY(QString::fromUtf8(metrics.body).contains("stagecast_alerts_open 1\n"));
        QCOMPARE(prometheusProblem(QString::fromUtf8(metrics.body)), QString());
    }

    void republishClosesItWithDuration() {
        publish(60);
        QVERIFY2(studio.waitForLog("publishes live/down", 15000), qPrintable(studio.log()));
        const auto closed = waitForAlert("state=closed&stream=live/down", "stream_down", 15000);
        QVERIFY2(!closed.isEmpty(), qPrintable(studio.log()));
        QVERIFY(!closed.value("closed_at").isNull());
        // Open from 2 s after the drop until the return: at least the 3 s waited above.
        QVERIFY2(closed.value("duration_s").toDouble() >= 3.0,
                 QJsonDocument(closed).toJson().constData());
        QVERIFY(alerts("state=open").isEmpty());
        auto metrics = httpRequest("GET", api("/metrics"), token);
        QVERIFY(QString::fromUtf8(metrics.body).contains("stagecast_alerts_open 0\n"));
    }

    void badParametersAreRefused() {
        auto reply = httpRequest("GET", api("/api/v1/alerts?state=maybe"), token);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.json().value("error").toString(),
                 QString("state: 'maybe' is not one of open, closed, all"));
        reply = httpRequest("GET", api("/api/v1/alerts?from=yesterday"), token);
        QCOMPARE(reply.status, 400);
        QVERIFY(
            reply.json().value("error").toString().startsWith("from: 'yesterday' is not a time"));
    }

    void cleanupTestCase() {
        if (publisher) {
            publisher->kill();
            publisher->waitForFinished(5000);
        }
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_StreamDownAlert)
#include "tst_StreamDownAlert.moc"
