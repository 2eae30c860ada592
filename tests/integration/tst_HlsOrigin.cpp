// HLS sent to an HTTP origin (hls.origin_url), received by a real HTTP server on loopback
// (HttpSink): an ffmpeg RTMP publish becomes PUTs of segments and playlists under
// ORIGIN/APP/STREAM/ with the right Content-Type and header; the segments the playlist lists,
// joined in its order, decode as the published H.264/AAC; segments that left the window are
// DELETEd; an origin that goes away for a few seconds is reconnected to, uploads resume,
// the API shows the errors and reconnects, and the studio's own HLS keeps serving. An https
// origin (nginx's TLS stream proxy with a fresh self-signed certificate for "localhost" in
// front of the sink) is used when trusted through hls.origin_ca_file, refused by the
// certificate check when not (the API names the reason, nothing reaches the origin), and
// used again with hls.origin_tls_verify = false. A bad origin URL or CA file stops the studio
// at startup with a message naming the key.

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "HttpSink.h"
#include "NginxRtmp.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

struct Playlist {
    qint64 sequence = -1;
    double total = 0;
    QStringList uris;
};

Playlist parse(const QByteArray& body) {
    Playlist p;
    for (const auto& raw : QString::fromUtf8(body).split('\n', Qt::SkipEmptyParts)) {
        const auto line = raw.trimmed();
        if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
            p.sequence = line.mid(22).toLongLong();
        } else if (line.startsWith("#EXTINF:")) {
            p.total += line.mid(8).section(',', 0, 0).toDouble();
        } else if (!line.startsWith('#')) {
            p.uris << line;
        }
    }
    return p;
}

std::unique_ptr<QProcess> publish(StudioProcess& studio, const QString& stream, int seconds) {
    PublisherSpec spec;
    spec.url = studio.sign(studio.rtmpUrl(stream));
    spec.seconds = seconds;
    spec.size = "640x360";
    spec.gopFrames = 30; // a keyframe every second: 1 s segments
    return Ffmpeg::publish(spec);
}

/// The stream's origin figures from GET /api/v1/streams/APP/STREAM (empty if none).
QJsonObject originStats(StudioProcess& studio, const QString& stream) {
    auto r = httpRequest(
        "GET", QString("http://127.0.0.1:%1/api/v1/streams/%2").arg(studio.httpPort()).arg(stream),
        studio.apiToken());
    for (const auto& o : r.json().value("hls_outputs").toArray()) {
        if (o.toObject().value("output").toString() == "origin") {
            return o.toObject();
        }
    }
    return {};
}

/// Waits until the origin's playlist of `stream` starts at `sequence` or later.
Playlist waitForPlaylist(HttpSink& sink, const QString& path, qint64 sequence, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    auto p = parse(sink.put(path).body);
    while (p.sequence < sequence && t.elapsed() < timeoutMs) {
        QTest::qWait(200);
        p = parse(sink.put(path).body);
    }
    return p;
}

QString originConfig(const HttpSink& sink) {
    return QString("[hls]\nmode = \"always\"\nsegment_ms = 1000\nwindow_segments = 3\n"
                   "origin_url = \"%1\"\norigin_header = \"Authorization: Bearer T0ken\"\n"
                   "origin_timeout_ms = 1000\n")
        .arg(sink.url("/hls"));
}

} // namespace

class tst_HlsOrigin : public QObject {
    Q_OBJECT

