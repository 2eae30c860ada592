// Lip sync through the director: a presenter's flash-and-beep signal (white picture and a
// 1 kHz beep together, every second) goes through the hub as it came, and through the
// director's program (decode, libobs' compositing and mixing, x264 + AAC) with the beep and the
// flash still together: the median offset within EBU R37's window (sound at most 40 ms early,
// at most 60 ms late), as the program starts and again after the presenter's encoder
// reconnects (new timestamps from zero). The operator's per-input sync offset moves the
// sound by what was asked and is kept across a restart. A media file with sound, looping on
// program, stays in sync too.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "DirectorApi.h"
#include "FfTools.h"
#include "LipSync.h"

using namespace stagecast::test;

class tst_DirectorLipSync : public QObject {
    Q_OBJECT

    DirectorApi api;
    StudioProcess& studio = api.studio();
    QTemporaryDir files;
    std::unique_ptr<QProcess> presenter;

    void stopPresenter() {
        if (presenter) {
            presenter->kill();
            presenter->waitForFinished(5000);
            presenter.reset();
        }
    }

    void startPresenter() {
        stopPresenter();
        presenter = std::make_unique<QProcess>();
        presenter->setProcessChannelMode(QProcess::MergedChannels);
        presenter->start("ffmpeg",
                         flashAndBeepPublisher(studio.sign(studio.rtmpUrl("live/sync")), 600));
        QVERIFY(presenter->waitForStarted(5000));
    }

    /// Saves `seconds` of `url` (stream copy) and returns the audio-minus-video offsets.
    QVector<double> offsets(const QString& url, const QString& name, int seconds, QString* why) {
        const QString file = files.filePath(name + ".flv");
        QString log;
        const int rc = Ffmpeg::run({"-hide_banner", "-loglevel", "error", "-y", "-i", url, "-t",
                                    QString::number(seconds), "-c", "copy", file},
                                   &log, (seconds + 30) * 1000);
        if (rc != 0) {
            *why = "saving " + url + " failed: " + log.right(1500);
            return {};
        }
        const auto marks = findSyncMarks(file);
        const auto out = syncOffsetsMs(marks);
        QStringList shown;
        for (double o : out) {
            shown << QString::number(o, 'f', 1);
        }
        *why = QString("%1: %2 flashes, %3 beeps, audio minus video ms [%4] %5")
                   .arg(name)
                   .arg(marks.flashes.size())
                   .arg(marks.beeps.size())
                   .arg(shown.join(", "), marks.log);
        qInfo("%s", qPrintable(*why));
        return out;
    }

    /// The program's offsets over 10 s: at least 6 flashes paired, median within EBU R37
    /// (sound at most 40 ms early, 60 ms late) of `expectedMs`.
    void programInSync(const QString& name, double expectedMs = 0) {
        QString why;
        const auto program = offsets(api.programUrl(), name, 10, &why);
        QVERIFY2(program.size() >= 6, qPrintable(why));
        const double m = median(program);
        qInfo("%s: median audio minus video %.1f ms (wanted %.0f, EBU R37: -40..+60)",
              qPrintable(name), m, expectedMs);
        QVERIFY2(m >= expectedMs - 40 && m <= expectedMs + 60, qPrintable(why));
    }

private slots:
    void initTestCase() {
        QVERIFY(files.isValid());
        QVERIFY2(api.start(), qPrintable(api.error()));
        startPresenter();
        QVERIFY2(api.waitForLive({"live/sync"}), qPrintable(studio.log().right(3000)));
    }

    // The control: the hub hands the presenter's stream on as it came.
    void hubKeepsTheSignalTogether() {
        QString why;
        const auto hub = offsets(studio.flvUrl("live/sync"), "hub", 8, &why);
        QVERIFY2(hub.size() >= 5, qPrintable(why));
        QVERIFY2(std::abs(median(hub)) <= 20, qPrintable(why));
    }

    void programKeepsTheSignalTogether() {
        const auto r = api.take("{'input':'live/sync'}");
        QVERIFY2(r.status == 200, r.body.constData());
        QTest::qWait(2000);
        programInSync("program");
    }

    void inSyncAfterThePresenterReconnects() {
        startPresenter();
        QVERIFY2(api.waitForLive({"live/sync"}), qPrintable(studio.log().right(3000)));
        QTest::qWait(3000);
        programInSync("program after a reconnect");
    }

    // A presenter whose encoder sends the sound 200 ms too early: the operator delays it by
    // that much (as in OBS' advanced audio properties) and the program moves with it.
    void operatorSyncOffsetMovesTheSound() {
        auto r = api.post("/audio", R"({"input":"live/sync","sync_offset_ms":25000})");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.contains("sync_offset_ms: whole milliseconds -950..20000"),
                 r.body.constData());
        r = api.post("/audio", R"({"input":"live/sync","sync_offset_ms":"late"})");
        QCOMPARE(r.status, 400);
        r = api.post("/audio", R"({"input":"live/nobody","sync_offset_ms":100})");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.contains("live/nobody is not known"), r.body.constData());
        QCOMPARE(api.input("live/sync").value("sync_offset_ms").toInt(), 0);

        r = api.post("/audio", R"({"input":"live/sync","sync_offset_ms":200})");
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(api.input("live/sync").value("sync_offset_ms").toInt(), 200);
        QTest::qWait(2000);
        programInSync("program with the sound delayed 200 ms", 200);
    }

    // The offset is the input's: saved in the scene collection, back after a restart.
    void syncOffsetIsKeptAcrossARestart() {
        stopPresenter();
        QVERIFY2(api.stop(), qPrintable(api.error()));
        QVERIFY2(api.restart(), qPrintable(api.error()));
        QCOMPARE(api.input("live/sync").value("sync_offset_ms").toInt(), 200);
        startPresenter();
        QVERIFY2(api.waitForLive({"live/sync"}), qPrintable(studio.log().right(3000)));
        QTest::qWait(3000);
        programInSync("program after a restart, sound delayed 200 ms", 200);
    }

    // A presenter always in the mix (follow_video false: its sound through a bus source of its
    // own) stays in sync with its picture too.
    void alwaysInTheMixStaysInSync() {
        const auto r =
            api.post("/audio", R"({"input":"live/sync","sync_offset_ms":0,"follow_video":false})");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(!api.input("live/sync").value("follow_video").toBool(true));
        QTest::qWait(2000);
        programInSync("program, the presenter always in the mix");
    }

    // A director input playing a file with sound (a looping 6 s clip of the same signal, so
    // the 10 s measured cross a loop) keeps its flashes and beeps together on program.
    void mediaFileStaysInSync() {
        const QString clip = files.filePath("sync.mp4");
        QString log;
        QVERIFY2(Ffmpeg::run(flashAndBeepFile(clip, 6), &log, 60000) == 0, qPrintable(log));
        // The presenter's beeps leave the mix with its picture.
        auto r = api.post("/audio", R"({"input":"live/sync","follow_video":true})");
        QVERIFY2(r.status == 200, r.body.constData());
        r = api.post("/inputs", QString(R"({"id":"media:sync","kind":"media","file":"%1",)"
                                        R"("loop":true})")
                                    .arg(clip)
                                    .toUtf8());
        QVERIFY2(r.status == 200, r.body.constData());
        r = api.take(R"({"input":"media:sync"})");
        QVERIFY2(r.status == 200, r.body.constData());
        QTest::qWait(2000);
        programInSync("program, a looping media file");
    }

    void cleanupTestCase() {
        stopPresenter();
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }
};

QTEST_GUILESS_MAIN(tst_DirectorLipSync)
#include "tst_DirectorLipSync.moc"
