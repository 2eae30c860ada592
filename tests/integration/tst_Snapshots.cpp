// Snapshots end to end: ffmpeg publishes testsrc2 at 320x240 and at 1280x720 to a real
// stagecast with a 1 s snapshot interval. For each, latest.jpg appears before two intervals of
// the stream's media have been published, decodes in ffprobe as a 320-wide mjpeg (240 / 180
// high) and is refreshed; the API serves it (image/jpeg, token required, JSON 404 before there
// is one) and lists its path and time. A content alert's moderation item carries a kept copy.
// With an unwritable snapshot folder the error is logged with the path while publishing and
// playing carry on.

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "Prometheus.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

QJsonObject probeJpeg(const QString& path, QString* err) {
    const auto json = Ffmpeg::probe(path, err);
    return json.value("streams").toArray().at(0).toObject();
}

void stop(std::unique_ptr<QProcess>& p) {
    if (p) {
        p->kill();
        p->waitForFinished(5000);
        p.reset();
    }
}

} // namespace

class tst_Snapshots : public QObject {
    Q_OBJECT

    StudioProcess studio;
    QString token;
    std::unique_ptr<QProcess> small;
    std::unique_ptr<QProcess> hd;
    std::unique_ptr<QProcess> blank;

    QString api(const QString& path) const {
        return QString("http://127.0.0.1:%1%2").arg(studio.httpPort()).arg(path);
    }
    QString latest(const QString& stream) const {
        return studio.dataDir() + "/snapshots/" + stream + "/latest.jpg";
    }

    std::unique_ptr<QProcess> publish(StudioProcess& on, const QString& stream, const QString& size,
                                      int fps, const QString& source) {
        PublisherSpec spec;
        spec.url = on.sign(on.rtmpUrl(stream));
        spec.seconds = 120;
        spec.size = size;
        spec.fps = fps;
        spec.gopFrames = fps; // a keyframe every second
        spec.videoBitrate = "600k";
        spec.videoSource = source;
        return Ffmpeg::publish(spec);
    }

    /// The stream's published video frames, from the API.
    int videoFrames(const QString& stream) {
        auto reply = httpRequest("GET", api("/api/v1/streams/" + stream), token);
        return reply.json().value("video").toObject().value("frames").toInt(-1);
    }

    /// Waits for the first snapshot of a stream just published and returns how many video
    /// frames the stream had published by then (-1 if none appeared in `timeoutMs`).
    int framesWhenFirstSnapshot(const QString& stream, int timeoutMs) {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            if (QFileInfo::exists(latest(stream))) {
                return videoFrames(stream);
            }
            QTest::qWait(50);
        }
        return -1;
    }

    void checkRefreshedAndDecodes(const QString& stream, int height) {
        QString err;
        const auto first = probeJpeg(latest(stream), &err);
        QCOMPARE(first.value("codec_name").toString(), QString("mjpeg"));
        QCOMPARE(first.value("width").toInt(), 320);
        QCOMPARE(first.value("height").toInt(), height);
        const auto mtime = QFileInfo(latest(stream)).lastModified();
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         QFileInfo info(latest(stream));
                         return info.exists() && info.lastModified() != mtime;
                     },
                     15000),
                 qPrintable(studio.log()));
        const auto again = probeJpeg(latest(stream), &err);
        QCOMPARE(again.value("codec_name").toString(), QString("mjpeg"));
        QCOMPARE(again.value("height").toInt(), height);
        // Renamed into place: no temporary file is ever left beside it.
        const auto files = QDir(studio.dataDir() + "/snapshots/" + stream).entryList(QDir::Files);
        QVERIFY2(files.size() <= 2, qPrintable(files.join(", "))); // a rename may be under way
    }

