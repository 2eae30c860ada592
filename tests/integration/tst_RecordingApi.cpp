// The recordings API and the disk guard: recording on demand (start, refuse twice, stop),
// download with byte ranges (206 with Content-Range, 416 past the end), clip export by stream
// copy and frame-accurate (catalogued as recordings), errors for bad and
// unknown ids and a missing token, delete (file gone, row kept as "deleted", 410 after);
// below the free-space threshold a running recording stops cleanly with the disk_low alert,
// its file finalised and playable, and no recording starts (507) until there is room again.

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStorageInfo>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "Recordings.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

QByteArray streamBody(const QString& stream) {
    return QJsonDocument(QJsonObject{{"stream", stream}}).toJson(QJsonDocument::Compact);
}

/// Fills `bytes` of disk with a real (not sparse) file.
bool fill(const QString& path, qint64 bytes) {
    QProcess p;
    p.start("fallocate", {"-l", QString::number(bytes), path});
    if (p.waitForFinished(60000) && p.exitCode() == 0) {
        return true;
    }
    p.start("dd", {"if=/dev/zero", "of=" + path, "bs=1M",
                   "count=" + QString::number(bytes / (1024 * 1024))});
    return p.waitForFinished(120000) && p.exitCode() == 0;
}

bool waitFor(const std::function<bool()>& condition, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (condition()) {
            return true;
        }
        QTest::qWait(200);
    }
    return condition();
}

} // namespace

class tst_RecordingApi : public QObject {
    Q_OBJECT
private slots:
    void onDemandDownloadAndDelete();
    void diskGuardStopsCleanly();
};

