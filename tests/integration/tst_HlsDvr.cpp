// The HLS DVR (time-shift) window from the real studio, read by real players: an ffmpeg RTMP
// publish of ~25 s with 1 s segments and a 3-segment live window becomes a DVR playlist at
// /APP/STREAM_dvr.m3u8 that lists far more than the live one, with contiguous sequence
// numbers and increasing EXT-X-PROGRAM-DATE-TIME; its oldest segments are files on disk with
// the bytes served; ffmpeg decodes it from the start. With a byte bound the folder stays
// within it and the window slides. Traversal attempts are refused; a restart removes what a
// killed run left; an unwritable DVR folder stops DVR (reason in the API) while live HLS plays.

#include <QDirIterator>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

struct DvrPlaylist {
    qint64 sequence = -1;
    QList<double> durations;
    QStringList uris;
    QList<QDateTime> dates; // one per segment (invalid when missing)
    QString type;
};

DvrPlaylist parse(const QByteArray& body) {
    DvrPlaylist p;
    double pending = -1;
    QDateTime date;
    for (const auto& raw : QString::fromUtf8(body).split('\n', Qt::SkipEmptyParts)) {
        auto line = raw.trimmed();
        if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
            p.sequence = line.mid(22).toLongLong();
        } else if (line.startsWith("#EXT-X-PLAYLIST-TYPE:")) {
            p.type = line.mid(21);
        } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
            date = QDateTime::fromString(line.mid(25), Qt::ISODateWithMs);
        } else if (line.startsWith("#EXTINF:")) {
            pending = line.mid(8).section(',', 0, 0).toDouble();
        } else if (!line.startsWith('#') && pending >= 0) {
            p.durations << pending;
            p.uris << line;
            p.dates << date;
            pending = -1;
            date = {};
        }
    }
    return p;
}

double total(const DvrPlaylist& p) {
    double sum = 0;
    for (double d : p.durations) {
        sum += d;
    }
    return sum;
}

