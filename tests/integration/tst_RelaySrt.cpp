// SRT relays: one studio pushes a hub stream over SRT (signed stream id, passphrase) to a
// second studio's SRT listener, where it plays over HTTP-FLV; a destination that refuses the
// signature leaves the relay in backoff with the listener's reason in the API.

#include <QJsonArray>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "RelayApi.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {
const QString kPassphrase = "relay-passphrase-42";
}

class tst_RelaySrt : public QObject {
    Q_OBJECT

    StudioProcess origin; // the SRT destination
    StudioProcess studio; // relays live/src to the origin
    std::unique_ptr<QProcess> publisher;

    QJsonObject relay(int index) { return relayStatus(studio, index); }
    bool waitFor(int index, const QString& state, int timeoutMs) {
        return waitForRelayState(studio, index, state, timeoutMs);
    }

private slots:
    void initTestCase() {
        origin.setConfig("[srt]\npassphrase = \"" + kPassphrase + "\"\n");
        QVERIFY2(origin.start(), qPrintable(origin.error()));
        auto base = QString("srt://127.0.0.1:%1?streamid=#!::r=%2,m=publish");
        auto good = origin.sign(base.arg(origin.srtPort()).arg("live/relayed")) +
                    "&passphrase=" + kPassphrase;
        auto forged =
            base.arg(origin.srtPort()).arg("live/forged") +
            ",auth_key=1999999999-0-0-00000000000000000000000000000000&passphrase=" + kPassphrase;
        studio.setConfig(QString("[[relay]]\nstream = \"live/src\"\nurl = \"%1\"\n\n"
                                 "[[relay]]\nstream = \"live/src\"\nurl = \"%2\"\n")
                             .arg(good, forged));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/src"));
        spec.size = "320x240";
        spec.seconds = 120;
        publisher = Ffmpeg::publish(spec);
        QVERIFY(studio.waitForLog("publishes live/src", 15000));
    }

    void relayedStreamPlaysAtTheOrigin() {
        QVERIFY2(waitFor(0, "publishing", 20000), qPrintable(studio.log().right(2000)));
        QVERIFY2(origin.waitForLog("publishes live/relayed", 15000),
                 qPrintable(origin.log().right(2000)));
        auto r = relay(0);
        QVERIFY2(r.value("url").toString().endsWith("?…"), qPrintable(r.value("url").toString()));
        QString err;
        auto probe = Ffmpeg::probe(origin.flvUrl("live/relayed"), &err);
        QStringList codecs;
        for (const auto& s : probe.value("streams").toArray()) {
            codecs << s.toObject().value("codec_name").toString();
        }
        codecs.sort();
        QCOMPARE(codecs, QStringList({"aac", "h264"}));
        auto decoded = Ffmpeg::decode(origin.flvUrl("live/relayed"), 4);
        QVERIFY2(decoded.videoFrames >= 90, qPrintable(decoded.log.right(1500)));
        QCOMPARE(decoded.decodeErrors, 0);
        QVERIFY(relay(0).value("bytes_sent").toInteger() > 50000);
    }

    void refusedSignatureShowsTheReason() {
        QVERIFY2(waitFor(1, "backoff", 20000), qPrintable(studio.log().right(2000)));
        auto error = relay(1).value("last_error").toString();
        QVERIFY2(error.contains("refused the connection: unauthorized (1401)"), qPrintable(error));
        QVERIFY(!origin.log().contains("publishes live/forged"));
    }

    void cleanupTestCase() {
        publisher->kill();
        publisher->waitForFinished();
        QCOMPARE(studio.stop(), 0);
        QCOMPARE(origin.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_RelaySrt)
#include "tst_RelaySrt.moc"
