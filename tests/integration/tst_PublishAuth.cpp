// Signed push and play URLs and IP lists, with real ffmpeg publishers and players.

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

QString authKeyFor(const QString& uri, qint64 timestamp, const QString& key) {
    auto text = QString("%1-%2-0-0-%3").arg(uri).arg(timestamp).arg(key);
    auto hash = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Md5).toHex();
    return QString("%1-0-0-%2").arg(timestamp).arg(QString::fromLatin1(hash));
}

QString readSecret(const StudioProcess& studio) {
    QFile f(studio.dataDir() + "/secrets/auth_key");
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(f.readAll()).trimmed();
}

/// Publishes 3 s; returns ffmpeg's exit code.
int publishBriefly(const QString& url) {
    PublisherSpec spec;
    spec.url = url;
    spec.seconds = 3;
    spec.size = "320x240";
    auto p = Ffmpeg::publish(spec);
    if (!p->waitForFinished(30000)) {
        p->kill();
        p->waitForFinished();
        return -1;
    }
    return p->exitCode();
}

} // namespace

class tst_PublishAuth : public QObject {
    Q_OBJECT

    StudioProcess studio; // defaults: publish auth on, play auth off
    StudioProcess strict; // play auth on, and an IP deny list for app "secure"

private slots:
    void initTestCase() {
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        strict.setConfig("[auth]\nplay = true\n\n[acl.secure]\ndeny = [\"127.0.0.0/8\"]\n");
        QVERIFY2(strict.start(), qPrintable(strict.error()));
    }

    void refusedPublish_data() {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("reason");
        auto now = QDateTime::currentSecsSinceEpoch();
        auto key = readSecret(studio);
        QVERIFY(key.size() >= 16);
        QTest::newRow("no-auth-key") << "nokey"
                                     << ""
                                     << "missing auth_key";
        QTest::newRow("wrong-hash")
            << "wrong"
            << "auth_key=" + authKeyFor("/live/wrong", now + 600, "not-the-key")
            << "signature does not match";
        QTest::newRow("expired") << "old"
                                 << "auth_key=" + authKeyFor("/live/old", now - 5, key)
                                 << "expired";
        QTest::newRow("other-stream")
            << "other"
            << "auth_key=" + authKeyFor("/live/else", now + 600, key) << "signature does not match";
        QTest::newRow("malformed") << "junk"
                                   << "auth_key=abc"
                                   << "malformed auth_key";
    }

    void refusedPublish() {
        QFETCH(QString, stream);
        QFETCH(QString, query);
        QFETCH(QString, reason);
        auto url = studio.rtmpUrl("live/" + stream) + (query.isEmpty() ? "" : "?" + query);
        QVERIFY(publishBriefly(url) != 0);
        auto line = "publish to live/" + stream + " refused: ";
        QVERIFY2(studio.waitForLog(line, 5000), qPrintable(studio.log()));
        auto log = studio.log();
        auto at = log.indexOf(line);
        QVERIFY2(log.mid(at, 200).contains(reason), qPrintable(log.mid(at, 200)));
    }

    void signedPublishIsAccepted() {
        auto url = studio.sign(studio.rtmpUrl("live/good"));
        QCOMPARE(publishBriefly(url), 0);
        QVERIFY(studio.waitForLog("publishes live/good", 5000));
    }

    void playAuth() {
        PublisherSpec spec;
        spec.url = strict.sign(strict.rtmpUrl("live/cam"));
        spec.size = "320x240";
        spec.seconds = 60;
        auto pub = Ffmpeg::publish(spec);
        QVERIFY(strict.waitForLog("publishes live/cam",
                                  30000)); // ffmpeg starts slowly on a busy machine

        auto unsignedFlv = httpRequest("GET", strict.flvUrl("live/cam"));
        QCOMPARE(unsignedFlv.status, 403);
        QVERIFY(QString::fromUtf8(unsignedFlv.body).contains("play refused: missing auth_key"));

        QString err;
        auto bad = Ffmpeg::probe(strict.rtmpUrl("live/cam"), &err, 15000);
        QVERIFY(bad.value("streams").toArray().isEmpty());
        QVERIFY(strict.waitForLog("play of live/cam refused: missing auth_key", 5000));

        for (const auto& url : {strict.flvUrl("live/cam"), strict.rtmpUrl("live/cam")}) {
            auto signedUrl = strict.sign(url);
            auto probe = Ffmpeg::probe(signedUrl, &err);
            QVERIFY2(probe.value("streams").toArray().size() == 2, qPrintable(signedUrl + err));
        }
        pub->kill();
        pub->waitForFinished();
    }

    void denyListRefusesLoopback() {
        auto url = strict.sign(strict.rtmpUrl("secure/x"));
        QVERIFY(publishBriefly(url) != 0);
        QVERIFY2(strict.waitForLog("publish to secure/x refused: address 127.0.0.1", 5000),
                 qPrintable(strict.log()));
    }

    void cleanupTestCase() {
        QCOMPARE(studio.stop(), 0);
        QCOMPARE(strict.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_PublishAuth)
#include "tst_PublishAuth.moc"