/// The sequence number in a segment URI ".../SEQ.ts?hls_session=...".
qint64 sequenceOf(const QString& uri) {
    static const QRegularExpression re("/(\\d+)\\.ts(\\?|$)");
    auto m = re.match(uri);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

/// The window id in ".../dvr/ID/SEQ.ts".
QString windowIdOf(const QString& uri) {
    static const QRegularExpression re("/dvr/(\\d+)/");
    auto m = re.match(uri);
    return m.hasMatch() ? m.captured(1) : QString();
}

std::unique_ptr<QProcess> publish(StudioProcess& studio, const QString& stream, int seconds) {
    PublisherSpec spec;
    spec.url = studio.sign(studio.rtmpUrl(stream));
    spec.seconds = seconds;
    spec.size = "640x360";
    spec.gopFrames = 30; // a keyframe every second: 1 s segments
    return Ffmpeg::publish(spec);
}

QUrl openSession(const QString& playlistUrl) {
    auto r = httpGetNoRedirect(playlistUrl);
    if (r.status != 302 || !r.location.contains("hls_session=")) {
        qWarning("no session: %d %s", r.status, r.body.constData());
        return {};
    }
    return QUrl(playlistUrl).resolved(QUrl(r.location));
}

qint64 folderBytes(const QString& dir, int* files = nullptr) {
    qint64 sum = 0;
    int n = 0;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        sum += it.fileInfo().size();
        n += it.fileName().endsWith(".ts") ? 1 : 0;
    }
    if (files) {
        *files = n;
    }
    return sum;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class tst_HlsDvr : public QObject {
    Q_OBJECT

    StudioProcess studio;  // 20 s window, 64 MiB
    StudioProcess bounded; // 20 s window, 1 MiB: the byte bound hits first

    QString url(StudioProcess& s, const QString& path) {
        return QString("http://127.0.0.1:%1%2").arg(s.httpPort()).arg(path);
    }

private slots:
    void initTestCase() {
        studio.setConfig("[hls]\nsegment_ms = 1000\nwindow_segments = 3\n"
                         "dvr_window_seconds = 20\ndvr_max_bytes = 67108864\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        bounded.setConfig("[hls]\nsegment_ms = 1000\nwindow_segments = 3\n"
                          "dvr_window_seconds = 20\ndvr_max_bytes = 1048576\n");
        QVERIFY2(bounded.start(), qPrintable(bounded.error()));
    }

    void windowOutlivesTheLivePlaylistAndPlaysFromTheStart() {
        auto pub = publish(studio, "live/dvr1", 25);
        QVERIFY2(studio.waitForLog("publishes live/dvr1", 15000), qPrintable(studio.log()));
        // Nobody asked for the stream: with DVR on, packaging starts at the publish.
        QVERIFY2(studio.waitForLog("live/dvr1: DVR window", 10000), qPrintable(studio.log()));
        auto dvr = openSession(url(studio, "/live/dvr1_dvr.m3u8"));
        QVERIFY(!dvr.isEmpty());
        auto live = openSession(url(studio, "/live/dvr1.m3u8"));
        QVERIFY(!live.isEmpty());

        DvrPlaylist p;
        for (int i = 0; i < 60 && total(p) < 12; ++i) {
            QTest::qWait(500);
            auto r = httpRequest("GET", dvr.toString());
            if (r.status == 200) {
                p = parse(r.body);
            }
        }
        QVERIFY2(total(p) >= 12, qPrintable(QString::number(total(p))));
        auto liveReply = httpRequest("GET", live.toString());
        QCOMPARE(liveReply.status, 200);
        auto livePlaylist = parse(liveReply.body);
        QCOMPARE(livePlaylist.uris.size(), 3);
        QVERIFY2(p.uris.size() > livePlaylist.uris.size() + 5,
                 qPrintable(
                     QString("dvr %1, live %2").arg(p.uris.size()).arg(livePlaylist.uris.size())));

        QVERIFY(finished(*pub, 60000));
        // The publisher is gone: the window stays readable (its bound is time, not presence).
        auto reply = httpRequest("GET", dvr.toString());
        QCOMPARE(reply.status, 200);
        QCOMPARE(QString::fromLatin1(reply.header("Cache-Control")), QString("no-cache"));
        p = parse(reply.body);
        QVERIFY2(total(p) >= 18 && total(p) <= 21, reply.body.constData());
        QVERIFY2(p.sequence > 0, reply.body.constData()); // ~25 s published, 20 s kept
        QVERIFY(p.type.isEmpty()); // a sliding window: neither EVENT nor VOD (RFC 8216 4.3.3.5)
        for (int i = 0; i < p.uris.size(); ++i) {
            QCOMPARE(sequenceOf(p.uris[i]), p.sequence + i); // contiguous
            QVERIFY2(p.dates[i].isValid(), reply.body.constData());
            if (i > 0) {
                QVERIFY(p.dates[i] > p.dates[i - 1]);
                QCOMPARE(p.dates[i - 1].msecsTo(p.dates[i]), qRound64(p.durations[i - 1] * 1000));
            }
        }

        // The oldest segments are files on disk, byte for byte what is served.
        const auto id = windowIdOf(p.uris.first());
        QVERIFY(!id.isEmpty());
        const auto folder = studio.dataDir() + "/hls-dvr/live/dvr1/" + id;
        for (int i = 0; i < 3; ++i) {
            const auto file = folder + QString("/%1.ts").arg(p.sequence + i);
            QVERIFY2(QFile::exists(file), qPrintable(file));
            auto seg = httpRequest("GET", reply.url.resolved(QUrl(p.uris[i])).toString());
            QCOMPARE(seg.status, 200);
            QCOMPARE(seg.contentType, QString("video/mp2t"));
            QVERIFY(QString::fromLatin1(seg.header("Cache-Control")).contains("immutable"));
            QVERIFY(seg.body.size() > 10000);
            QCOMPARE(seg.body, readFile(file));
        }
        // Nothing older than the window is left in the folder.
        QVERIFY(!QFile::exists(folder + QString("/%1.ts").arg(p.sequence - 1)));

        // ffmpeg reads the DVR playlist from its first segment and decodes (window - 2 s).
        QString log;
        ffmpegDecodeFromStart(url(studio, "/live/dvr1_dvr.m3u8"), &log);
        static const QRegularExpression frames("frame=\\s*(\\d+)");
        int decoded = 0;
        for (auto it = frames.globalMatch(log); it.hasNext();) {
            decoded = it.next().captured(1).toInt();
        }
        QVERIFY2(decoded >= 18 * 30, qPrintable(QString::number(decoded) + "\n" + log.right(1500)));
        QVERIFY2(!log.contains("error while decoding"), qPrintable(log.right(1500)));

        // The API shows the window.
        auto api = httpRequest("GET", url(studio, "/api/v1/hls/dvr"), studio.apiToken());
        QCOMPARE(api.status, 200);
        QVERIFY(api.json().value("enabled").toBool());
        auto windows = api.json().value("windows").toArray();
        QCOMPARE(windows.size(), 1);
        auto w = windows.first().toObject();
        QCOMPARE(w.value("stream").toString(), QString("live/dvr1"));
        QCOMPARE(w.value("state").toString(), QString("recording"));
        QCOMPARE(w.value("first_sequence").toInteger(), p.sequence);
        QCOMPARE(w.value("bytes").toInteger(), folderBytes(folder));
    }

    void byteBoundKeepsTheFolderSmall() {
        auto pub = publish(bounded, "live/dvr2", 20);
        QVERIFY2(bounded.waitForLog("publishes live/dvr2", 15000), qPrintable(bounded.log()));
        auto dvr = openSession(url(bounded, "/live/dvr2_dvr.m3u8"));
        QVERIFY(!dvr.isEmpty());
        const qint64 bound = 1048576;
        qint64 firstSequence = -1;
        qint64 lastSequence = -1;
        qint64 largestSegment = 0;
        qint64 largestFolder = 0;
        int checks = 0;
        while (!finished(*pub, 500)) {
            auto r = httpRequest("GET", dvr.toString());
            if (r.status != 200) {
                continue;
            }
            auto p = parse(r.body);
            if (firstSequence < 0) {
                firstSequence = p.sequence;
            }
            lastSequence = p.sequence;
            const auto folder =
                bounded.dataDir() + "/hls-dvr/live/dvr2/" + windowIdOf(p.uris.first());
            QDirIterator it(folder, QDir::Files);
            while (it.hasNext()) {
                it.next();
                largestSegment = std::max(largestSegment, it.fileInfo().size());
            }
            largestFolder = std::max(largestFolder, folderBytes(folder));
            QVERIFY2(
                largestFolder <= bound + largestSegment,
                qPrintable(
                    QString("%1 > %2 + %3").arg(largestFolder).arg(bound).arg(largestSegment)));
            ++checks;
        }
        QVERIFY(checks > 5);
        QVERIFY2(largestFolder > bound / 2,
                 qPrintable(QString::number(largestFolder))); // it filled
        QVERIFY2(lastSequence > firstSequence,
                 qPrintable(QString("%1 -> %2").arg(firstSequence).arg(lastSequence)));
        qInfo("byte bound: folder at most %lld bytes (bound %lld, largest segment %lld), first "
              "sequence %lld -> %lld",
              largestFolder, bound, largestSegment, firstSequence, lastSequence);
    }

    void traversalIsRefused_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("dotdot escaped slash") << "/..%2F../x_dvr.m3u8";
        QTest::newRow("dotdot in name") << "/live/..%2Fsecrets_dvr.m3u8";
        QTest::newRow("escaped dots") << "/live/%2E%2E%2Fsecrets_dvr.m3u8";
        QTest::newRow("segment dotdot id") << "/live/dvr2/dvr/..%2F..%2F/1.ts";
        QTest::newRow("segment escaped name") << "/live/%2E%2E/dvr/1/1.ts";
        QTest::newRow("segment other window") << "/live/dvr2/dvr/1/1.ts";
    }

    void traversalIsRefused() {
        QFETCH(QString, path);
        auto r = httpRequest("GET", url(bounded, path));
        QVERIFY2(r.status == 400 || r.status == 404,
                 qPrintable(QString::number(r.status) + " " + r.body));
        QVERIFY(!r.body.contains("auth_key"));
    }

    void restartRemovesWhatAKilledRunLeft() {
        int files = 0;
        folderBytes(bounded.dataDir() + "/hls-dvr", &files);
        QVERIFY(files > 0); // the window of live/dvr2 is still kept
        bounded.killHard();
        QVERIFY2(bounded.start(), qPrintable(bounded.error()));
        folderBytes(bounded.dataDir() + "/hls-dvr", &files);
        QCOMPARE(files, 0);
        QVERIFY(bounded.waitForLog("segment files a previous run left", 5000));
    }

    void unwritableFolderStopsDvrNotLive() {
        StudioProcess broken;
        QTemporaryDir dir;
        const auto blocker = dir.filePath("a-file");
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x");
        f.close();
        broken.setConfig("[hls]\nsegment_ms = 1000\nwindow_segments = 3\ndvr_window_seconds = 20\n"
                         "dvr_folder = \"" +
                         blocker + "/dvr\"\n");
        QVERIFY2(broken.start(), qPrintable(broken.error()));
        auto pub = publish(broken, "live/dvr3", 15);
        QVERIFY2(broken.waitForLog("DVR stopped (live HLS carries on)", 20000),
                 qPrintable(broken.log()));
        QCOMPARE(broken.log().count("DVR stopped"), 1); // logged once
        auto api = httpRequest("GET", url(broken, "/api/v1/hls/dvr"), broken.apiToken());
        auto w = api.json().value("windows").toArray().first().toObject();
        QCOMPARE(w.value("state").toString(), QString("stopped"));
        QVERIFY2(w.value("reason").toString().contains("a-file"), qPrintable(api.body));
        auto session = openSession(url(broken, "/live/dvr3_dvr.m3u8"));
        QVERIFY(!session.isEmpty());
        auto refused = httpRequest("GET", session.toString());
        QCOMPARE(refused.status, 404);
        QVERIFY2(refused.body.contains("DVR stopped for live/dvr3"), refused.body.constData());
        auto decoded = Ffmpeg::decode(url(broken, "/live/dvr3.m3u8"), 3);
        QVERIFY2(decoded.videoFrames >= 60, qPrintable(decoded.log.right(1500)));
        pub->kill();
        pub->waitForFinished();
    }

private:
    void ffmpegDecodeFromStart(const QString& playlist, QString* log) {
        // No ENDLIST (the window is live): -m3u8_hold_counters ends the read a few reloads
        // after the last segment; -t caps it at 19 s of media.
        Ffmpeg::run({"-hide_banner", "-nostats", "-loglevel", "info", "-live_start_index", "0",
                     "-m3u8_hold_counters", "3", "-rw_timeout", "10000000", "-i", playlist, "-t",
                     "19", "-map", "0:v:0", "-f", "null", "-"},
                    log, 90000);
    }
};

QTEST_GUILESS_MAIN(tst_HlsDvr)
#include "tst_HlsDvr.moc"
