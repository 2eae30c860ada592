// Webhooks with the real stagecast process and real ffmpeg peers: a receiver on loopback
// sees publish/unpublish and play/stop with the documented SRS-compatible fields and a valid
// signature; a 500 is retried; an on_publish receiver that refuses stops RTMP and SRT
// publishes; a receiver that is down or hangs blocks nothing (unless on_publish fails closed).

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QtTest>

#include <atomic>

#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"
#include "WebhookReceiver.h"

using namespace stagecast::test;

namespace {

const QString kGateSecret = "gate-secret-0123456789";

/// Publishes for `seconds`; returns ffmpeg's exit code.
int publishFor(const QString& url, int seconds = 3) {
    PublisherSpec spec;
    spec.url = url;
    spec.seconds = seconds;
    spec.size = "320x240";
    auto p = Ffmpeg::publish(spec);
    if (!p->waitForFinished(30000)) {
        p->kill();
        p->waitForFinished();
        return -1;
    }
    return p->exitCode();
}

std::unique_ptr<QProcess> publishSrt(const QString& url, int seconds) {
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::MergedChannels);
    p->start("ffmpeg", {"-hide_banner", "-loglevel", "warning", "-re", "-f", "lavfi", "-i",
                        "testsrc2=size=320x240:rate=30", "-t", QString::number(seconds), "-c:v",
                        "libx264", "-preset", "ultrafast", "-g", "30", "-f", "mpegts", url});
    p->waitForStarted(5000);
    return p;
}

QString readSecret(const StudioProcess& studio) {
    QFile f(studio.dataDir() + "/secrets/webhook_secret");
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(f.readAll()).trimmed();
}

/// Empty when X-Stagecast-Signature is HMAC-SHA256(secret, "TIMESTAMP.BODY"); else why not.
QString signatureProblem(const ReceivedRequest& r, const QString& secret) {
    const auto timestamp = r.header("X-Stagecast-Timestamp");
    const auto signature = r.header("X-Stagecast-Signature");
    if (timestamp.isEmpty() || signature.isEmpty()) {
        return "missing signature headers";
    }
    const auto mac = QMessageAuthenticationCode::hash(timestamp + "." + r.body, secret.toUtf8(),
                                                      QCryptographicHash::Sha256);
    if (signature != "sha256=" + mac.toHex()) {
        return "signature " + QString::fromLatin1(signature) + " does not match";
    }
    const auto age = QDateTime::currentSecsSinceEpoch() - timestamp.toLongLong();
    if (age < -300 || age > 300) {
        return "timestamp " + QString::fromLatin1(timestamp) + " is not now";
    }
    return {};
}

/// The value of one sample in /metrics text, or -1.
double metric(const QString& text, const QString& sample) {
    for (const auto& line : text.split('\n')) {
        if (line.startsWith(sample + " ")) {
            return line.mid(sample.size() + 1).toDouble();
        }
    }
    return -1;
}

QStringList liveStreams(StudioProcess& studio) {
    auto reply =
        httpRequest("GET", QString("http://127.0.0.1:%1/api/v1/streams").arg(studio.httpPort()),
                    studio.apiToken());
    QStringList keys;
    for (const auto& s : reply.json().value("streams").toArray()) {
        keys << s.toObject().value("key").toString();
    }
    return keys;
}

} // namespace

class tst_Webhooks : public QObject {
    Q_OBJECT

    WebhookReceiver receiver;
    StudioProcess notify; // url = receiver: every event, generated secret
    StudioProcess gate;   // on_publish = receiver/gate: decides publishes; configured secret
    std::atomic<int> retryFailures{0};

    QString metrics(StudioProcess& studio) {
        return QString::fromUtf8(
            httpRequest("GET", QString("http://127.0.0.1:%1/metrics").arg(studio.httpPort()),
                        studio.apiToken())
                .body);
    }

private slots:
    void initTestCase() {
        receiver.setResponder([this](const ReceivedRequest& r) -> ReceiverAnswer {
            const auto json = r.json();
            const auto stream = json.value("stream").toString();
            if (r.path.startsWith("/gate")) {
                if (stream.startsWith("banned")) {
                    return {200, "{\"code\":1,\"msg\":\"not on the guest list\"}"};
                }
                if (stream.startsWith("forbidden")) {
                    return {403, "no"};
                }
                return {200, "{\"code\":0}"};
            }
            if (r.path.startsWith("/hang")) {
                return {0, {}};
            }
            if (json.value("action").toString() == "on_publish" && stream == "retry" &&
                retryFailures.fetch_add(1) == 0) {
                return {500, "try again"};
            }
            return {200, "0"};
        });
        QVERIFY(receiver.start());
        notify.setConfig("[webhooks]\nurl = \"" + receiver.url("/hooks") +
                         "\"\nretry_delay_ms = 200\n");
        QVERIFY2(notify.start(), qPrintable(notify.error()));
        gate.setConfig("[webhooks]\nurl = \"" + receiver.url("/hooks") + "\"\non_publish = \"" +
                       receiver.url("/gate?token=t1") + "\"\nsecret = \"" + kGateSecret + "\"\n");
        QVERIFY2(gate.start(), qPrintable(gate.error()));
    }

