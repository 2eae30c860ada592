// The README's first command (scripts/run.sh) ends with the server running and its URLs
// printed; SIGTERM stops it with exit code 0.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

class tst_ReadmeCommand : public QObject {
    Q_OBJECT

private slots:
    void runScriptStartsTheServer() {
        QTemporaryDir data;
        QProcess run;
        run.setProcessChannelMode(QProcess::MergedChannels);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("STAGECAST_BUILD_DIR", STAGECAST_BUILD_DIR);
        run.setProcessEnvironment(env);
        run.setWorkingDirectory(STAGECAST_SOURCE_DIR);
        run.start("bash", {"scripts/run.sh", "--data-dir", data.path(), "--rtmp-port", "0",
                           "--http-port", "0"});
        QString out;
        QElapsedTimer t;
        t.start();
        while (!out.contains("STAGECAST READY") && t.elapsed() < 300000 &&
               run.state() != QProcess::NotRunning) {
            run.waitForReadyRead(500);
            out += QString::fromUtf8(run.readAll());
        }
        QVERIFY2(out.contains("STAGECAST READY"), qPrintable(out.right(3000)));
        QVERIFY(out.contains("push (RTMP)    rtmp://"));
        QVERIFY(out.contains("?auth_key="));
        QVERIFY(out.contains("play (FLV)     http://"));
        QVERIFY(out.contains("control API"));
        ::kill(static_cast<pid_t>(run.processId()), SIGTERM); // exec'd: this is stagecast
        QVERIFY(run.waitForFinished(15000));
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QCOMPARE(run.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ReadmeCommand)
#include "tst_ReadmeCommand.moc"