private slots:
    void initTestCase() {
        studio.setConfig("[snapshot]\ninterval_seconds = 1\n\n[monitor]\nblack_seconds = 3\n");
        QVERIFY2(studio.start(), qPrintable(studio.error()));
        token = studio.apiToken();
    }

    void noSnapshotYetIs404() {
        auto reply = httpRequest("GET", api("/api/v1/streams/live/small/snapshot.jpg"), token);
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json().value("error").toString(), QString("no snapshot of live/small yet"));
    }

    void smallStreamWithinTwoIntervals() {
        small = publish(studio, "live/small", "320x240", 30, "testsrc2");
        QVERIFY2(studio.waitForLog("publishes live/small", 15000), qPrintable(studio.log()));
        const int frames = framesWhenFirstSnapshot("live/small", 30000);
        QVERIFY2(frames >= 0, qPrintable(studio.log()));
        qInfo("live/small: first snapshot seen after %d published frames", frames);
        // Two intervals of media at 30 fps: the snapshot came before the stream got there.
        QVERIFY2(frames <= 2 * 30,
                 qPrintable(QString("first snapshot after %1 frames").arg(frames)));
        checkRefreshedAndDecodes("live/small", 240);
    }

    void hdStreamKeepsAspect() {
        hd = publish(studio, "live/hd", "1280x720", 15, "testsrc2");
        QVERIFY2(studio.waitForLog("publishes live/hd", 15000), qPrintable(studio.log()));
        const int frames = framesWhenFirstSnapshot("live/hd", 30000);
        QVERIFY2(frames >= 0, qPrintable(studio.log()));
        qInfo("live/hd: first snapshot seen after %d published frames", frames);
        QVERIFY2(frames <= 2 * 15,
                 qPrintable(QString("first snapshot after %1 frames").arg(frames)));
        checkRefreshedAndDecodes("live/hd", 180);
    }

    void apiServesAndLists() {
        auto reply = httpRequest("GET", api("/api/v1/streams/live/hd/snapshot.jpg"), token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.contentType, QString("image/jpeg"));
        QVERIFY(reply.body.startsWith("\xFF\xD8"));
        const QString saved = studio.dataDir() + "/served.jpg";
        QFile file(saved);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(reply.body);
        file.close();
        QString err;
        const auto served = probeJpeg(saved, &err);
        QCOMPARE(served.value("codec_name").toString(), QString("mjpeg"));
        QCOMPARE(served.value("width").toInt(), 320);
        QCOMPARE(served.value("height").toInt(), 180);

        QCOMPARE(httpRequest("GET", api("/api/v1/streams/live/hd/snapshot.jpg")).status, 401);

        auto list = httpRequest("GET", api("/api/v1/snapshots"), token);
        QCOMPARE(list.status, 200);
        const auto body = list.json();
        QCOMPARE(body.value("interval_seconds").toInt(), 1);
        QMap<QString, QJsonObject> byStream;
        for (const auto& row : body.value("snapshots").toArray()) {
            byStream[row.toObject().value("stream").toString()] = row.toObject();
        }
        for (const auto& [stream, height] :
             {std::pair{QString("live/small"), 240}, std::pair{QString("live/hd"), 180}}) {
            const auto row = byStream.value(stream);
            QVERIFY2(!row.isEmpty(), QJsonDocument(body).toJson().constData());
            QCOMPARE(row.value("path").toString(), latest(stream));
            QCOMPARE(row.value("url").toString(), "/api/v1/streams/" + stream + "/snapshot.jpg");
            const auto takenAt =
                QDateTime::fromString(row.value("taken_at").toString(), Qt::ISODate);
            QVERIFY2(takenAt.isValid(), QJsonDocument(row).toJson().constData());
            QVERIFY(std::abs(takenAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);
            QVERIFY(row.value("bytes").toInt() > 1000);
            QCOMPARE(row.value("height").toInt(), height);
            QVERIFY(row.value("written").toInt() >= 2);
            QCOMPARE(row.value("write_failures").toInt(), 0);
        }
    }

    void contentAlertKeepsEvidence() {
        blank = publish(studio, "live/blank", "320x240", 30, "color=c=black");
        QVERIFY2(studio.waitForLog("publishes live/blank", 15000), qPrintable(studio.log()));
        QJsonArray items;
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         items = httpRequest("GET",
                                             api("/api/v1/moderation/items?kind=detector&stream="
                                                 "live/blank"),
                                             token)
                                     .json()
                                     .value("items")
                                     .toArray();
                         return !items.isEmpty();
                     },
                     40000),
                 qPrintable(studio.log()));
        const QString text = items.at(0).toObject().value("text").toString();
        const auto match = QRegularExpression("\\(snapshot: ([^)]+\\.jpg)\\)").match(text);
        QVERIFY2(match.hasMatch(), qPrintable(text));
        const QString evidence = match.captured(1);
        QVERIFY2(evidence.startsWith(studio.dataDir() + "/snapshots/live/blank/evidence/"),
                 qPrintable(evidence));
        QString err;
        QCOMPARE(probeJpeg(evidence, &err).value("codec_name").toString(), QString("mjpeg"));
        // latest.jpg moves on; the evidence copy stays.
        const auto size = QFileInfo(evidence).size();
        QTest::qWait(2500);
        QCOMPARE(QFileInfo(evidence).size(), size);
        stop(blank);
    }

    void unwritableFolderIsLoggedAndStreamsCarryOn() {
        StudioProcess blocked;
        {
            QFile blocker(blocked.dataDir() + "/blocked");
            QVERIFY(blocker.open(QIODevice::WriteOnly));
        }
        blocked.setConfig("[snapshot]\ninterval_seconds = 1\nfolder = \"blocked/snaps\"\n");
        QVERIFY2(blocked.start(), qPrintable(blocked.error()));
        auto p = publish(blocked, "live/a", "320x240", 30, "testsrc2");
        QVERIFY2(blocked.waitForLog("publishes live/a", 15000), qPrintable(blocked.log()));
        const QString path = blocked.dataDir() + "/blocked/snaps/live/a/latest.jpg";
        QVERIFY2(blocked.waitForLog("live/a: cannot write snapshot " + path + ": ", 20000),
                 qPrintable(blocked.log()));
        QVERIFY2(blocked.log().contains("Not a directory"), qPrintable(blocked.log()));

        // Playing carries on: frames decode from the same stream.
        const auto played = Ffmpeg::decode(blocked.flvUrl("live/a"), 3);
        QCOMPARE(played.exitCode, 0);
        QVERIFY2(played.videoFrames >= 30, qPrintable(played.log));
        QCOMPARE(played.decodeErrors, 0);
        auto list = httpRequest(
            "GET", QString("http://127.0.0.1:%1/api/v1/snapshots").arg(blocked.httpPort()),
            blocked.apiToken());
        const auto rows = list.json().value("snapshots").toArray();
        QCOMPARE(rows.size(), 1);
        QVERIFY(rows.at(0).toObject().value("write_failures").toInt() >= 1);
        QVERIFY(rows.at(0).toObject().value("last_error").toString().contains(path));
        // Counted in /metrics too.
        auto metrics =
            httpRequest("GET", QString("http://127.0.0.1:%1/metrics").arg(blocked.httpPort()),
                        blocked.apiToken());
        QCOMPARE(metrics.status, 200);
        const QString text = QString::fromUtf8(metrics.body);
        QVERIFY2(prometheusProblem(text).isEmpty(), qPrintable(prometheusProblem(text)));
        const auto failures =
            QRegularExpression(
                "^stagecast_snapshot_failures_total\\{stream=\"live/a\",step=\"write\"\\} (\\d+)$",
                QRegularExpression::MultilineOption)
                .match(text);
        QVERIFY2(failures.hasMatch(), qPrintable(text));
        QVERIFY(failures.captured(1).toInt() >= 1);
        QCOMPARE(p->state(), QProcess::Running); // the publisher was never cut off
        stop(p);
        QCOMPARE(blocked.stop(), 0);
    }

    void cleanupTestCase() {
        stop(small);
        stop(hd);
        stop(blank);
        QCOMPARE(studio.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Snapshots)
#include "tst_Snapshots.moc"
