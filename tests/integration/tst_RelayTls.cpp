// RTMPS relays: a hub stream pushed over TLS to nginx-rtmp behind nginx's TLS stream proxy (a
// real TLS origin with a self-signed certificate) plays at the origin when the certificate is
// trusted through ca_file; an untrusted certificate or a host name the certificate does not
// name is refused with the reason in the API.

#include <QJsonArray>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "NginxRtmp.h"
#include "RelayApi.h"
#include "StudioProcess.h"

using namespace stagecast::test;

class tst_RelayTls : public QObject {
    Q_OBJECT

    NginxRtmp nginx;
    StudioProcess studio;
    std::unique_ptr<QProcess> publisher;

    QJsonObject relay(int index) { return relayStatus(studio, index); }
    bool waitFor(int index, const QString& state, int timeoutMs) {
        return waitForRelayState(studio, index, state, timeoutMs);
    }

private slots:
    void initTestCase() {
        QVERIFY2(nginx.enableTls(), qPrintable(nginx.error()));
        QVERIFY2(nginx.start(), qPrintable(nginx.error()));
        auto tls = QString("rtmps://localhost:%1/live/").arg(nginx.tlsPort());
        auto byIp = QString("rtmps://127.0.0.1:%1/live/").arg(nginx.tlsPort());
        studio.setConfig(QString("[[relay]]\nstream = \"live/src\"\nurl = \"%1trusted?k=1\"\n"
                                 "ca_file = \"%2\"\n\n"
                                 "[[relay]]\nstream = \"live/src\"\nurl = \"%1untrusted\"\n\n"
                                 "[[relay]]\nstream = \"live/src\"\nurl = \"%3wrongname\"\n"
                                 "ca_file = \"%2\"\n")
                             .arg(tls, nginx.certFile(), byIp));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/src"));
        spec.size = "320x240";
        spec.seconds = 120;
        publisher = Ffmpeg::publish(spec);
        QVERIFY(studio.waitForLog("publishes live/src", 15000));
    }

    void trustedCertificatePlaysAtTheOrigin() {
        QVERIFY2(waitFor(0, "publishing", 20000), qPrintable(studio.log().right(2000)));
        QVERIFY(relay(0).value("url").toString().startsWith("rtmps://localhost:"));
        auto decoded = Ffmpeg::decode(nginx.url("live/trusted"), 6);
        QVERIFY2(decoded.videoFrames >= 90, qPrintable(decoded.log.right(1500)));
        QCOMPARE(decoded.decodeErrors, 0);
        QVERIFY(relay(0).value("bytes_sent").toInteger() > 50000);
    }

    void untrustedCertificateIsRefused() {
        QVERIFY2(waitFor(1, "backoff", 20000), qPrintable(studio.log().right(2000)));
        auto error = relay(1).value("last_error").toString();
        QVERIFY2(error.contains("TLS handshake") && error.contains("certificate verify failed"),
                 qPrintable(error));
    }

    void hostNameMustMatchTheCertificate() {
        QVERIFY2(waitFor(2, "backoff", 20000), qPrintable(studio.log().right(2000)));
        auto error = relay(2).value("last_error").toString();
        QVERIFY2(error.contains("certificate verify failed"), qPrintable(error));
        QCOMPARE(relay(2).value("state").toString(), QString("backoff"));
    }

    void cleanupTestCase() {
        publisher->kill();
        publisher->waitForFinished();
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_RelayTls)
#include "tst_RelayTls.moc"
