// Pulls: external streams published into the hub. The studio pulls from nginx-rtmp (a real
// external origin) over RTMP, from a second studio over HLS, HTTP-FLV and SRT (m=request); each
// pulled stream plays back from the studio over HTTP-FLV with the source's codecs and size.
// Stopping nginx puts the RTMP pull into backoff with the error and a reconnect count in the
// API; starting nginx and publishing again brings the stream back.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "NginxRtmp.h"
#include "StudioProcess.h"

using namespace stagecast::test;

class tst_Pull : public QObject {
    Q_OBJECT

    NginxRtmp nginx;
    StudioProcess origin; // the second studio: the HLS and SRT source
    StudioProcess studio; // the one that pulls
    std::unique_ptr<QProcess> toNginx;
    std::unique_ptr<QProcess> toOrigin;

    std::unique_ptr<QProcess> publish(const QString& url, const QString& size) {
        PublisherSpec spec;
        spec.url = url;
        spec.seconds = 300;
        spec.size = size;
        spec.gopFrames = 30;
        return Ffmpeg::publish(spec);
    }

    QJsonObject pull(const QString& stream) {
        auto r =
            httpRequest("GET", QString("http://127.0.0.1:%1/api/v1/pulls").arg(studio.httpPort()),
                        studio.apiToken());
        for (const auto& p : r.json().value("pulls").toArray()) {
            if (p.toObject().value("stream").toString() == stream) {
                return p.toObject();
            }
        }
        return {};
    }

    bool waitForState(const QString& stream, const QString& state, int timeoutMs) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (pull(stream).value("state").toString() == state) {
                return true;
            }
            QTest::qWait(200);
        }
        return false;
    }

    /// The pulled stream as the studio serves it: codecs and the video size.
    void playsBack(const QString& stream, int width, int height) {
        QString err;
        auto probe = Ffmpeg::probe(studio.flvUrl(stream), &err);
        QStringList codecs;
        for (const auto& s : probe.value("streams").toArray()) {
            const auto o = s.toObject();
            codecs << o.value("codec_name").toString();
            if (o.value("codec_type").toString() == "video") {
                QCOMPARE(o.value("width").toInt(), width);
                QCOMPARE(o.value("height").toInt(), height);
            }
        }
        codecs.sort();
        QCOMPARE(codecs, QStringList({"aac", "h264"}));
        auto decoded = Ffmpeg::decode(studio.flvUrl(stream), 3);
        QVERIFY2(decoded.videoFrames >= 45, qPrintable(decoded.log));
        QCOMPARE(decoded.decodeErrors, 0);
    }

private slots:
    void initTestCase() {
        QVERIFY2(nginx.start(), qPrintable(nginx.error()));
        origin.setConfig("[hls]\nmode = \"always\"\nsegment_ms = 1000\n");
        QVERIFY2(origin.start(), qPrintable(origin.error()));
        toNginx = publish(nginx.url("live/src"), "640x360");
        toOrigin = publish(origin.sign(origin.rtmpUrl("live/cam")), "320x240");
        QVERIFY2(origin.waitForLog("publishes live/cam", 15000), qPrintable(origin.log()));
        QTest::qWait(3000); // nginx has the stream; the origin has HLS segments

        const auto hls = QString("http://127.0.0.1:%1/live/cam.m3u8").arg(origin.httpPort());
        const auto srt =
            QString("srt://127.0.0.1:%1?streamid=#!::r=live/cam,m=request").arg(origin.srtPort());
        const auto flv = QString("http://127.0.0.1:%1/live/cam.flv").arg(origin.httpPort());
        studio.setConfig(QString("[[pull]]\nstream = \"remote/rtmp\"\nurl = \"%1\"\n\n"
                                 "[[pull]]\nstream = \"remote/hls\"\nurl = \"%2\"\n\n"
                                 "[[pull]]\nstream = \"remote/srt\"\nurl = \"%3\"\n\n"
                                 "[[pull]]\nstream = \"remote/flv\"\nurl = \"%4\"\n")
                             .arg(nginx.url("live/src"), hls, srt, flv));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
    }

    void rtmpFromNginx() {
        QVERIFY2(waitForState("remote/rtmp", "pulling", 20000),
                 qPrintable(QJsonDocument(pull("remote/rtmp")).toJson()));
        playsBack("remote/rtmp", 640, 360);
        const auto p = pull("remote/rtmp");
        QVERIFY(p.value("bytes_in").toInteger() > 100000);
        QVERIFY(p.value("source").toString().contains("h264 640x360"));
    }

    void hlsFromAnotherStudio() {
        QVERIFY2(waitForState("remote/hls", "pulling", 20000),
                 qPrintable(QJsonDocument(pull("remote/hls")).toJson()));
        playsBack("remote/hls", 320, 240);
    }

    void httpFlvFromAnotherStudio() {
        QVERIFY2(waitForState("remote/flv", "pulling", 20000),
                 qPrintable(QJsonDocument(pull("remote/flv")).toJson()));
        playsBack("remote/flv", 320, 240);
        QVERIFY(pull("remote/flv").value("source").toString().startsWith("flv"));
    }

    void srtFromAnotherStudio() {
        QVERIFY2(waitForState("remote/srt", "pulling", 20000),
                 qPrintable(QJsonDocument(pull("remote/srt")).toJson()));
        playsBack("remote/srt", 320, 240);
    }

    void reconnectsWhenTheOriginReturns() {
        nginx.stop();
        QVERIFY(waitForState("remote/rtmp", "backoff", 30000));
        auto p = pull("remote/rtmp");
        QVERIFY(p.value("reconnects").toInt() >= 1);
        QVERIFY2(!p.value("last_error").toString().isEmpty(),
                 qPrintable(QJsonDocument(p).toJson()));
        // The stream is unpublished meanwhile: players see it end, not freeze.
        auto gone = httpRequest("GET", studio.flvUrl("remote/rtmp"));
        QCOMPARE(gone.status, 404);

        QVERIFY2(nginx.start(), qPrintable(nginx.error()));
        toNginx = publish(nginx.url("live/src"), "640x360");
        QVERIFY2(waitForState("remote/rtmp", "pulling", 60000),
                 qPrintable(QJsonDocument(pull("remote/rtmp")).toJson()));
        playsBack("remote/rtmp", 640, 360);
        QVERIFY(pull("remote/rtmp").value("reconnects").toInt() >= 1);
    }

    void cleanupTestCase() {
        for (auto* p : {toNginx.get(), toOrigin.get()}) {
            if (p) {
                p->kill();
                p->waitForFinished(5000);
            }
        }
        const int code = studio.stop();
        QVERIFY2(code == 0, qPrintable(studio.log().right(3000)));
        QCOMPARE(origin.stop(), 0);
        nginx.stop();
    }
};

QTEST_GUILESS_MAIN(tst_Pull)
#include "tst_Pull.moc"
