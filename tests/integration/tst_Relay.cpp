// A hub stream relayed to nginx with Debian's RTMP module (a real external origin) is
// readable there; stopping nginx and starting it again makes the relay reconnect, data flows
// again, and the API shows the reconnect.

#include <QJsonArray>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "NginxRtmp.h"
#include "RelayApi.h"
#include "StudioProcess.h"

using namespace stagecast::test;

class tst_Relay : public QObject {
    Q_OBJECT

    NginxRtmp nginx;
    StudioProcess studio;
    std::unique_ptr<QProcess> publisher;
    QString token;

    QJsonObject relay() { return relayStatus(studio, 0); }
    bool waitForState(const QString& state, int timeoutMs) {
        return waitForRelayState(studio, 0, state, timeoutMs);
    }

    void checkReadableAtOrigin() {
        QString err;
        auto probe = Ffmpeg::probe(nginx.url("live/relayed"), &err);
        QCOMPARE(probe.value("streams").toArray().size(), 2);
        // nginx-rtmp has no GOP cache: a new player waits up to a GOP (2 s) for a keyframe.
        auto decoded = Ffmpeg::decode(nginx.url("live/relayed"), 6);
        QVERIFY2(decoded.videoFrames >= 90, qPrintable(decoded.log.right(1500)));
        QCOMPARE(decoded.decodeErrors, 0);
    }

private slots:
    void initTestCase() {
        QVERIFY2(nginx.start(), qPrintable(nginx.error()));
        studio.setConfig(
            QString("[[relay]]\nstream = \"live/program\"\nurl = \"%1?token=secret\"\n")
                .arg(nginx.url("live/relayed")));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/program"));
        spec.size = "320x240";
        spec.seconds = 180;
        publisher = Ffmpeg::publish(spec);
        QVERIFY(studio.waitForLog("publishes live/program", 15000));
    }

    void relayedStreamPlaysAtTheOrigin() {
        QVERIFY2(waitForState("publishing", 15000), qPrintable(studio.log().right(2000)));
        auto r = relay();
        QVERIFY(r.value("url").toString().endsWith("live/relayed?…")); // the key is not shown
        checkReadableAtOrigin();
        r = relay();
        QVERIFY(r.value("bytes_sent").toInteger() > 50000);
        QVERIFY(r.value("bitrate_kbps").toDouble() > 10);
    }

    void reconnectsWhenTheOriginComesBack() {
        auto before = relay().value("reconnects").toInt();
        nginx.stop();
        QVERIFY2(waitForState("backoff", 15000), qPrintable(studio.log().right(2000)));
        QVERIFY(!relay().value("last_error").toString().isEmpty());
        QVERIFY2(nginx.start(), qPrintable(nginx.error()));
        QVERIFY2(waitForState("publishing", 45000), qPrintable(studio.log().right(2000)));
        QVERIFY(relay().value("reconnects").toInt() > before);
        QVERIFY(studio.log().contains("-> rtmp://127.0.0.1:"));
        checkReadableAtOrigin();
    }

    void metricsShowTheRelay() {
        auto r = httpRequest("GET", QString("http://127.0.0.1:%1/metrics").arg(studio.httpPort()),
                             token);
        auto text = QString::fromUtf8(r.body);
        QVERIFY(text.contains("stagecast_relay_up{relay=\"0\",stream=\"live/program\"} 1"));
        QVERIFY(text.contains("stagecast_relay_reconnects_total{relay=\"0\""));
    }

    void cleanupTestCase() {
        publisher->kill();
        publisher->waitForFinished();
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Relay)
#include "tst_Relay.moc"