void tst_RecordingApi::onDemandDownloadAndDelete() {
    StudioProcess studio;
    studio.setConfig("[record]\nmin_free_bytes = 0\n\n[monitor]\ncontent_probes = false\n");
    QVERIFY2(studio.start(), qPrintable(studio.error()));
    const QString token = studio.apiToken();
    const QString base = QString("http://127.0.0.1:%1/api/v1/recordings").arg(studio.httpPort());

    // Nothing is recorded without a rule...
    auto unrecorded = publishSmall(studio, "live/other", 2);
    QVERIFY(finished(*unrecorded, 20000));
    QCOMPARE(listRecordings(studio).size(), 0);

    // ...until asked: armed before the publisher arrives, refused twice, bad names refused.
    QCOMPARE(httpSend("POST", base + "/active", streamBody("live/od"), token).status, 201);
    auto twice = httpSend("POST", base + "/active", streamBody("live/od"), token);
    QCOMPARE(twice.status, 409);
    QVERIFY2(twice.json().value("error").toString().contains("already being recorded"),
             twice.body.constData());
    QCOMPARE(httpSend("POST", base + "/active", streamBody("no-slash"), token).status, 400);
    auto publisher = publishSmall(studio, "live/od", 4);
    QVERIFY(finished(*publisher, 30000));
    auto active = httpRequest("GET", base + "/active", token).json();
    QCOMPARE(active.value("recorders").toArray().size(), 1);
    QCOMPARE(active.value("recorders").toArray()[0].toObject().value("origin").toString(),
             QString("demand"));
    QCOMPARE(httpRequest("DELETE", base + "/active/live/od", token).status, 200);
    QCOMPARE(httpRequest("DELETE", base + "/active/live/od", token).status, 404);
    const auto row = waitForRecording(studio, "live/od", "complete", 30000);
    QVERIFY2(!row.isEmpty(), qPrintable(studio.log()));
    const QString path = row.value("path").toString();
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray onDisk = file.readAll();
    QVERIFY(onDisk.size() > 10000);

    // Downloads: whole, a range, past the end.
    const QString url =
        QString("http://127.0.0.1:%1").arg(studio.httpPort()) + row.value("url").toString();
    auto whole = httpGetWithHeaders(url, token, {});
    QCOMPARE(whole.status, 200);
    QCOMPARE(whole.contentType, QString("video/mp4"));
    QCOMPARE(whole.body, onDisk);
    QCOMPARE(whole.header("Accept-Ranges"), QByteArray("bytes"));
    auto part = httpGetWithHeaders(url, token, {{"Range", "bytes=100-199"}});
    QCOMPARE(part.status, 206);
    QCOMPARE(part.body, onDisk.mid(100, 100));
    QCOMPARE(part.header("Content-Range"),
             QByteArray("bytes 100-199/") + QByteArray::number(onDisk.size()));
    auto tail = httpGetWithHeaders(url, token, {{"Range", "bytes=-50"}});
    QCOMPARE(tail.status, 206);
    QCOMPARE(tail.body, onDisk.right(50));
    auto past = httpGetWithHeaders(
        url, token, {{"Range", "bytes=" + QByteArray::number(onDisk.size() + 10) + "-"}});
    QCOMPARE(past.status, 416);
    QCOMPARE(past.header("Content-Range"), "bytes */" + QByteArray::number(onDisk.size()));
    // The download is the recording: it decodes.
    const QString copy = QDir(studio.dataDir()).filePath("download.mp4");
    QFile out(copy);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(whole.body);
    out.close();
    QCOMPARE(codecNames(copy), QStringList({"aac", "h264"}));
    QCOMPARE(httpRequest("GET", url).status, 401);
    QCOMPARE(httpRequest("GET", base + "/abc/file", token).status, 400);
    QCOMPARE(httpRequest("GET", base + "/999999/file", token).status, 404);
    QCOMPARE(httpRequest("GET", base + "?state=nonsense", token).status, 400);

    // Clip export: seconds 1-3 by stream copy (starts at the keyframe at or before 1 s: the
    // GOP is 1 s) and 1.5-3 frame-accurate; each ends catalogued as a recording of its own.
    const QString clips = base + "/" + QString::number(row.value("id").toInteger()) + "/clips";
    auto clipBody = [](double from, double to, const char* mode) {
        return QJsonDocument(QJsonObject{{"from_s", from}, {"to_s", to}, {"mode", mode}})
            .toJson(QJsonDocument::Compact);
    };
    QCOMPARE(httpSend("POST", clips, clipBody(3, 1, "copy"), token).status, 400);
    QCOMPARE(httpSend("POST", clips, clipBody(1, 3, "fast"), token).status, 400);
    QCOMPARE(httpSend("POST", base + "/999999/clips", clipBody(1, 3, "copy"), token).status, 404);
    auto clipDone = [&](const QByteArray& body) {
        auto started = httpSend("POST", clips, body, token);
        if (started.status != 202) {
            return QJsonObject{{"error", QString::fromUtf8(started.body)}};
        }
        const QString job = QString("http://127.0.0.1:%1/api/v1/clips/%2")
                                .arg(studio.httpPort())
                                .arg(started.json().value("id").toInteger());
        QJsonObject state;
        waitFor(
            [&] {
                state = httpRequest("GET", job, token).json();
                return state.value("state").toString() != "running";
            },
            60000);
        return state;
    };
    const auto copied = clipDone(clipBody(1, 3, "copy"));
    QVERIFY2(copied.value("state").toString() == "done",
             qPrintable(QJsonDocument(copied).toJson()));
    QCOMPARE(copied.value("progress").toDouble(), 1.0);
    const double copiedSeconds = mediaSeconds(copied.value("output").toString());
    QVERIFY2(copiedSeconds >= 1.9 && copiedSeconds <= 3.1,
             qPrintable(QString::number(copiedSeconds)));
    const auto accurate = clipDone(clipBody(1.5, 3, "accurate"));
    QVERIFY2(accurate.value("state").toString() == "done",
             qPrintable(QJsonDocument(accurate).toJson()));
    const double accurateSeconds = mediaSeconds(accurate.value("output").toString());
    QVERIFY2(qAbs(accurateSeconds - 1.5) <= 0.1, qPrintable(QString::number(accurateSeconds)));
    QCOMPARE(codecNames(accurate.value("output").toString()), QStringList({"aac", "h264"}));
    QVERIFY(waitFor([&] { return listRecordings(studio, "stream=live/od").size() == 3; }, 10000));
    bool catalogued = false;
    for (const auto& r : listRecordings(studio, "stream=live/od")) {
        catalogued |=
            r.toObject().value("path").toString() == accurate.value("output").toString() &&
            r.toObject().value("reason").toString().contains("clip");
    }
    QVERIFY(catalogued);

    // Delete: the file goes, the row stays.
    const QString one = base + "/" + QString::number(row.value("id").toInteger());
    auto deleted = httpRequest("DELETE", one, token);
    QCOMPARE(deleted.status, 200);
    QVERIFY(!QFileInfo::exists(path));
    QCOMPARE(httpRequest("GET", one, token).json().value("state").toString(), QString("deleted"));
    QCOMPARE(httpRequest("GET", one + "/file", token).status, 410);
    QCOMPARE(studio.stop(), 0);
}

