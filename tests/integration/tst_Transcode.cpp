// The transcoder in the real studio (issue 5, must-show 3): a 1080p ffmpeg publish (testsrc2
// 1920x1080 30 fps + sine, an 8 s file published in real time, looped) with a 720p + 360p
// rule. Both renditions play over RTMP and HLS (ffprobe: h264 1280x720 and 640x360), their
// keyframes fall on the same timestamps (ffprobe -show_packets, on the 2 s grid), and the
// multi-variant playlist lists them with the template's BANDWIDTH and their RESOLUTION. The
// API lists per-rendition figures, starts an on-demand transcode (skipping what would
// upscale), refuses bad requests with the reason, and stops it.

#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

/// ffprobe's video packets of `url` over `seconds`: (pts in ms, keyframe).
QList<QPair<qint64, bool>> videoPackets(QProcess& p) {
    QList<QPair<qint64, bool>> out;
    for (const auto& line : QString::fromUtf8(p.readAllStandardOutput()).split('\n')) {
        const auto f = line.trimmed().split(',');
        if (f.size() < 2 || f[0].isEmpty() || f[0] == "N/A") {
            continue;
        }
        out.append({qRound64(f[0].toDouble() * 1000), f[1].startsWith('K')});
    }
    return out;
}

std::unique_ptr<QProcess> startPacketProbe(const QString& url, int seconds) {
    auto p = std::make_unique<QProcess>();
    p->start("ffprobe", {"-hide_banner", "-v", "error", "-rw_timeout", "10000000",
                         "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags",
                         "-read_intervals", QString("%+%1").arg(seconds), "-of", "csv=p=0", url});
    return p;
}

/// Keyframe times of a probe's packets within [from, to].
std::set<qint64> keyframesWithin(const QList<QPair<qint64, bool>>& packets, qint64 from,
                                 qint64 to) {
    std::set<qint64> out;
    for (const auto& [pts, key] : packets) {
        if (key && pts >= from && pts <= to) {
            out.insert(pts);
        }
    }
    return out;
}

QJsonObject videoStream(const QJsonObject& probe) {
    for (const auto& s : probe.value("streams").toArray()) {
        if (s.toObject().value("codec_type").toString() == "video") {
            return s.toObject();
        }
    }
    return {};
}

} // namespace

class tst_Transcode : public QObject {
    Q_OBJECT

    StudioProcess studio;
    QTemporaryDir dir;
    QString input;
    std::unique_ptr<QProcess> publisher;

