// ffmpeg publishes H.264/AAC with a signed URL; ffprobe and ffmpeg read it back over RTMP and
// HTTP-FLV; the API and /metrics describe it; SIGTERM ends everything cleanly.

#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "Prometheus.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

QJsonObject streamOfType(const QJsonObject& probe, const QString& type) {
    for (const auto& s : probe.value("streams").toArray()) {
        if (s.toObject().value("codec_type").toString() == type) {
            return s.toObject();
        }
    }
    return {};
}

} // namespace

class tst_PublishPlay : public QObject {
    Q_OBJECT

    StudioProcess studio;
    std::unique_ptr<QProcess> publisher;
    QString token;

    QJsonObject apiStream() {
        auto r = httpRequest(
            "GET", QString("http://127.0.0.1:%1/api/v1/streams/live/itest").arg(studio.httpPort()),
            token);
        return r.json();
    }

private slots:
    void initTestCase() {
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
        QCOMPARE(token.size(), 32);
        auto url = studio.sign(studio.rtmpUrl("live/itest"));
        QVERIFY2(url.contains("?auth_key="), qPrintable(url));
        PublisherSpec spec;
        spec.url = url;
        spec.seconds = 60;
        publisher = Ffmpeg::publish(spec);
        QVERIFY2(studio.waitForLog("publishes live/itest", 15000), qPrintable(studio.log()));
    }

    void playBack_data() {
        QTest::addColumn<QString>("protocol");
        QTest::newRow("rtmp") << "rtmp";
        QTest::newRow("http-flv") << "flv";
    }

    void playBack() {
        QFETCH(QString, protocol);
        auto url = protocol == "rtmp" ? studio.rtmpUrl("live/itest") : studio.flvUrl("live/itest");
        QString err;
        auto probe = Ffmpeg::probe(url, &err);
        auto video = streamOfType(probe, "video");
        auto audio = streamOfType(probe, "audio");
        QVERIFY2(!video.isEmpty(), qPrintable(err));
        QCOMPARE(video.value("codec_name").toString(), QString("h264"));
        QCOMPARE(video.value("width").toInt(), 1280);
        QCOMPARE(video.value("height").toInt(), 720);
        QCOMPARE(audio.value("codec_name").toString(), QString("aac"));
        QCOMPARE(audio.value("sample_rate").toString(), QString("48000"));
        QCOMPARE(audio.value("channels").toInt(), 2);

        auto decoded = Ffmpeg::decode(url, 4);
        QVERIFY2(decoded.exitCode == 0, qPrintable(decoded.log));
        // 4 s at 30 fps, starting on the cached keyframe: at least 100 frames, no errors.
        QVERIFY2(decoded.videoFrames >= 100, qPrintable(decoded.log));
        QVERIFY2(decoded.decodeErrors == 0, qPrintable(decoded.log));
    }