    void secretIsGeneratedPrivately() {
        const auto path = notify.dataDir() + "/secrets/webhook_secret";
        QVERIFY(readSecret(notify).size() >= 16);
        const auto perms = QFile::permissions(path);
        QVERIFY(perms & QFileDevice::ReadOwner);
        QCOMPARE(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                          QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        // A configured secret is used as is; nothing is generated for it.
        QVERIFY(!QFile::exists(gate.dataDir() + "/secrets/webhook_secret"));
    }

    void publishAndUnpublish() {
        const auto url = notify.sign(notify.rtmpUrl("live/cam?user=alice"));
        const auto authKey = url.mid(url.indexOf("auth_key=") + 9);
        QVERIFY(authKey.size() > 20);
        QCOMPARE(publishFor(url), 0);
        auto published = receiver.waitFor("on_publish", "cam", 1, 10000);
        auto unpublished = receiver.waitFor("on_unpublish", "cam", 1, 10000);
        QCOMPARE(published.size(), 1);
        QCOMPARE(unpublished.size(), 1);

        for (const auto& r : {published[0], unpublished[0]}) {
            const auto j = r.json();
            QCOMPARE(r.method, QString("POST"));
            QCOMPARE(r.path, QString("/hooks"));
            QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
            QCOMPARE(QString::fromLatin1(r.header("X-Stagecast-Event")),
                     j.value("action").toString());
            QVERIFY2(signatureProblem(r, readSecret(notify)).isEmpty(),
                     qPrintable(signatureProblem(r, readSecret(notify))));
            QCOMPARE(j.value("app").toString(), QString("live"));
            QCOMPARE(j.value("stream").toString(), QString("cam"));
            QCOMPARE(j.value("stream_url").toString(), QString("/live/cam"));
            QCOMPARE(j.value("vhost").toString(), QString("__defaultVhost__"));
            QCOMPARE(j.value("ip").toString(), QString("127.0.0.1"));
            QCOMPARE(j.value("protocol").toString(), QString("rtmp"));
            QCOMPARE(j.value("param").toString(), QString("?user=alice&auth_key=redacted"));
            QVERIFY2(j.value("tcUrl").toString().startsWith(
                         QString("rtmp://127.0.0.1:%1/live").arg(notify.rtmpPort())),
                     qPrintable(j.value("tcUrl").toString()));
            QVERIFY(!j.value("server_id").toString().isEmpty());
            QVERIFY(QDateTime::fromString(j.value("time").toString(), Qt::ISODateWithMs).isValid());
            QVERIFY2(!r.body.contains(authKey.toUtf8()), "the signature leaked into the body");
        }
        QCOMPARE(published[0].json().value("client_id").toString(),
                 unpublished[0].json().value("client_id").toString());
        QVERIFY(!published[0].json().value("client_id").toString().isEmpty());
        QVERIFY(unpublished[0].json().contains("reason"));
        QVERIFY(notify.waitForLog("publishes live/cam", 5000));
    }

    void playAndStop_data() {
        QTest::addColumn<QString>("protocol");
        QTest::newRow("http-flv") << "http-flv";
        QTest::newRow("rtmp") << "rtmp";
    }

    void playAndStop() {
        QFETCH(QString, protocol);
        const QString stream = "watch" + QString(protocol).remove('-');
        PublisherSpec spec;
        spec.url = notify.sign(notify.rtmpUrl("live/" + stream));
        spec.size = "320x240";
        spec.seconds = 60;
        auto pub = Ffmpeg::publish(spec);
        QCOMPARE(receiver.waitFor("on_publish", stream, 1, 15000).size(), 1);

        const auto playUrl = (protocol == "rtmp" ? notify.rtmpUrl("live/" + stream)
                                                 : notify.flvUrl("live/" + stream)) +
                             "?viewer=v1";
        auto decoded = Ffmpeg::decode(playUrl, 2);
        QVERIFY2(decoded.videoFrames > 0, qPrintable(decoded.log));
        auto plays = receiver.waitFor("on_play", stream, 1, 10000);
        auto stops = receiver.waitFor("on_stop", stream, 1, 10000);
        QCOMPARE(plays.size(), 1);
        QCOMPARE(stops.size(), 1);
        const auto play = plays[0].json();
        const auto stop = stops[0].json();
        QCOMPARE(play.value("protocol").toString(), protocol);
        QCOMPARE(play.value("param").toString(), QString("?viewer=v1"));
        QCOMPARE(play.value("ip").toString(), QString("127.0.0.1"));
        QCOMPARE(play.value("client_id").toString(), stop.value("client_id").toString());
        QVERIFY(!stop.value("reason").toString().isEmpty());
        QVERIFY(signatureProblem(plays[0], readSecret(notify)).isEmpty());
        pub->kill();
        pub->waitForFinished();
        QCOMPARE(receiver.waitFor("on_unpublish", stream, 1, 10000).size(), 1);
    }

    void serverErrorIsRetried() {
        QCOMPARE(publishFor(notify.sign(notify.rtmpUrl("live/retry"))), 0);
        auto attempts = receiver.waitFor("on_publish", "retry", 2, 15000);
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(attempts[0].answeredStatus, 500);
        QCOMPARE(attempts[1].answeredStatus, 200);
        QCOMPARE(attempts[0].header("X-Stagecast-Attempt"), QByteArray("1"));
        QCOMPARE(attempts[1].header("X-Stagecast-Attempt"), QByteArray("2"));
        QCOMPARE(attempts[0].header("X-Stagecast-Delivery"),
                 attempts[1].header("X-Stagecast-Delivery"));
        QCOMPARE(attempts[0].body, attempts[1].body);
        QVERIFY(signatureProblem(attempts[1], readSecret(notify)).isEmpty());
        QVERIFY(notify.waitForLog("failed: HTTP 500; retry 1 of 4", 5000));
        const auto text = metrics(notify);
        QVERIFY(metric(text, "stagecast_webhook_retries_total") >= 1);
        QVERIFY(metric(text, "stagecast_webhook_deliveries_total{result=\"ok\"}") >= 3);
        QCOMPARE(metric(text, "stagecast_webhook_deliveries_total{result=\"dropped\"}"), 0.0);
    }

    void gateAllows() {
        QCOMPARE(publishFor(gate.sign(gate.rtmpUrl("live/welcome?user=bob"))), 0);
        auto asked = receiver.waitFor("on_publish", "welcome", 1, 10000);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked[0].path, QString("/gate?token=t1"));
        QVERIFY2(signatureProblem(asked[0], kGateSecret).isEmpty(),
                 qPrintable(signatureProblem(asked[0], kGateSecret)));
        const auto j = asked[0].json();
        QCOMPARE(j.value("param").toString(), QString("?user=bob&auth_key=redacted"));
        QCOMPARE(j.value("app").toString(), QString("live"));
        QCOMPARE(j.value("ip").toString(), QString("127.0.0.1"));
        QVERIFY(!j.value("client_id").toString().isEmpty());
        QVERIFY(gate.waitForLog("publishes live/welcome", 5000));
        // Asked once, before the publish; not told again afterwards. The unpublish is told.
        QCOMPARE(receiver.waitFor("on_unpublish", "welcome", 1, 10000).size(), 1);
        QCOMPARE(receiver.requestsFor("on_publish", "welcome").size(), 1);
    }

