// Lip sync through the director: a presenter's flash-and-beep signal (white picture and a
// 1 kHz beep together, every second) goes through the hub as it came, and through the
// director's program (decode, libobs' compositing and mixing, x264 + AAC) with the beep and the
// flash still together: the median offset within EBU R37's window (sound at most 40 ms early,
// at most 60 ms late), as the program starts and again after the presenter's encoder
// reconnects (new timestamps from zero).

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

    void startPresenter() {
        if (presenter) {
            presenter->kill();
            presenter->waitForFinished(5000);
        }
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

    /// The program's offsets over 10 s: at least 6 flashes paired, median within EBU R37.
    void programInSync(const QString& name) {
        QString why;
        const auto program = offsets(api.programUrl(), name, 10, &why);
        QVERIFY2(program.size() >= 6, qPrintable(why));
        const double m = median(program);
        qInfo("%s: median audio minus video %.1f ms (EBU R37: -40..+60)", qPrintable(name), m);
        QVERIFY2(m >= -40 && m <= 60, qPrintable(why));
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

    void cleanupTestCase() {
        if (presenter) {
            presenter->kill();
            presenter->waitForFinished(5000);
        }
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }
};

QTEST_GUILESS_MAIN(tst_DirectorLipSync)
#include "tst_DirectorLipSync.moc"