    QTemporaryDir dir;

private slots:
    void segmentsAndPlaylistsArePut() {
        HttpSink sink;
        QVERIFY(sink.start());
        StudioProcess studio;
        studio.setConfig(originConfig(sink));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        auto pub = publish(studio, "live/cdn", 12);
        QVERIFY2(studio.waitForLog("publishes live/cdn", 15000), qPrintable(studio.log()));
        QVERIFY(finished(*pub, 60000));
        // 12 s in 1 s segments: the window has moved past the first 7 (3 listed + 4 extra).
        const QString index = "/hls/live/cdn/index.m3u8";
        auto p = waitForPlaylist(sink, index, 7, 20000);
        QVERIFY2(p.sequence >= 7, sink.put(index).body.constData());
        const auto stored = sink.put(index);
        QCOMPARE(stored.contentType, QByteArray("application/vnd.apple.mpegurl"));
        QCOMPARE(stored.authorization, QByteArray("Bearer T0ken"));
        QCOMPARE(p.uris.size(), 3);

        // The listed segments, joined in playlist order, are the stream.
        const auto joined = dir.filePath("joined.ts");
        QFile out(joined);
        QVERIFY(out.open(QIODevice::WriteOnly));
        for (int i = 0; i < p.uris.size(); ++i) {
            QCOMPARE(p.uris[i], QString("%1.ts").arg(p.sequence + i));
            const auto segment = sink.put("/hls/live/cdn/" + p.uris[i]);
            QVERIFY2(segment.count > 0, qPrintable(p.uris[i]));
            QCOMPARE(segment.contentType, QByteArray("video/mp2t"));
            QCOMPARE(segment.body.at(0), '\x47'); // MPEG-TS sync byte
            out.write(segment.body);
        }
        out.close();
        const auto probe = Ffmpeg::probe(joined);
        QStringList codecs;
        for (const auto& s : probe.value("streams").toArray()) {
            const auto o = s.toObject();
            codecs << o.value("codec_name").toString();
            if (o.value("codec_type").toString() == "video") {
                QCOMPARE(o.value("width").toInt(), 640);
                QCOMPARE(o.value("height").toInt(), 360);
            }
        }
        codecs.sort();
        QCOMPARE(codecs, QStringList({"aac", "h264"}));
        QString log;
        QCOMPARE(Ffmpeg::run({"-v", "error", "-i", joined, "-f", "null", "-"}, &log), 0);
        QVERIFY2(log.trimmed().isEmpty(), qPrintable(log));
        QString durationText;
        QProcess ffprobe;
        ffprobe.start("ffprobe", {"-v", "error", "-show_entries", "format=duration", "-of",
                                  "csv=p=0", joined});
        QVERIFY(ffprobe.waitForFinished(30000));
        const double duration = ffprobe.readAllStandardOutput().trimmed().toDouble();
        QVERIFY2(qAbs(duration - p.total) < 0.5,
                 qPrintable(QString("decoded %1 s, playlist %2 s").arg(duration).arg(p.total)));

        // Segments out of the window (and the 4 extra) were deleted, and only those.
        const auto deletes = sink.deletes();
        QVERIFY2(deletes.contains("/hls/live/cdn/0.ts"), qPrintable(deletes.join(' ')));
        for (const auto& d : deletes) {
            const auto seq = d.section('/', -1).section('.', 0, 0).toLongLong();
            QVERIFY2(seq + 7 <= p.sequence + p.uris.size() - 1, qPrintable(d));
        }
        QCOMPARE(sink.put("/hls/live/cdn/0.ts").count, 0);
        const auto stats = originStats(studio, "live/cdn");
        QCOMPARE(stats.value("state").toString(), QString("ok"));
        QVERIFY(stats.value("segments").toInt() >= 10);
        QVERIFY(stats.value("removed").toInt() >= 1);
        QCOMPARE(stats.value("errors").toInt(), 0);
        // One keep-alive connection carried it all.
        QCOMPARE(sink.connections(), 1);
        QCOMPARE(studio.stop(), 0);
    }

    void originGoingAwayIsRetried() {
        HttpSink sink;
        QVERIFY(sink.start());
        StudioProcess studio;
        studio.setConfig(originConfig(sink));
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        auto pub = publish(studio, "live/flaky", 60);
        QVERIFY2(studio.waitForLog("publishes live/flaky", 15000), qPrintable(studio.log()));
        const QString index = "/hls/live/flaky/index.m3u8";
        auto before = waitForPlaylist(sink, index, 1, 30000);
        QVERIFY2(before.sequence >= 1, qPrintable(studio.log()));

        sink.stop();
        const QString prefix = "HLS origin: PUT " + sink.url("/hls/live/flaky/");
        QVERIFY2(studio.waitForLog(prefix, 15000), qPrintable(studio.log()));
        QVERIFY2(studio.waitForLog("Connection refused", 5000), qPrintable(studio.log()));
        auto down = originStats(studio, "live/flaky");
        QVERIFY2(down.value("errors").toInt() > 0, qPrintable(QJsonDocument(down).toJson()));
        QVERIFY2(down.value("state").toString() == "retrying",
                 qPrintable(QJsonDocument(down).toJson()));
        QVERIFY(down.value("last_error").toString().contains("cannot connect"));
        // The studio's own HLS serves on meanwhile.
        const auto studioHls =
            QString("http://127.0.0.1:%1/live/flaky.m3u8").arg(studio.httpPort());
        auto live = httpRequest("GET", studioHls);
        QCOMPARE(live.status, 200);
        const auto listed = parse(live.body);
        QVERIFY(!listed.uris.isEmpty());
        QCOMPARE(httpRequest("GET", live.url.resolved(QUrl(listed.uris.last())).toString()).status,
                 200);
        QTest::qWait(3000);
        const auto stalled = parse(sink.put(index).body).sequence;

        QVERIFY(sink.start());
        auto after = waitForPlaylist(sink, index, stalled + 3, 30000);
        QVERIFY2(after.sequence >= stalled + 3, qPrintable(studio.log()));
        for (const auto& uri : after.uris) {
            QVERIFY2(sink.put("/hls/live/flaky/" + uri).count > 0, qPrintable(uri));
        }
        auto up = originStats(studio, "live/flaky");
        QCOMPARE(up.value("state").toString(), QString("ok"));
        QVERIFY(up.value("reconnects").toInt() >= 1);
        QVERIFY(up.value("errors").toInt() >= down.value("errors").toInt());
        QVERIFY(studio.waitForLog("HLS origin: storing again", 5000));
        QVERIFY(sink.connections() >= 2);
        pub->kill();
        pub->waitForFinished();
        QCOMPARE(studio.stop(), 0);
    }