    void apiMatchesWhatFfmpegSends() {
        // Measure what actually arrives: 8 s of the stream copied to a file.
        QTemporaryDir dir;
        auto file = dir.filePath("capture.flv");
        QString log;
        double apiBitrate = 0;
        double apiFps = 0;
        int samples = 0;
        QProcess capture;
        capture.start("ffmpeg",
                      {"-hide_banner", "-loglevel", "error", "-i", studio.flvUrl("live/itest"),
                       "-t", "8", "-map", "0:v", "-c", "copy", "-y", file});
        for (int i = 0; i < 6; ++i) {
            QTest::qWait(1300);
            auto s = apiStream();
            auto v = s.value("video").toObject();
            apiBitrate += v.value("bitrate_kbps").toDouble();
            apiFps += v.value("fps").toDouble();
            ++samples;
        }
        QVERIFY(finished(capture, 30000));
        apiBitrate /= samples;
        apiFps /= samples;

        QProcess probe;
        probe.start("ffprobe", {"-v", "error", "-select_streams", "v", "-show_entries",
                                "packet=size,dts_time", "-of", "csv=p=0", file});
        QVERIFY(finished(probe, 30000));
        qint64 bytes = 0;
        double first = -1, last = 0;
        int packets = 0;
        for (const auto& line :
             QString::fromUtf8(probe.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
            auto parts = line.split(',');
            if (parts.size() < 2) {
                continue;
            }
            double t = parts[0].toDouble();
            if (first < 0) {
                first = t;
            }
            last = t;
            bytes += parts[1].toLongLong();
            ++packets;
        }
        QVERIFY(packets > 100);
        double seconds = last - first;
        double sentKbps = bytes * 8 / seconds / 1000;
        double sentFps = (packets - 1) / seconds;
        qInfo("sent %.1f kbit/s %.2f fps; API %.1f kbit/s %.2f fps", sentKbps, sentFps, apiBitrate,
              apiFps);
        QVERIFY(std::abs(apiBitrate - sentKbps) <= 0.10 * sentKbps);
        QVERIFY(std::abs(apiFps - sentFps) <= 0.10 * sentFps);

        auto s = apiStream();
        auto v = s.value("video").toObject();
        QCOMPARE(v.value("codec").toString(), QString("h264"));
        QCOMPARE(v.value("width").toInt(), 1280);
        QCOMPARE(v.value("height").toInt(), 720);
        QCOMPARE(qRound(v.value("keyframe_interval_seconds").toDouble()), 2);
        auto a = s.value("audio").toObject();
        QCOMPARE(a.value("codec").toString(), QString("aac"));
        QCOMPARE(a.value("sample_rate").toInt(), 48000);
        QCOMPARE(a.value("channels").toInt(), 2);
        QVERIFY(s.value("publisher").toObject().value("address").toString().contains("127.0.0.1"));
        QVERIFY(s.value("uptime_seconds").toDouble() > 5);
    }

    void apiNeedsToken() {
        auto url = QString("http://127.0.0.1:%1/api/v1/summary").arg(studio.httpPort());
        QCOMPARE(httpRequest("GET", url).status, 401);
        QCOMPARE(httpRequest("GET", url, "wrong-token-wrong-token-wrong-to").status, 401);
        auto ok = httpRequest("GET", url, token);
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json().value("streams").toInt(), 1);
        QVERIFY(ok.json().value("publish_auth").toBool());
    }

    void metricsAreValidPrometheusText() {
        auto r = httpRequest("GET", QString("http://127.0.0.1:%1/metrics").arg(studio.httpPort()),
                             token);
        QCOMPARE(r.status, 200);
        auto text = QString::fromUtf8(r.body);
        auto problem = prometheusProblem(text);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(text.contains("stagecast_streams 1"));
        QVERIFY(
            text.contains("stagecast_stream_video_bitrate_bits_per_second{stream=\"live/itest\"}"));
    }

    void clientsListAndKick() {
        auto base = QString("http://127.0.0.1:%1/api/v1/").arg(studio.httpPort());
        auto clients =
            httpRequest("GET", base + "clients", token).json().value("clients").toArray();
        qint64 publisherId = 0;
        for (const auto& c : clients) {
            if (c.toObject().value("role").toString() == "publisher") {
                publisherId = c.toObject().value("id").toInteger();
                QCOMPARE(c.toObject().value("stream").toString(), QString("live/itest"));
                QVERIFY(c.toObject().value("bytes_in").toInteger() > 100000);
            }
        }
        QVERIFY(publisherId > 0);
        QCOMPARE(httpRequest("DELETE", base + "clients/999999", token).status, 404);
        QCOMPARE(httpRequest("DELETE", base + "clients/abc", token).status, 400);
        QCOMPARE(
            httpRequest("DELETE", base + "clients/" + QString::number(publisherId), token).status,
            200);
        QVERIFY(studio.waitForLog("kicked by operator", 5000));
        QVERIFY(finished(*publisher, 10000)); // ffmpeg sees the connection end
    }

    void sigtermClosesEverySession() {
        auto url = studio.sign(studio.rtmpUrl("live/last"));
        PublisherSpec spec;
        spec.url = url;
        spec.size = "320x240";
        spec.seconds = 60;
        auto pub = Ffmpeg::publish(spec);
        QVERIFY(studio.waitForLog("publishes live/last", 15000));
        QCOMPARE(studio.stop(), 0);
        auto log = studio.log();
        QVERIFY2(log.contains("closing every session"), qPrintable(log));
        QVERIFY2(log.contains("server shutting down"), qPrintable(log));
        QVERIFY(finished(*pub, 10000));
    }
};

QTEST_GUILESS_MAIN(tst_PublishPlay)
#include "tst_PublishPlay.moc"
