// HLS (MPEG-TS) from the real studio, read by real players: an ffmpeg RTMP publish becomes a
// live playlist whose segments start with keyframes, whose EXT-X-TARGETDURATION covers every
// segment and whose media sequence runs on; ffmpeg decodes it; a publisher restart adds a
// discontinuity; viewers count as sessions, not requests; play auth guards playlists and
// segments.

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "SqliteFile.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

struct Playlist {
    int target = -1;
    qint64 sequence = -1;
    QList<double> durations;
    QStringList uris;
    int discontinuities = 0;
};

Playlist parse(const QByteArray& body) {
    Playlist p;
    double pending = -1;
    for (const auto& raw : QString::fromUtf8(body).split('\n', Qt::SkipEmptyParts)) {
        auto line = raw.trimmed();
        if (line.startsWith("#EXT-X-TARGETDURATION:")) {
            p.target = line.mid(22).toInt();
        } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
            p.sequence = line.mid(22).toLongLong();
        } else if (line.startsWith("#EXTINF:")) {
            pending = line.mid(8).section(',', 0, 0).toDouble();
        } else if (line == "#EXT-X-DISCONTINUITY") {
            ++p.discontinuities;
        } else if (!line.startsWith('#') && pending >= 0) {
            p.durations << pending;
            p.uris << line;
            pending = -1;
        }
    }
    return p;
}

std::unique_ptr<QProcess> publish(StudioProcess& studio, const QString& stream, int seconds) {
    PublisherSpec spec;
    spec.url = studio.sign(studio.rtmpUrl(stream));
    spec.seconds = seconds;
    spec.size = "640x360";
    spec.gopFrames = 30; // a keyframe every second
    return Ffmpeg::publish(spec);
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

int hlsPlayers(StudioProcess& studio, const QString& stream) {
    auto r =
        httpRequest("GET", QString("http://127.0.0.1:%1/api/v1/clients").arg(studio.httpPort()),
                    studio.apiToken());
    int n = 0;
    for (const auto& c : r.json().value("clients").toArray()) {
        auto o = c.toObject();
        n += o.value("protocol").toString() == "hls" && o.value("stream").toString() == stream &&
                     o.value("role").toString() == "player"
                 ? 1
                 : 0;
    }
    return n;
}

/// Opens an HLS viewer session: the first playlist request answers 302 to the same playlist
/// with ?hls_session=ID; returns that URL (empty on failure).
QUrl openSession(const QString& playlistUrl) {
    auto r = httpGetNoRedirect(playlistUrl);
    if (r.status != 302 || !r.location.contains("hls_session=")) {
        qWarning("no session: %d %s", r.status, r.body.constData());
        return {};
    }
    return QUrl(playlistUrl).resolved(QUrl(r.location));
}

} // namespace

class tst_HlsOutput : public QObject {
    Q_OBJECT

    StudioProcess studio;
    StudioProcess strict; // play auth on
    QTemporaryDir dir;

