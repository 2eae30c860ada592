// Local audio capture with real sound (issue 6): a private PulseAudio server started by the
// test (a 660 Hz sine source as the "microphone", a null sink "hall" whose monitor is the
// "desktop audio", fed 990 Hz by ffmpeg). The studio, pointed at it with PULSE_SERVER, lists
// both devices; each becomes a director input that is always in the program mix, and its
// tone is measured in the decoded program; mute takes it out; monitoring finds the device.
// Under Xvfb like the other director tests.

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "AudioLevels.h"
#include "DirectorApi.h"

using namespace stagecast::test;

class tst_DirectorCapture : public QObject {
    Q_OBJECT

    QTemporaryDir pulseDir;
    QProcess pulse;
    QProcess player;
    DirectorApi api;

    QString socket() const { return pulseDir.filePath("native"); }

    /// The program's level of `hz` (dBFS) over its latest 1.5 s; 0 when too little decoded.
    double tone(double hz, QString* log) { return api.programTones({hz}, log)[0]; }

    /// Polls until the tone is above (or below) `db`; the last level.
    double waitForTone(double hz, double db, bool above, QString* log) {
        QElapsedTimer t;
        t.start();
        double level = 0;
        do {
            level = tone(hz, log);
        } while ((above ? level < db : level > db) && t.elapsed() < 40000);
        return level;
    }

    QStringList devices(const QString& kind) {
        for (const auto& k : api.get("/capture").json().value("capture").toArray()) {
            if (k.toObject().value("kind").toString() == kind) {
                QStringList ids;
                for (const auto& d : k.toObject().value("devices").toArray()) {
                    ids << d.toObject().value("id").toString();
                }
                return ids;
            }
        }
        return {};
    }

private slots:
    void initTestCase() {
        QVERIFY(pulseDir.isValid());
        if (QStandardPaths::findExecutable("pulseaudio").isEmpty()) {
            QFAIL("pulseaudio is not installed (scripts/deps.sh installs it)");
        }
        QFile config(pulseDir.filePath("default.pa"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QString("load-module module-native-protocol-unix socket=%1 "
                             "auth-anonymous=1\n"
                             "load-module module-null-sink sink_name=hall "
                             "sink_properties=device.description=Hall\n"
                             "load-module module-sine-source source_name=lectern rate=48000 "
                             "frequency=660\n"
                             "set-default-sink hall\n")
                         .arg(socket())
                         .toUtf8());
        config.close();
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", pulseDir.path());
        env.insert("XDG_RUNTIME_DIR", pulseDir.path());
        pulse.setProcessEnvironment(env);
        pulse.setProcessChannelMode(QProcess::MergedChannels);
        pulse.start("pulseaudio", {"-n", "-F", config.fileName(), "--daemonize=no",
                                   "--exit-idle-time=-1", "--use-pid-file=no", "--system=false"});
        QVERIFY(pulse.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(socket()), 15000);
        qputenv("PULSE_SERVER", ("unix:" + socket()).toUtf8());
        QVERIFY2(api.start(), qPrintable(api.error()));
    }

    void devicesAreListed() {
        const auto mics = devices("microphone");
        QVERIFY2(mics.contains("lectern"), qPrintable(mics.join(", ")));
        const auto desktop = devices("desktop_audio");
        QVERIFY2(desktop.contains("hall.monitor"), qPrintable(desktop.join(", ")));
    }

    void microphoneInTheProgram() {
        auto r = api.post("/inputs", R"({'id':'capture:lectern','kind':'capture',)"
                                     R"('capture':'microphone','device':'lectern'})");
        QVERIFY2(r.status == 200, r.body.constData());
        r = api.post("/audio", R"({'input':'capture:lectern','follow_video':false})");
        QVERIFY2(r.status == 200, r.body.constData());
        // PulseAudio's sine source sends in bursts, so part of the measured window is silent:
        // -35 dBFS or so where a steady -9 dBFS tone would read -9. Silence reads below -100.
        QString log;
        const double level = waitForTone(660, -50, true, &log);
        qInfo("microphone always in the mix: 660 Hz %.1f dBFS", level);
        QVERIFY2(level > -50, qPrintable(QString::number(level) + log + pulse.readAll()));
        QCOMPARE(api.input("capture:lectern").value("state").toString(), QString("live"));
    }

    void desktopAudioInTheProgram() {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("PULSE_SERVER", "unix:" + socket());
        player.setProcessEnvironment(env);
        player.setProcessChannelMode(QProcess::MergedChannels);
        player.start("ffmpeg", {"-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                                "sine=frequency=990:sample_rate=48000", "-t", "300", "-f", "pulse",
                                "-device", "hall", "stagecast test"});
        QVERIFY(player.waitForStarted());
        auto r = api.post("/inputs", R"({'id':'capture:hall','kind':'capture',)"
                                     R"('capture':'desktop_audio','device':'hall.monitor'})");
        QVERIFY2(r.status == 200, r.body.constData());
        r = api.post("/audio", R"({'input':'capture:hall','follow_video':false})");
        QVERIFY2(r.status == 200, r.body.constData());
        QString log;
        const double level = waitForTone(990, -40, true, &log);
        qInfo("desktop audio always in the mix: 990 Hz %.1f dBFS", level);
        QVERIFY2(level > -40, qPrintable(QString::number(level) + log + player.readAll()));
    }

    void muteTakesTheMicrophoneOut() {
        QVERIFY(api.post("/audio", R"({'input':'capture:lectern','muted':true})").status == 200);
        QString log;
        const double level = waitForTone(660, -60, false, &log);
        qInfo("microphone muted: 660 Hz %.1f dBFS", level);
        QVERIFY2(level < -60, qPrintable(QString::number(level) + log));
        const double desktop = tone(990, &log);
        QVERIFY2(desktop > -40, qPrintable(QString::number(desktop) + log)); // still there
    }

    void monitoringFindsTheServer() {
        auto r = api.post("/audio", R"({'input':'capture:hall','monitor':true})");
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(api.input("capture:hall").value("monitor_problem").toString(), QString());
    }

    void cleanupTestCase() {
        api.unpublishAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
        player.kill();
        player.waitForFinished(5000);
        pulse.terminate();
        if (!pulse.waitForFinished(5000)) {
            pulse.kill();
            pulse.waitForFinished(5000);
        }
    }
};

QTEST_GUILESS_MAIN(tst_DirectorCapture)
#include "tst_DirectorCapture.moc"