    void gateRefusesRtmp_data() {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("reason");
        QTest::newRow("code 1") << "banned"
                                << "answered code 1";
        QTest::newRow("403") << "forbidden"
                             << "HTTP 403";
    }

    void gateRefusesRtmp() {
        QFETCH(QString, stream);
        QFETCH(QString, reason);
        QVERIFY(publishFor(gate.sign(gate.rtmpUrl("live/" + stream))) != 0);
        const auto line =
            "publish to live/" + stream + " refused by the on_publish webhook: " + reason;
        QVERIFY2(gate.waitForLog(line, 5000), qPrintable(gate.log()));
        QVERIFY(!gate.log().contains("publishes live/" + stream));
        QVERIFY(!liveStreams(gate).contains("live/" + stream));
        QCOMPARE(receiver.requestsFor("on_publish", stream).size(), 1);
        QCOMPARE(receiver.requestsFor("on_unpublish", stream).size(), 0);
    }

    void gateRefusesSrt() {
        const auto url = gate.sign(QString("srt://127.0.0.1:%1?streamid=#!::r=live/bannedsrt,"
                                           "m=publish")
                                       .arg(gate.srtPort()));
        auto pub = publishSrt(url, 20);
        QVERIFY2(gate.waitForLog("publish to live/bannedsrt refused by the on_publish webhook: "
                                 "answered code 1",
                                 10000),
                 qPrintable(gate.log()));
        QVERIFY(pub->waitForFinished(30000));
        QVERIFY2(pub->exitCode() != 0, qPrintable(QString::fromUtf8(pub->readAll())));
        QVERIFY(!gate.log().contains("publishes live/bannedsrt"));
        QVERIFY(!liveStreams(gate).contains("live/bannedsrt"));
    }

