// An ffmpeg SRT publish (MPEG-TS, H.264/AAC) with a signed stream id and a passphrase plays
// over RTMP and HTTP-FLV; a wrong signature or passphrase is refused.

#include <QJsonArray>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "Prometheus.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

const QString kPassphrase = "town-hall-secret-1";

std::unique_ptr<QProcess> publishSrt(const QString& url, int seconds) {
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::MergedChannels);
    p->start("ffmpeg", {"-hide_banner",
                        "-loglevel",
                        "warning",
                        "-re",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=640x360:rate=30",
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:sample_rate=48000",
                        "-t",
                        QString::number(seconds),
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        "-tune",
                        "zerolatency",
                        "-g",
                        "60",
                        "-c:a",
                        "aac",
                        "-f",
                        "mpegts",
                        url});
    p->waitForStarted(5000);
    return p;
}

} // namespace

class tst_SrtIngest : public QObject {
    Q_OBJECT

    StudioProcess studio;

    QString srtUrl(const QString& stream) {
        return QString("srt://127.0.0.1:%1?streamid=#!::r=%2,m=publish")
            .arg(studio.srtPort())
            .arg(stream);
    }

private slots:
    void initTestCase() {
        studio.setConfig("[srt]\npassphrase = \"" + kPassphrase + "\"\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        QVERIFY(studio.srtPort() > 0);
    }

    void signedPublishPlaysOverRtmpAndFlv() {
        auto url = studio.sign(srtUrl("live/srt1"));
        QVERIFY2(url.contains(",auth_key="), qPrintable(url));
        auto pub = publishSrt(url + "&passphrase=" + kPassphrase, 60);
        QVERIFY2(studio.waitForLog("publishes live/srt1", 15000), qPrintable(studio.log()));
        for (const auto& play : {studio.rtmpUrl("live/srt1"), studio.flvUrl("live/srt1")}) {
            QString err;
            auto probe = Ffmpeg::probe(play, &err);
            QStringList codecs;
            for (const auto& s : probe.value("streams").toArray()) {
                codecs << s.toObject().value("codec_name").toString();
                if (s.toObject().value("codec_type").toString() == "video") {
                    QCOMPARE(s.toObject().value("width").toInt(), 640);
                    QCOMPARE(s.toObject().value("height").toInt(), 360);
                }
            }
            codecs.sort();
            QCOMPARE(codecs, QStringList({"aac", "h264"}));
            auto decoded = Ffmpeg::decode(play, 3);
            QVERIFY2(decoded.videoFrames >= 70, qPrintable(decoded.log.right(1500)));
            QCOMPARE(decoded.decodeErrors, 0);
        }
        // The link as libsrt measures it, in the API and in /metrics.
        auto api = "http://127.0.0.1:" + QString::number(studio.httpPort());
        auto stream = httpRequest("GET", api + "/api/v1/streams/live/srt1", studio.apiToken());
        QCOMPARE(stream.status, 200);
        auto link = stream.json().value("publisher").toObject().value("srt").toObject();
        QVERIFY2(link.value("packets_received").toInteger() > 100, stream.body.constData());
        QCOMPARE(link.value("latency_ms").toInteger(), 120); // the listener's default
        QVERIFY(link.value("rtt_ms").toDouble() >= 0);
        QCOMPARE(link.value("packets_undecrypted").toInteger(), 0);
        auto metrics = httpRequest("GET", api + "/metrics", studio.apiToken());
        auto text = QString::fromUtf8(metrics.body);
        QCOMPARE(prometheusProblem(text), QString());
        QRegularExpression received(
            "stagecast_srt_received_packets_total\\{stream=\"live/srt1\"\\} (\\d+)");
        auto match = received.match(text);
        QVERIFY2(match.hasMatch(), qPrintable(text.right(3000)));
        QVERIFY(match.captured(1).toLongLong() > 100);
        pub->kill();
        pub->waitForFinished();
    }

    void playsOverSrt() {
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("live/srtplay"));
        spec.seconds = 30;
        spec.size = "640x360";
        auto pub = Ffmpeg::publish(spec);
        QVERIFY2(studio.waitForLog("publishes live/srtplay", 15000), qPrintable(studio.log()));
        auto play =
            QString("srt://127.0.0.1:%1?streamid=#!::r=live/srtplay,m=request&passphrase=%2")
                .arg(studio.srtPort())
                .arg(kPassphrase);
        QString err;
        auto probe = Ffmpeg::probe(play, &err);
        QStringList codecs;
        for (const auto& s : probe.value("streams").toArray()) {
            codecs << s.toObject().value("codec_name").toString();
        }
        codecs.sort();
        QCOMPARE(codecs, QStringList({"aac", "h264"}));
        auto decoded = Ffmpeg::decode(play, 3);
        QVERIFY2(decoded.videoFrames >= 70, qPrintable(decoded.log.right(1500)));
        QCOMPARE(decoded.decodeErrors, 0);
        QVERIFY2(studio.waitForLog("(127.0.0.1) plays live/srtplay", 5000),
                 qPrintable(studio.log().right(1500)));

        // A stream nobody publishes is refused with the reason in the log.
        auto missing =
            QString("srt://127.0.0.1:%1?streamid=#!::r=live/nothing,m=request&passphrase=%2")
                .arg(studio.srtPort())
                .arg(kPassphrase);
        auto none = Ffmpeg::decode(missing, 1, 20000);
        QVERIFY(none.videoFrames == 0);
        QVERIFY2(studio.waitForLog("play refused", 5000), qPrintable(studio.log().right(1500)));
        pub->kill();
        pub->waitForFinished();
    }

    void wrongSignatureIsRefused() {
        auto url =
            srtUrl("live/srt2") + ",auth_key=1999999999-0-0-00000000000000000000000000000000";
        auto pub = publishSrt(url + "&passphrase=" + kPassphrase, 3);
        QVERIFY(finished(*pub, 30000));
        QVERIFY(pub->exitCode() != 0);
        QVERIFY2(studio.waitForLog(
                     "publish to live/srt2 refused: auth_key signature does not match", 5000),
                 qPrintable(studio.log().right(2000)));
    }

    void wrongPassphraseIsRefused() {
        auto url = studio.sign(srtUrl("live/srt3"));
        auto pub = publishSrt(url + "&passphrase=not-the-passphrase", 3);
        QVERIFY(finished(*pub, 30000));
        QVERIFY(pub->exitCode() != 0);
        QVERIFY(!studio.log().contains("publishes live/srt3"));
    }

    void cleanupTestCase() { QCOMPARE(studio.stop(), 0); }
};

QTEST_GUILESS_MAIN(tst_SrtIngest)
#include "tst_SrtIngest.moc"