void tst_RecordingApi::diskGuardStopsCleanly() {
    StudioProcess start;
    const qint64 free = QStorageInfo(start.dataDir()).bytesAvailable();
    constexpr qint64 kGiB = 1024LL * 1024 * 1024;
    QVERIFY2(free > 4 * kGiB, "this test needs 4 GiB of free disk");
    // The threshold sits 1 GiB below what is free now; a 2 GiB file crosses it.
    const qint64 threshold = free - kGiB;
    start.setConfig(QString("[record]\nstreams = [\"live/*\"]\nmin_free_bytes = %1\n\n"
                            "[monitor]\ncontent_probes = false\n")
                        .arg(threshold));
    QVERIFY2(start.start(), qPrintable(start.error()));
    StudioProcess& studio = start;
    const QString token = studio.apiToken();
    const QString base = QString("http://127.0.0.1:%1/api/v1").arg(studio.httpPort());
    auto publisher = publishSmall(studio, "live/guard", 60);
    QVERIFY(!waitForRecording(studio, "live/guard", "recording", 10000).isEmpty());
    QTest::qWait(3000);

    const QString filler = QDir(studio.dataDir()).filePath("filler.bin");
    QVERIFY(fill(filler, 2 * kGiB));
    // The recording stops cleanly: finalised, playable, and the alert says why.
    const auto row = waitForRecording(studio, "live/guard", "complete", 20000);
    QFile::remove(filler);
    QVERIFY2(!row.isEmpty(), qPrintable(studio.log()));
    QVERIFY2(mediaSeconds(row.value("path").toString()) >= 2.0, qPrintable(studio.log()));
    QVERIFY(waitFor(
        [&] {
            const auto alerts =
                httpRequest("GET", base + "/alerts?state=open", token).json().value("alerts");
            for (const auto& a : alerts.toArray()) {
                if (a.toObject().value("kind").toString() == "disk_low" &&
                    a.toObject().value("stream").toString() == "live/guard") {
                    return true;
                }
            }
            return false;
        },
        5000));
    QVERIFY(studio.log().contains("disk low"));

    // Room again (filler removed): the rule records the live stream again, and the alert
    // closes.
    QVERIFY2(waitFor(
                 [&] {
                     return httpRequest("GET", base + "/recordings/active", token)
                                .json()
                                .value("recorders")
                                .toArray()
                                .size() == 1;
                 },
                 15000),
             qPrintable(studio.log()));
    QVERIFY(!waitForRecording(studio, "live/guard", "recording", 10000).isEmpty());
    publisher->kill();
    publisher->waitForFinished(5000);
    QCOMPARE(studio.stop(), 0);

    // With the threshold above the free space, nothing starts: 507 naming the problem.
    StudioProcess full;
    full.setConfig("[record]\nmin_free_bytes = 1099511627776\n\n[monitor]\n"
                   "content_probes = false\n");
    QVERIFY2(full.start(), qPrintable(full.error()));
    auto refused = httpSend(
        "POST", QString("http://127.0.0.1:%1/api/v1/recordings/active").arg(full.httpPort()),
        streamBody("live/x"), full.apiToken());
    QCOMPARE(refused.status, 507);
    QVERIFY2(refused.json().value("error").toString().contains("not enough disk space"),
             refused.body.constData());
    auto disk =
        httpRequest("GET",
                    QString("http://127.0.0.1:%1/api/v1/recordings/active").arg(full.httpPort()),
                    full.apiToken())
            .json()
            .value("disk")
            .toObject();
    QVERIFY(disk.value("low").toBool());
    QCOMPARE(full.stop(), 0);
}

QTEST_MAIN(tst_RecordingApi)
#include "tst_RecordingApi.moc"