    void gateMetrics() {
        const auto text = metrics(gate);
        QVERIFY(metric(text, "stagecast_webhook_publish_checks_total{result=\"allowed\"}") >= 1);
        QVERIFY(metric(text, "stagecast_webhook_publish_checks_total{result=\"refused\"}") >= 3);
    }

    void receiverDown_data() {
        QTest::addColumn<QString>("webhooks");
        QTest::addColumn<bool>("publishes");
        QTest::addColumn<QString>("logLine");
        WebhookReceiver dead;
        QVERIFY(dead.start());
        const auto deadUrl = dead.url("/down");
        dead.stop(); // nothing listens there any more
        const auto hangUrl = receiver.url("/hang");
        QTest::newRow("notify down")
            << "url = \"" + deadUrl + "\"\nretries = 1\nretry_delay_ms = 100\n"
            << true << "failed after 2 attempts: cannot connect to";
        QTest::newRow("notify hangs")
            << "url = \"" + hangUrl + "\"\ntimeout_ms = 500\nretries = 0\n"
            << true << "failed after 1 attempt: no answer from";
        QTest::newRow("gate down, fail closed")
            << "on_publish = \"" + deadUrl + "\"\n"
            << false << "refused by the on_publish webhook: unreachable: cannot connect to";
        QTest::newRow("gate hangs, fail closed")
            << "on_publish = \"" + hangUrl + "\"\non_publish_timeout_ms = 500\n"
            << false << "refused by the on_publish webhook: unreachable: no answer from";
        QTest::newRow("gate down, fail open")
            << "on_publish = \"" + deadUrl + "\"\nfail_open = true\n"
            << true << "not checked by the on_publish webhook: unreachable: cannot connect to";
    }

    void receiverDown() {
        QFETCH(QString, webhooks);
        QFETCH(bool, publishes);
        QFETCH(QString, logLine);
        StudioProcess studio;
        studio.setConfig("[webhooks]\n" + webhooks);
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/down"));
        spec.size = "320x240";
        spec.seconds = 30;
        auto pub = Ffmpeg::publish(spec);
        QVERIFY2(studio.waitForLog(logLine, 15000), qPrintable(studio.log()));
        if (publishes) {
            QVERIFY2(studio.waitForLog("publishes live/down", 10000), qPrintable(studio.log()));
            // Players are not held up by a receiver that is down or hangs either.
            auto decoded = Ffmpeg::decode(studio.flvUrl("live/down"), 1);
            QVERIFY2(decoded.videoFrames > 0, qPrintable(decoded.log));
            QVERIFY(liveStreams(studio).contains("live/down"));
        } else {
            QVERIFY(pub->waitForFinished(20000));
            QVERIFY(pub->exitCode() != 0);
            QVERIFY(!studio.log().contains("publishes live/down"));
            QVERIFY(!liveStreams(studio).contains("live/down"));
        }
        pub->kill();
        pub->waitForFinished();
        QCOMPARE(studio.stop(), 0);
    }

    void cleanupTestCase() {
        QCOMPARE(notify.stop(), 0);
        QCOMPARE(gate.stop(), 0);
        if (qEnvironmentVariableIsSet("STAGECAST_TEST_PRINT_LOG")) {
            qInfo().noquote() << notify.log() << gate.log();
        }
    }
};

QTEST_GUILESS_MAIN(tst_Webhooks)
#include "tst_Webhooks.moc"
