// https webhook receivers: nginx's TLS stream proxy (a fresh self-signed certificate for
// "localhost") in front of the test's HTTP receiver. Trusted through webhooks.ca_file, the
// on_publish question and the on_unpublish notification arrive over TLS with a valid
// signature and the publish plays; a URL whose host the certificate does not name is refused
// by the verification, so the on_publish gate fails closed and the publish is refused with
// the reason in the log; tls_verify = false lets the same URL through.

#include <QMessageAuthenticationCode>
#include <QtTest>

#include "FfTools.h"
#include "NginxRtmp.h"
#include "StudioProcess.h"
#include "WebhookReceiver.h"

using namespace stagecast::test;

namespace {

const QString kSecret = "tls-secret-0123456789";

bool signedWithSecret(const ReceivedRequest& r) {
    const auto timestamp = r.header("X-Stagecast-Timestamp");
    const auto mac = QMessageAuthenticationCode::hash(timestamp + "." + r.body, kSecret.toUtf8(),
                                                      QCryptographicHash::Sha256);
    return !timestamp.isEmpty() && r.header("X-Stagecast-Signature") == "sha256=" + mac.toHex();
}

std::unique_ptr<QProcess> publish(StudioProcess& studio, const QString& stream, int seconds) {
    PublisherSpec spec;
    spec.url = studio.sign(studio.rtmpUrl("live/" + stream));
    spec.size = "320x240";
    spec.seconds = seconds;
    return Ffmpeg::publish(spec);
}

} // namespace

class tst_WebhooksTls : public QObject {
    Q_OBJECT

    WebhookReceiver receiver;
    NginxRtmp nginx;
    int tlsPort = 0;

    QString config(const QString& host, const QString& extra) const {
        const auto base = QString("https://%1:%2").arg(host).arg(tlsPort);
        return QString("[webhooks]\nurl = \"%1/hooks\"\non_publish = \"%1/gate\"\n"
                       "secret = \"%2\"\nretry_delay_ms = 200\n%3")
            .arg(base, kSecret, extra);
    }

private slots:
    void initTestCase() {
        receiver.setResponder([](const ReceivedRequest&) { return ReceiverAnswer{200, "0"}; });
        QVERIFY(receiver.start());
        QVERIFY2(nginx.enableTls(), qPrintable(nginx.error()));
        tlsPort = nginx.addTlsProxy(receiver.port());
        QVERIFY2(nginx.start(), qPrintable(nginx.error()));
    }

    void trustedReceiver() {
        StudioProcess studio;
        studio.setConfig(config("localhost", "ca_file = \"" + nginx.certFile() + "\"\n"));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        auto pub = publish(studio, "tlscam", 3);
        QVERIFY2(studio.waitForLog("publishes live/tlscam", 15000), qPrintable(studio.log()));
        auto asked = receiver.waitFor("on_publish", "tlscam", 1, 10000);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked[0].path, QString("/gate"));
        QVERIFY(signedWithSecret(asked[0]));
        QVERIFY(pub->waitForFinished(30000));
        QCOMPARE(pub->exitCode(), 0);
        auto ended = receiver.waitFor("on_unpublish", "tlscam", 1, 10000);
        QCOMPARE(ended.size(), 1);
        QCOMPARE(ended[0].path, QString("/hooks"));
        QVERIFY(signedWithSecret(ended[0]));
        QCOMPARE(ended[0].json().value("app").toString(), QString("live"));
        QCOMPARE(studio.stop(), 0);
    }

    void hostNotInCertificateIsRefused() {
        StudioProcess studio;
        // The certificate names "localhost" only: 127.0.0.1 does not match it.
        studio.setConfig(config("127.0.0.1", "ca_file = \"" + nginx.certFile() + "\"\n"));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        auto pub = publish(studio, "wrongname", 30);
        QVERIFY2(studio.waitForLog("publish to live/wrongname refused by the on_publish "
                                   "webhook: unreachable: TLS handshake with 127.0.0.1:" +
                                       QString::number(tlsPort) + " failed",
                                   15000),
                 qPrintable(studio.log()));
        QVERIFY2(studio.log().contains("certificate verify failed"), qPrintable(studio.log()));
        QVERIFY(pub->waitForFinished(30000));
        QVERIFY(pub->exitCode() != 0);
        QVERIFY(!studio.log().contains("publishes live/wrongname"));
        QCOMPARE(receiver.requestsFor("on_publish", "wrongname").size(), 0);
        QCOMPARE(studio.stop(), 0);
    }

    void verificationOff() {
        StudioProcess studio;
        studio.setConfig(config("127.0.0.1", "tls_verify = false\n"));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        QVERIFY2(studio.waitForLog("tls_verify is off", 5000), qPrintable(studio.log()));
        auto pub = publish(studio, "noverify", 3);
        QVERIFY2(studio.waitForLog("publishes live/noverify", 15000), qPrintable(studio.log()));
        QCOMPARE(receiver.waitFor("on_publish", "noverify", 1, 10000).size(), 1);
        QVERIFY(pub->waitForFinished(30000));
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_WebhooksTls)
#include "tst_WebhooksTls.moc"
