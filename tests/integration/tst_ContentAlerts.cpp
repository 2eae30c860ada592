// Content alerts end to end: the content probes decode what ffmpeg publishes. A stream of
// black frames and digital silence (lavfi color=black + anullsrc) opens "black" and
// "silence" alerts; a testsrc2 + sine stream published beside it raises none; the black
// stream's alerts close with their duration when it ends. With content_probes off, the same
// black stream raises nothing (the probes are what measure it).

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "Alerts.h"
#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

bool isContentKind(const QString& kind) {
    return kind == "black" || kind == "silence" || kind == "frozen" || kind == "loudness_high";
}

} // namespace

class tst_ContentAlerts : public QObject {
    Q_OBJECT

    StudioProcess studio;
    QString token;
    std::unique_ptr<QProcess> blank;
    std::unique_ptr<QProcess> normal;

    QString api(const QString& path) const {
        return QString("http://127.0.0.1:%1%2").arg(studio.httpPort()).arg(path);
    }

    QJsonArray alerts(const QString& query) { return listAlerts(studio, query); }
    QJsonObject waitForAlert(const QString& query, const QString& kind, int timeoutMs) {
        return stagecast::test::waitForAlert(studio, query, kind, timeoutMs);
    }

    std::unique_ptr<QProcess> publish(StudioProcess& on, const QString& stream, bool black) {
        PublisherSpec spec;
        spec.url = on.sign(on.rtmpUrl(stream));
        spec.seconds = 120;
        spec.size = "320x240";
        spec.videoBitrate = "300k";
        if (black) {
            spec.videoSource = "color=c=black";
            spec.audioSource = "anullsrc=r=48000:cl=stereo";
        }
        return Ffmpeg::publish(spec);
    }

    static void stop(std::unique_ptr<QProcess>& p) {
        if (p) {
            p->kill();
            p->waitForFinished(5000);
            p.reset();
        }
    }

private slots:
    void initTestCase() {
        studio.setConfig("[monitor]\nsilence_seconds = 3\nblack_seconds = 3\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
    }

    void blackAndSilenceOpenAlerts() {
        blank = publish(studio, "live/blank", true);
        normal = publish(studio, "live/normal", false);
        QVERIFY2(studio.waitForLog("publishes live/blank", 15000), qPrintable(studio.log()));
        QVERIFY2(studio.waitForLog("publishes live/normal", 15000), qPrintable(studio.log()));

        const auto black = waitForAlert("state=open&stream=live/blank", "black", 30000);
        QVERIFY2(!black.isEmpty(), qPrintable(studio.log()));
        QCOMPARE(black.value("stream").toString(), QString("live/blank"));
        QVERIFY(black.value("closed_at").isNull());
        const auto silence = waitForAlert("state=open&stream=live/blank", "silence", 30000);
        QVERIFY2(!silence.isEmpty(), qPrintable(studio.log()));
        QVERIFY2(silence.value("details").toString().contains("silence"),
                 QJsonDocument(silence).toJson().constData());

        // Content alerts are also evidence in the moderation queue, with the stream position.
        QJsonArray items;
        for (int i = 0; i < 40 && items.size() < 2; ++i) {
            items =
                httpRequest("GET", api("/api/v1/moderation/items?kind=detector&stream=live/blank"),
                            token)
                    .json()
                    .value("items")
                    .toArray();
            QTest::qWait(250);
        }
        QVERIFY2(items.size() >= 2, QJsonDocument(items).toJson().constData());
        for (const auto& item : items) {
            QCOMPARE(item.toObject().value("state").toString(), QString("pending"));
            QVERIFY(item.toObject().value("media_time_ms").toInteger() > 0);
        }
    }

    void normalStreamRaisesNone() {
        // By now the normal stream has been probed for as long as the black one needed to
        // open both alerts, and a few seconds more.
        QTest::qWait(4000);
        const auto all = alerts("state=all&stream=live/normal");
        QVERIFY2(all.isEmpty(), QJsonDocument(all).toJson().constData());
    }

    void alertsCloseWhenTheStreamEnds() {
        stop(blank);
        QVERIFY2(studio.waitForLog(" closed: ", 10000), qPrintable(studio.log()));
        for (const auto* kind : {"black", "silence"}) {
            const auto closed = waitForAlert("state=closed&stream=live/blank", kind, 15000);
            QVERIFY2(!closed.isEmpty(), kind);
            QVERIFY(!closed.value("closed_at").isNull());
            QVERIFY2(closed.value("duration_s").toDouble() > 0,
                     QJsonDocument(closed).toJson().constData());
        }
        for (const auto& a : alerts("state=open")) {
            QVERIFY2(!isContentKind(a.toObject().value("kind").toString()),
                     QJsonDocument(a.toObject()).toJson().constData());
        }
        stop(normal);
    }

    void probesOffMeasureNothing() {
        StudioProcess off;
        off.setConfig(
            "[monitor]\nsilence_seconds = 3\nblack_seconds = 3\ncontent_probes = false\n");
        QVERIFY2(off.start(), qPrintable(off.error()));
        auto p = publish(off, "live/blank", true);
        QVERIFY2(off.waitForLog("publishes live/blank", 15000), qPrintable(off.log()));
        QTest::qWait(8000);
        auto reply = httpRequest(
            "GET", QString("http://127.0.0.1:%1/api/v1/alerts?state=all").arg(off.httpPort()),
            off.apiToken());
        QCOMPARE(reply.status, 200);
        const auto all = reply.json().value("alerts").toArray();
        QVERIFY2(all.isEmpty(), QJsonDocument(all).toJson().constData());
        stop(p);
        QCOMPARE(off.stop(), 0);
    }

    void cleanupTestCase() {
        stop(blank);
        stop(normal);
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ContentAlerts)
#include "tst_ContentAlerts.moc"