    QString api(const QString& path) const {
        return QString("http://127.0.0.1:%1%2").arg(studio.httpPort()).arg(path);
    }
    /// Signed: play auth is on, so the multi-variant playlist must sign its variants.
    QString hls(const QString& stream) const {
        return studio.sign(
            QString("http://127.0.0.1:%1/%2.m3u8").arg(studio.httpPort()).arg(stream));
    }
    QString rtmp(const QString& stream) const { return studio.sign(studio.rtmpUrl(stream)); }
    QJsonObject transcodeOf(const QString& stream) {
        auto r = httpRequest("GET", api("/api/v1/transcodes"), studio.apiToken());
        for (const auto& t : r.json().value("transcodes").toArray()) {
            if (t.toObject().value("stream").toString() == stream) {
                return t.toObject();
            }
        }
        return {};
    }
    bool renditionsLive(const QString& stream, int count) {
        auto t = transcodeOf(stream);
        int live = 0;
        for (const auto& r : t.value("renditions").toArray()) {
            live += r.toObject().value("live").toBool() &&
                            r.toObject().value("encoded_frames").toInt() > 60
                        ? 1
                        : 0;
        }
        return t.value("state").toString() == "transcoding" && live == count;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        input = dir.filePath("in1080.flv");
        QString log;
        // Made once, faster than real time; published with -re so only the studio transcodes.
        QCOMPARE(Ffmpeg::run(
                     {"-hide_banner", "-loglevel", "error", "-y",
                      "-f",           "lavfi",     "-i",    "testsrc2=size=1920x1080:rate=30",
                      "-f",           "lavfi",     "-i",    "sine=frequency=1000:sample_rate=48000",
                      "-t",           "8",         "-c:v",  "libx264",
                      "-preset",      "ultrafast", "-g",    "60",
                      "-pix_fmt",     "yuv420p",   "-b:v",  "4000k",
                      "-c:a",         "aac",       "-b:a",  "128k",
                      "-ac",          "2",         "-f",    "flv",
                      input},
                     &log, 120000),
                 0);
        // A generous queue: this machine is shared, and this test is about alignment.
        studio.setConfig("[auth]\nplay = true\n\n[hls]\nsegment_ms = 2000\nwindow_segments = 4\n\n"
                         "[transcode]\nqueue_ms = 10000\n\n"
                         "[[transcode.rule]]\npattern = \"live/*\"\n"
                         "renditions = [\"720p\", \"360p\"]\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
    }

    void ruleMakesAlignedRenditions() {
        publisher = std::make_unique<QProcess>();
        publisher->setProcessChannelMode(QProcess::MergedChannels);
        publisher->start("ffmpeg", {"-hide_banner", "-loglevel", "warning", "-re", "-stream_loop",
                                    "-1", "-i", input, "-c", "copy", "-f", "flv",
                                    studio.sign(studio.rtmpUrl("live/town"))});
        QTRY_VERIFY_WITH_TIMEOUT(renditionsLive("live/town", 2), 40000);

        // RTMP: codec and size.
        const std::map<QString, QPair<int, int>> sizes = {{"live/town_720p", {1280, 720}},
                                                          {"live/town_360p", {640, 360}}};
        for (const auto& [stream, size] : sizes) {
            QString err;
            const auto v = videoStream(Ffmpeg::probe(rtmp(stream), &err));
            QVERIFY2(!v.isEmpty(), qPrintable(stream + ": " + err));
            QCOMPARE(v.value("codec_name").toString(), QString("h264"));
            QCOMPARE(v.value("width").toInt(), size.first);
            QCOMPARE(v.value("height").toInt(), size.second);
        }

        // RTMP: both renditions read at once; their keyframes are the same pictures.
        auto p720 = startPacketProbe(rtmp("live/town_720p"), 7);
        auto p360 = startPacketProbe(rtmp("live/town_360p"), 7);
        QVERIFY(p720->waitForFinished(60000) && p360->waitForFinished(60000));
        const auto a = videoPackets(*p720);
        const auto b = videoPackets(*p360);
        QVERIFY2(a.size() > 60 && b.size() > 60,
                 qPrintable(QString("%1 and %2 packets").arg(a.size()).arg(b.size())));
        const qint64 from = std::max(a.first().first, b.first().first);
        const qint64 to = std::min(a.last().first, b.last().first);
        const auto ka = keyframesWithin(a, from, to);
        const auto kb = keyframesWithin(b, from, to);
        QVERIFY2(ka.size() >= 2, qPrintable(QString("%1 keyframes in common time").arg(ka.size())));
        QVERIFY(ka == kb);
        for (auto pts : ka) {
            // The first picture of each 2 s interval of source time (30 fps: within 34 ms).
            QVERIFY2(pts % 2000 < 34, qPrintable(QString("keyframe at %1 ms").arg(pts)));
        }

        // HLS: each rendition's own media playlist plays, with the same alignment.
        for (const auto& [stream, size] : sizes) {
            QString err;
            const auto v = videoStream(Ffmpeg::probe(hls(stream), &err));
            QVERIFY2(!v.isEmpty(), qPrintable(stream + " over HLS: " + err));
            QCOMPARE(v.value("codec_name").toString(), QString("h264"));
            QCOMPARE(v.value("width").toInt(), size.first);
            QCOMPARE(v.value("height").toInt(), size.second);
        }
        auto h720 = startPacketProbe(hls("live/town_720p"), 6);
        auto h360 = startPacketProbe(hls("live/town_360p"), 6);
        QVERIFY(h720->waitForFinished(60000) && h360->waitForFinished(60000));
        const auto ha = videoPackets(*h720);
        const auto hb = videoPackets(*h360);
        QVERIFY2(ha.size() > 30 && hb.size() > 30, "HLS renditions gave too few packets");
        const auto hk720 = keyframesWithin(ha, std::max(ha.first().first, hb.first().first),
                                           std::min(ha.last().first, hb.last().first));
        const auto hk360 = keyframesWithin(hb, std::max(ha.first().first, hb.first().first),
                                           std::min(ha.last().first, hb.last().first));
        QVERIFY(!hk720.empty());
        QVERIFY(hk720 == hk360);
    }

    void multiVariantPlaylist() {
        auto r = httpRequest("GET", hls("live/town_abr"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.contentType, QString("application/vnd.apple.mpegurl"));
        const auto text = QString::fromUtf8(r.body);
        const auto lines = text.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.value(0) == "#EXTM3U", r.body.constData());
        // Play auth is on: each variant URI is signed for its own playlist.
        auto signedEntry = [&](const QString& name) {
            for (int i = 1; i < lines.size(); ++i) {
                if (lines[i].startsWith(name + "?auth_key=")) {
                    return lines[i - 1];
                }
            }
            return QString();
        };
        const auto source = signedEntry("town.m3u8");
        const auto v720 = signedEntry("town_720p.m3u8");
        const auto v360 = signedEntry("town_360p.m3u8");
        QVERIFY2(source.contains("RESOLUTION=1920x1080"), qPrintable(text));
        // Peak = the template's maxrate + the 128 kb/s audio budget.
        QVERIFY2(v720.startsWith("#EXT-X-STREAM-INF:BANDWIDTH=3128000,AVERAGE-BANDWIDTH=3128000,"),
                 qPrintable(text));
        QVERIFY2(v720.contains("RESOLUTION=1280x720"), qPrintable(text));
        QVERIFY2(v720.contains("CODECS=\"avc1.64001f,mp4a.40.2\""), qPrintable(text));
        QVERIFY2(v720.contains("FRAME-RATE=30.000"), qPrintable(text));
        QVERIFY2(v360.startsWith("#EXT-X-STREAM-INF:BANDWIDTH=828000,AVERAGE-BANDWIDTH=828000,"),
                 qPrintable(text));
        QVERIFY2(v360.contains("RESOLUTION=640x360"), qPrintable(text));
        QVERIFY2(v360.contains("CODECS=\"avc1.4d401e,mp4a.40.2\""), qPrintable(text));
        // Every listed URI (relative to the playlist) plays at the RESOLUTION it is listed with.
        for (int i = 1; i < lines.size(); ++i) {
            if (!lines[i - 1].startsWith("#EXT-X-STREAM-INF:")) {
                continue;
            }
            static const QRegularExpression res("RESOLUTION=(\\d+)x(\\d+)");
            const auto m = res.match(lines[i - 1]);
            QVERIFY2(m.hasMatch(), qPrintable(lines[i - 1]));
            const auto url = QUrl(hls("live/town_abr")).resolved(QUrl(lines[i])).toString();
            QString err;
            const auto v = videoStream(Ffmpeg::probe(url, &err));
            QVERIFY2(!v.isEmpty(), qPrintable(url + ": " + err));
            QCOMPARE(v.value("width").toInt(), m.captured(1).toInt());
            QCOMPARE(v.value("height").toInt(), m.captured(2).toInt());
        }
        // Unsigned, the multi-variant playlist is refused like any play.
        auto unsignedList = httpRequest(
            "GET", QString("http://127.0.0.1:%1/live/town_abr.m3u8").arg(studio.httpPort()));
        QCOMPARE(unsignedList.status, 403);
        // A stream without renditions has none.
        auto none = httpRequest("GET", hls("live/nothing_abr"));
        QCOMPARE(none.status, 404);
        QVERIFY(none.body.contains("no renditions of live/nothing"));
    }

    void apiFigures() {
        const auto t = transcodeOf("live/town");
        QCOMPARE(t.value("origin").toString(), QString("rule live/*"));
        QCOMPARE(t.value("source").toObject().value("width").toInt(), 1920);
        QCOMPARE(t.value("multivariant").toString(), QString("/live/town_abr.m3u8"));
        for (const auto& v : t.value("renditions").toArray()) {
            const auto r = v.toObject();
            QVERIFY2(r.value("fps").toDouble() > 0, qPrintable(r.value("name").toString()));
            QVERIFY(r.contains("speed") && r.contains("dropped_frames"));
            QVERIFY(r.value("encoded_frames").toInt() > 100);
        }
        // Already transcoded by the rule; unknown template; bad mode.
        auto again = httpSend("POST", api("/api/v1/transcodes"),
                              R"({"stream":"live/town","renditions":["480p"]})", studio.apiToken());
        QCOMPARE(again.status, 409);
        QVERIFY(again.body.contains("live/town is already transcoded"));
        auto bad = httpSend("POST", api("/api/v1/transcodes"),
                            R"({"stream":"other/cam","renditions":["240p"]})", studio.apiToken());
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.body.contains("choose from 1080p, 720p, 480p, 360p"), bad.body.constData());
        auto mode = httpSend("POST", api("/api/v1/transcodes"),
                             R"({"stream":"other/cam","renditions":["360p"],"mode":"crf"})",
                             studio.apiToken());
        QCOMPARE(mode.status, 400);
        auto anonymous = httpSend("POST", api("/api/v1/transcodes"),
                                  R"({"stream":"other/cam","renditions":["360p"]})");
        QCOMPARE(anonymous.status, 401);
    }