    void httpsOriginIsVerified() {
        HttpSink sink;
        QVERIFY(sink.start());
        NginxRtmp nginx;
        QVERIFY2(nginx.enableTls(), qPrintable(nginx.error()));
        const int tlsPort = nginx.addTlsProxy(sink.port());
        QVERIFY2(nginx.start(), qPrintable(nginx.error()));
        const auto https = QString("https://localhost:%1/hls").arg(tlsPort);
        const auto config = [&](const QString& extra) {
            return QString("[hls]\nmode = \"always\"\nsegment_ms = 1000\nwindow_segments = 3\n"
                           "origin_url = \"%1\"\norigin_timeout_ms = 2000\n%2")
                .arg(https, extra);
        };
        // One studio per case, publishing (60 s, killed at the end) while the case looks.
        StudioProcess studio;
        std::unique_ptr<QProcess> pub;
        const auto start = [&](const QString& extra, const QString& stream) {
            studio.setConfig(config(extra));
            if (!studio.start()) {
                return false;
            }
            pub = publish(studio, "live/" + stream, 60);
            return studio.waitForLog("publishes live/" + stream, 15000);
        };
        const auto end = [&] {
            pub->kill();
            pub->waitForFinished();
            return studio.stop();
        };

        // Trusted through the CA file: segments and playlists arrive over TLS.
        QVERIFY2(start("origin_ca_file = \"" + nginx.certFile() + "\"\n", "tlsok"),
                 qPrintable(studio.error() + studio.log()));
        auto p = waitForPlaylist(sink, "/hls/live/tlsok/index.m3u8", 1, 20000);
        QVERIFY2(p.sequence >= 1, qPrintable(studio.log()));
        QVERIFY(sink.put("/hls/live/tlsok/" + p.uris.last()).body.startsWith('\x47'));
        auto ok = originStats(studio, "live/tlsok");
        QCOMPARE(ok.value("state").toString(), QString("ok"));
        QCOMPARE(ok.value("errors").toInt(), 0);
        QCOMPARE(end(), 0);

        // The system's CAs do not know the self-signed certificate: refused, and said why.
        QVERIFY2(start("", "tlsbad"), qPrintable(studio.error() + studio.log()));
        QVERIFY2(studio.waitForLog("certificate verify failed", 20000), qPrintable(studio.log()));
        auto bad = originStats(studio, "live/tlsbad");
        QVERIFY2(bad.value("errors").toInt() > 0, qPrintable(QJsonDocument(bad).toJson()));
        QVERIFY2(bad.value("last_error").toString().contains("certificate verify failed"),
                 qPrintable(QJsonDocument(bad).toJson()));
        QVERIFY(sink.putPaths().filter("/tlsbad/").isEmpty());
        QCOMPARE(end(), 0);

        // Verification off: the same origin is used (and a warning was logged at start).
        QVERIFY2(start("origin_tls_verify = false\n", "tlsoff"),
                 qPrintable(studio.error() + studio.log()));
        QVERIFY(studio.log().contains("hls.origin_tls_verify is off"));
        p = waitForPlaylist(sink, "/hls/live/tlsoff/index.m3u8", 1, 20000);
        QVERIFY2(p.sequence >= 1, qPrintable(studio.log()));
        QCOMPARE(end(), 0);
    }

    void badOriginCaFileIsRefused() {
        StudioProcess bad;
        bad.setConfig("[hls]\norigin_url = \"https://localhost:9/in\"\n"
                      "origin_ca_file = \"/nonexistent/ca.pem\"\n");
        QVERIFY(!bad.start(8000));
        QVERIFY2(bad.error().contains("hls.origin_ca_file: '/nonexistent/ca.pem' is not a "
                                      "readable file"),
                 qPrintable(bad.error()));
    }

    void badOriginUrlIsRefused() {
        StudioProcess bad;
        bad.setConfig("[hls]\norigin_url = \"ftp://cdn.example/in\"\n");
        QVERIFY(!bad.start(8000));
        QVERIFY2(bad.error().contains("hls.origin_url: 'ftp://cdn.example/in' must start with "
                                      "http:// or https://"),
                 qPrintable(bad.error()));
    }
};

QTEST_GUILESS_MAIN(tst_HlsOrigin)
#include "tst_HlsOrigin.moc"
