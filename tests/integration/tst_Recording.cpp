// Recording by rule, end to end: ffmpeg publishes over RTMP into a studio that records
// "live/*". A clean end gives a normal MP4 whose duration matches the published time; a
// publisher that reconnects within the resume window continues the same file; a studio killed
// with SIGKILL mid-recording leaves a fragmented file that already plays, and after a restart
// the catalogue says "recovered" and the finalised MP4 holds what was recorded.

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QtTest>

#include "FfTools.h"
#include "Http.h"
#include "Recordings.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

QString recordConfig(int resumeWindowSeconds) {
    return QString("[record]\nstreams = [\"live/*\"]\nresume_window_seconds = %1\n"
                   "min_free_bytes = 0\n\n[monitor]\ncontent_probes = false\n")
        .arg(resumeWindowSeconds);
}

QStringList filesIn(const QString& folder, const QString& pattern) {
    return QDir(folder).entryList({pattern}, QDir::Files, QDir::Name);
}

} // namespace

class tst_Recording : public QObject {
    Q_OBJECT
private slots:
    void cleanEndGivesNormalMp4();
    void reconnectContinuesTheFile();
    void killedStudioLeavesPlayableFileAndRecovers();
};

void tst_Recording::cleanEndGivesNormalMp4() {
    StudioProcess studio;
    studio.setConfig(recordConfig(1));
    QVERIFY2(studio.start(), qPrintable(studio.error()));
    auto publisher = publishSmall(studio, "live/clean", 8);
    QVERIFY(finished(*publisher, 30000));
    QCOMPARE(publisher->exitCode(), 0);

    // The publisher left; after the 1 s resume window the file is closed and finalised.
    const auto row = waitForRecording(studio, "live/clean", "complete", 30000);
    QVERIFY2(!row.isEmpty(), qPrintable(studio.log()));
    const QString path = row.value("path").toString();
    QVERIFY2(path.endsWith(".mp4") && !path.endsWith(".part.mp4"), qPrintable(path));
    QVERIFY(QFileInfo(path).isFile());
    QVERIFY2(filesIn(QFileInfo(path).path(), "*.part.mp4").isEmpty(),
             "the fragmented file is removed once finalised");
    QCOMPARE(row.value("size_bytes").toInteger(), QFileInfo(path).size());
    QVERIFY2(row.value("codecs").toString().contains("h264") &&
                 row.value("codecs").toString().contains("aac"),
             qPrintable(row.value("codecs").toString()));
    QCOMPARE(codecNames(path), QStringList({"aac", "h264"}));
    const double seconds = mediaSeconds(path);
    QVERIFY2(qAbs(seconds - 8.0) <= 0.5, qPrintable(QString::number(seconds)));
    QVERIFY2(qAbs(row.value("duration_ms").toInteger() / 1000.0 - seconds) <= 0.2,
             qPrintable(QString::number(row.value("duration_ms").toInteger())));
    // A normal MP4: the index (moov) before the media (faststart), no fragments.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray head = file.read(64 * 1024);
    QVERIFY(head.indexOf("moov") >= 0 && head.indexOf("moov") < head.indexOf("mdat"));
    QVERIFY(head.indexOf("moof") < 0);
    QCOMPARE(studio.stop(), 0);
}

void tst_Recording::reconnectContinuesTheFile() {
    StudioProcess studio;
    studio.setConfig(recordConfig(10));
    QVERIFY2(studio.start(), qPrintable(studio.error()));
    auto first = publishSmall(studio, "live/resume", 4);
    QVERIFY(finished(*first, 30000));
    QTest::qWait(3000); // the presenter's link is down for 3 s
    auto second = publishSmall(studio, "live/resume", 4);
    QVERIFY(finished(*second, 30000));
    QCOMPARE(first->exitCode(), 0);
    QCOMPARE(second->exitCode(), 0);

    // Stop it over the API rather than wait out the window: the file is finalised at once.
    const QString base = QString("http://127.0.0.1:%1/api/v1/recordings").arg(studio.httpPort());
    auto stopped = httpRequest("DELETE", base + "/active/live/resume", studio.apiToken());
    QCOMPARE(stopped.status, 200);
    const auto row = waitForRecording(studio, "live/resume", "complete", 30000);
    QVERIFY2(!row.isEmpty(), qPrintable(studio.log()));
    QCOMPARE(listRecordings(studio, "stream=live/resume").size(), 1);
    const double seconds = mediaSeconds(row.value("path").toString());
    // Both publishes, timestamps following on: about 8 s of media, not 4 and not 11.
    QVERIFY2(seconds >= 7.0 && seconds <= 9.0, qPrintable(QString::number(seconds)));
    QVERIFY(studio.log().contains("publisher back, continuing"));
    QCOMPARE(studio.stop(), 0);
}

void tst_Recording::killedStudioLeavesPlayableFileAndRecovers() {
    StudioProcess studio;
    studio.setConfig(recordConfig(10));
    QVERIFY2(studio.start(), qPrintable(studio.error()));
    const QString folder = QDir(studio.dataDir()).filePath("recordings");
    auto publisher = publishSmall(studio, "live/crash", 20);
    QElapsedTimer t;
    t.start();
    QVERIFY(waitForRecording(studio, "live/crash", "recording", 10000).size() > 0);
    QTest::qWait(qMax<qint64>(0, 15000 - t.elapsed()));
    studio.killHard();
    publisher->kill();
    publisher->waitForFinished(5000);

    // What the crash left plays as it is.
    const auto parts = filesIn(folder, "*.part.mp4");
    QCOMPARE(parts.size(), 1);
    const QString part = QDir(folder).filePath(parts.front());
    const double left = mediaSeconds(part);
    QVERIFY2(left >= 13.0, qPrintable(QString::number(left)));
    auto decoded = Ffmpeg::decode(part, 30);
    QVERIFY2(decoded.videoFrames >= 13 * 30 - 5, qPrintable(decoded.log));

    // The next start recovers it: a normal MP4, and the catalogue says so.
    QVERIFY2(studio.start(), qPrintable(studio.error()));
    const auto row = waitForRecording(studio, "live/crash", "recovered", 30000);
    QVERIFY2(!row.isEmpty(), qPrintable(studio.log()));
    const QString path = row.value("path").toString();
    QVERIFY2(path.endsWith(".mp4") && !path.endsWith(".part.mp4"), qPrintable(path));
    QVERIFY(!QFileInfo::exists(part));
    const double recovered = mediaSeconds(path);
    QVERIFY2(recovered >= 13.0, qPrintable(QString::number(recovered)));
    QVERIFY(row.value("reason").toString().contains("recovered"));
    QCOMPARE(studio.stop(), 0);
}

QTEST_MAIN(tst_Recording)
#include "tst_Recording.moc"