    void onDemandSkipsUpscaleAndStops() {
        publisher->kill(); // the 1080p rule transcode ends with its source
        publisher->waitForFinished(5000);
        PublisherSpec spec;
        spec.url = studio.sign(studio.rtmpUrl("other/cam"));
        spec.seconds = 120;
        spec.size = "640x360";
        auto cam = Ffmpeg::publish(spec);
        auto started =
            httpSend("POST", api("/api/v1/transcodes"),
                     R"({"stream":"other/cam","renditions":["720p","360p"]})", studio.apiToken());
        QCOMPARE(started.status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(renditionsLive("other/cam", 1), 30000);
        const auto t = transcodeOf("other/cam");
        QCOMPARE(t.value("origin").toString(), QString("api"));
        const auto skipped = t.value("skipped").toArray();
        QCOMPARE(skipped.size(), 1);
        QCOMPARE(skipped[0].toObject().value("reason").toString(),
                 QString("720p is above the source's 640x360: never upscaled"));
        const auto v = videoStream(Ffmpeg::probe(rtmp("other/cam_360p")));
        QCOMPARE(v.value("height").toInt(), 360);
        auto stopped =
            httpRequest("DELETE", api("/api/v1/transcodes/other/cam"), studio.apiToken());
        QCOMPARE(stopped.status, 204);
        auto gone = httpRequest("GET", api("/api/v1/streams/other/cam_360p"), studio.apiToken());
        QVERIFY(gone.status == 404 || !gone.json().value("live").toBool());
        QCOMPARE(
            httpRequest("DELETE", api("/api/v1/transcodes/other/cam"), studio.apiToken()).status,
            404);
        cam->kill();
        cam->waitForFinished(5000);
    }

    void cleanupTestCase() {
        if (publisher) {
            publisher->kill();
            publisher->waitForFinished(5000);
        }
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Transcode)
#include "tst_Transcode.moc"