    QString hlsUrl(StudioProcess& s, const QString& stream) {
        return QString("http://127.0.0.1:%1/%2.m3u8").arg(s.httpPort()).arg(stream);
    }

private slots:
    void initTestCase() {
        studio.setConfig("[hls]\nsegment_ms = 2000\nwindow_segments = 3\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        strict.setConfig("[auth]\nplay = true\n");
        QVERIFY2(strict.start(), qPrintable(strict.error()));
    }

    void segmentsStartWithKeyframesAndDecode() {
        auto pub = publish(studio, "live/hls1", 40);
        QVERIFY2(studio.waitForLog("publishes live/hls1", 15000), qPrintable(studio.log()));
        auto session = openSession(hlsUrl(studio, "live/hls1"));
        QVERIFY(!session.isEmpty());
        auto first = httpRequest("GET", session.toString());
        QCOMPARE(first.status, 200);
        auto p = parse(first.body);
        QVERIFY2(p.durations.size() >= 2, first.body.constData());
        for (int i = 0; i < p.durations.size(); ++i) {
            QVERIFY2(qRound(p.durations[i]) <= p.target, first.body.constData());
            auto seg = httpRequest("GET", first.url.resolved(QUrl(p.uris[i])).toString());
            QCOMPARE(seg.status, 200);
            QVERIFY(seg.body.size() > 10000);
            auto file = dir.filePath(QString("seg%1.ts").arg(i));
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(seg.body);
            f.close();
            // The first video frame of every segment is a keyframe.
            QProcess probe;
            probe.start("ffprobe", {"-v", "error", "-select_streams", "v", "-show_entries",
                                    "frame=key_frame,pict_type", "-read_intervals", "%+#1", "-of",
                                    "csv=p=0", file});
            QVERIFY(probe.waitForFinished(30000));
            auto line = QString::fromUtf8(probe.readAllStandardOutput()).split('\n').value(0);
            QVERIFY2(line.startsWith("1,I"), qPrintable(line));
        }
        auto probe = Ffmpeg::probe(hlsUrl(studio, "live/hls1"));
        QStringList codecs;
        for (const auto& s : probe.value("streams").toArray()) {
            codecs << s.toObject().value("codec_name").toString();
        }
        codecs.removeDuplicates();
        codecs.sort();
        QCOMPARE(codecs, QStringList({"aac", "h264"}));
        auto decoded = Ffmpeg::decode(hlsUrl(studio, "live/hls1"), 4);
        QVERIFY2(decoded.videoFrames >= 90, qPrintable(decoded.log.right(1500)));
        QCOMPARE(decoded.decodeErrors, 0);

        // Media sequence runs on across reloads.
        Playlist later;
        for (int i = 0; i < 40 && later.sequence <= p.sequence; ++i) {
            QTest::qWait(500);
            later = parse(httpRequest("GET", first.url.toString()).body);
            QVERIFY(later.sequence >= p.sequence);
        }
        QVERIFY2(later.sequence > p.sequence,
                 qPrintable(QString("%1 -> %2").arg(p.sequence).arg(later.sequence)));
        QCOMPARE(later.durations.size(), 3); // the window is full and slides

        // A publisher restart: a later playlist carries EXT-X-DISCONTINUITY.
        pub->kill();
        pub->waitForFinished();
        auto again = publish(studio, "live/hls1", 30);
        QVERIFY(studio.waitForLog("publishes live/hls1", 15000));
        bool seen = false;
        for (int i = 0; i < 30 && !seen; ++i) {
            QTest::qWait(500);
            seen = parse(httpRequest("GET", first.url.toString()).body).discontinuities > 0;
        }
        QVERIFY2(seen, qPrintable(studio.log().right(2000)));
        again->kill();
        again->waitForFinished();
    }

    void viewersAreSessionsNotRequests() {
        auto pub = publish(studio, "live/hls2", 30);
        QVERIFY(studio.waitForLog("publishes live/hls2", 15000));
        QCOMPARE(hlsPlayers(studio, "live/hls2"), 0);
        auto session = openSession(hlsUrl(studio, "live/hls2"));
        QVERIFY(!session.isEmpty());
        auto first = httpRequest("GET", session.toString());
        QCOMPARE(first.status, 200);
        for (int i = 0; i < 3; ++i) {
            auto p = parse(httpRequest("GET", first.url.toString()).body);
            QVERIFY(!p.uris.isEmpty());
            QCOMPARE(httpRequest("GET", first.url.resolved(QUrl(p.uris.last())).toString()).status,
                     200);
        }
        QCOMPARE(hlsPlayers(studio, "live/hls2"), 1);
        QVERIFY(!openSession(hlsUrl(studio, "live/hls2")).isEmpty());
        QCOMPARE(hlsPlayers(studio, "live/hls2"), 2);
        pub->kill();
        pub->waitForFinished();
    }

    void watchTimeEndsAtTheLastRequest() {
        // A viewer session that times out ends at its last request: its stored watch time is
        // what it watched, not that plus the session timeout.
        StudioProcess quick;
        quick.setConfig("[hls]\nsegment_ms = 1000\nsession_timeout_seconds = 5\n");
        QVERIFY2(quick.start(), qPrintable(quick.error()));
        auto pub = publish(quick, "live/watch", 60);
        QVERIFY(quick.waitForLog("publishes live/watch", 15000));
        auto session = openSession(hlsUrl(quick, "live/watch"));
        QVERIFY(!session.isEmpty());
        QElapsedTimer watched;
        watched.start();
        for (int i = 0; i < 4; ++i) {
            auto r = httpRequest("GET", session.toString());
            QCOMPARE(r.status, 200);
            QTest::qWait(500);
        }
        const auto activeMs = watched.elapsed();
        QVERIFY2(quick.waitForLog("closed: no request for 5 s", 20000), qPrintable(quick.log()));
        QTest::qWait(500); // the store's writer commits within 50 ms
        auto rows =
            sqlQuery(QDir(quick.dataDir()).filePath("stagecast.db"),
                     "SELECT v.ended_at - v.started_at FROM viewer_sessions v JOIN streams "
                     "s ON s.id = v.stream_id WHERE s.name = 'watch' AND v.protocol = 'hls'");
        QVERIFY2(rows.error.isEmpty(), qPrintable(rows.error));
        QCOMPARE(rows.rows.size(), 1);
        const auto stored = rows.rows[0][0].toLongLong();
        QVERIFY2(stored <= activeMs + 1000,
                 qPrintable(QString("stored %1 ms, active %2 ms").arg(stored).arg(activeMs)));
        pub->kill();
        pub->waitForFinished();
        QCOMPARE(quick.stop(), 0);
    }

    void folderOutputForACdn() {
        // hls.folder: segments and playlists also land on disk, playable from there; segments
        // that left the window are deleted. An unwritable folder is reported, and HLS over
        // HTTP carries on.
        StudioProcess disk;
        disk.setConfig("[hls]\nmode = \"always\"\nsegment_ms = 1000\nwindow_segments = 3\n"
                       "folder = \"hls-out\"\n");
        QVERIFY2(disk.start(), qPrintable(disk.error()));
        auto pub = publish(disk, "live/disk", 60);
        QVERIFY(disk.waitForLog("publishes live/disk", 15000));
        const QDir out(QDir(disk.dataDir()).filePath("hls-out/live/disk"));
        const auto index = out.filePath("index.m3u8");
        QElapsedTimer t;
        t.start();
        // 3 listed + 4 kept for late readers: run until more than 7 segments were made.
        while (t.elapsed() < 60000 &&
               !(QFile::exists(index) && parse(readFile(index)).sequence >= 6)) {
            QTest::qWait(500);
        }
        const auto p = parse(readFile(index));
        QVERIFY2(p.sequence >= 6, readFile(index).constData());
        QCOMPARE(p.uris.size(), 3);
        for (const auto& uri : p.uris) {
            QVERIFY2(QFile::exists(out.filePath(uri)), qPrintable(uri));
        }
        const auto files = out.entryList({"*.ts"}, QDir::Files);
        QVERIFY2(files.size() <= 8, qPrintable(files.join(' ')));
        QVERIFY(!files.contains("0.ts")); // out of the window and deleted
        QVERIFY(out.entryList({"*.tmp"}, QDir::Files).isEmpty());
        auto probe = Ffmpeg::probe(index);
        QStringList codecs;
        for (const auto& s : probe.value("streams").toArray()) {
            codecs << s.toObject().value("codec_name").toString();
        }
        codecs.sort();
        QCOMPARE(codecs, QStringList({"aac", "h264"}));
        pub->kill();
        pub->waitForFinished();
        QCOMPARE(disk.stop(), 0);

        StudioProcess bad;
        bad.setConfig("[hls]\nmode = \"always\"\nsegment_ms = 1000\nfolder = \"/proc/hls\"\n");
        QVERIFY2(bad.start(), qPrintable(bad.error()));
        auto pub2 = publish(bad, "live/disk", 30);
        QVERIFY(bad.waitForLog("publishes live/disk", 15000));
        QVERIFY2(bad.waitForLog("HLS folder: cannot create /proc/hls", 20000),
                 qPrintable(bad.log()));
        auto session = openSession(hlsUrl(bad, "live/disk"));
        QVERIFY(!session.isEmpty());
        QCOMPARE(httpRequest("GET", session.toString()).status, 200);
        pub2->kill();
        pub2->waitForFinished();
        QCOMPARE(bad.stop(), 0);
    }

    void unknownStreamIs404() {
        auto r = httpRequest("GET", hlsUrl(studio, "live/nobody"));
        QCOMPARE(r.status, 404);
        QVERIFY2(r.body.contains("live/nobody"), r.body.constData());
    }

    void playAuthGuardsPlaylistsAndSegments() {
        auto pub = publish(strict, "live/sec", 30);
        QVERIFY(strict.waitForLog("publishes live/sec", 15000));
        auto unsigned_ = httpRequest("GET", hlsUrl(strict, "live/sec"));
        QCOMPARE(unsigned_.status, 403);
        QVERIFY2(unsigned_.body.contains("play refused"), unsigned_.body.constData());
        auto signedSession = openSession(strict.sign(hlsUrl(strict, "live/sec")));
        QVERIFY(!signedSession.isEmpty());
        auto ok = httpRequest("GET", signedSession.toString());
        QCOMPARE(ok.status, 200);
        auto p = parse(ok.body);
        QVERIFY(!p.uris.isEmpty());
        auto segment = ok.url.resolved(QUrl(p.uris.last()));
        QCOMPARE(httpRequest("GET", segment.toString()).status, 200);
        // Each viewer's playlist carries its own session in every URI, also when two reloads
        // fall between the same two segments (the rendered playlist is reused).
        const QString mine = QUrlQuery(signedSession).queryItemValue("hls_session");
        auto otherSession = openSession(strict.sign(hlsUrl(strict, "live/sec")));
        const QString theirs = QUrlQuery(otherSession).queryItemValue("hls_session");
        QVERIFY(!mine.isEmpty() && !theirs.isEmpty() && mine != theirs);
        auto again = httpRequest("GET", signedSession.toString());
        auto other = httpRequest("GET", otherSession.toString());
        for (const auto& uri : parse(again.body).uris) {
            QVERIFY2(uri.endsWith("?hls_session=" + mine), qPrintable(uri));
        }
        for (const auto& uri : parse(other.body).uris) {
            QVERIFY2(uri.endsWith("?hls_session=" + theirs), qPrintable(uri));
        }
        auto forged = segment;
        forged.setQuery("hls_session=00000000000000000000000000000000");
        auto refused = httpRequest("GET", forged.toString());
        QCOMPARE(refused.status, 403);
        QVERIFY2(refused.body.contains("hls_session"), refused.body.constData());
        auto bare = segment;
        bare.setQuery(QString());
        QCOMPARE(httpRequest("GET", bare.toString()).status, 403);
        pub->kill();
        pub->waitForFinished();
    }

    void cleanupTestCase() {
        QCOMPARE(studio.stop(), 0);
        QCOMPARE(strict.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_HlsOutput)
#include "tst_HlsOutput.moc"
