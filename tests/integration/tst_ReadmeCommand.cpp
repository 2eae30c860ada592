// The README's first command (scripts/run.sh) ends with the studio running and its URLs
// printed: on a machine without a display it starts a private Xvfb, the director builds the
// demo scene of test sources (colour bars with a clock inset, a lower third) and the program
// plays over HTTP-FLV at 1280x720. SIGTERM stops it with exit code 0.

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

#include "AudioLevels.h"
#include "FrameGrabber.h"
#include "Http.h"
#include "StudioProcess.h"

using namespace stagecast::test;

namespace {

/// Colour bars: light grey on the left edge, blue on the right edge (SMPTE-like, 75 %).
bool isGrey(const Rgb& c) {
    return c.r > 150 && c.g > 150 && c.b > 150 && std::abs(c.r - c.b) < 40;
}
bool isBarBlue(const Rgb& c) {
    return c.b > 130 && c.r < 60 && c.g < 60;
}

} // namespace

class tst_ReadmeCommand : public QObject {
    Q_OBJECT

private slots:
    // Without --headless stagecast opens its window; with no display it says so and stops.
    void windowWithoutADisplayIsRefusedByName() {
        QTemporaryDir data;
        QProcess studio;
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY");
        env.remove("WAYLAND_DISPLAY");
        env.remove("QT_QPA_PLATFORM");
        studio.setProcessEnvironment(env);
        studio.start(
            QString(STAGECAST_BUILD_DIR) + "/app/stagecast",
            {"--data-dir", data.path(), "--rtmp-port", "0", "--http-port", "0", "--srt-port", "0"});
        QVERIFY(studio.waitForFinished(30000));
        const QString err = QString::fromUtf8(studio.readAllStandardError());
        QCOMPARE(studio.exitCode(), 1);
        QVERIFY2(err.contains("no display") && err.contains("--headless"), qPrintable(err));
    }

    void runScriptStartsTheStudioWithADemoScene() {
        QTemporaryDir data;
        QProcess run;
        run.setProcessChannelMode(QProcess::MergedChannels);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("STAGECAST_BUILD_DIR", STAGECAST_BUILD_DIR);
        // A machine without a display: the script brings its own.
        env.remove("DISPLAY");
        env.remove("WAYLAND_DISPLAY");
        run.setProcessEnvironment(env);
        run.setWorkingDirectory(STAGECAST_SOURCE_DIR);
        run.start("bash", {"scripts/run.sh", "--data-dir", data.path(), "--rtmp-port", "0",
                           "--http-port", "0", "--srt-port", "0"});
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
        const auto ready = QRegularExpression("STAGECAST READY rtmp=\\d+ http=(\\d+)").match(out);
        QVERIFY(ready.hasMatch());
        const QString http = "http://127.0.0.1:" + ready.captured(1);

        QString token;
        QString err;
        QCOMPARE(runStagecast({"api-token", "--data-dir", data.path()}, &token, &err), 0);
        token = token.trimmed();

        // The demo scene: bars with the clock inset on program, the slate in preview, the
        // lower third on in the overlay layer.
        QJsonObject state;
        QTRY_VERIFY_WITH_TIMEOUT(
            (state = httpRequest("GET", http + "/api/v1/director", token).json(),
             state.value("program").toObject().value("main").toString() == "pattern:bars"),
            60000);
        QCOMPARE(state.value("program").toObject().value("inset").toString(), "text:clock");
        QCOMPARE(state.value("preview").toObject().value("main").toString(), "color:slate");
        const auto overlays = state.value("overlays").toArray();
        QVERIFY2(!overlays.isEmpty(), qPrintable(QJsonDocument(state).toJson()));
        QCOMPARE(overlays.at(0).toObject().value("input").toString(), "lower3:welcome");
        QVERIFY(overlays.at(0).toObject().value("on").toBool());

        // What a viewer sees: the bars (grey at the left edge, blue at the right, below the
        // clock inset and above the lower third).
        FrameGrabber grab(320, 180);
        QVERIFY(grab.start(http + "/live/program.flv"));
        const bool bars = grab.waitFor(
            [](const RgbFrame& f) {
                return isGrey(f.meanAt(0.04, 0.5)) && isBarBlue(f.meanAt(0.96, 0.5));
            },
            60000);
        QVERIFY2(bars, qPrintable(grab.frames().empty()
                                      ? grab.log().right(2000)
                                      : "left " + toString(grab.frames().back().meanAt(0.04, 0.5)) +
                                            ", right " +
                                            toString(grab.frames().back().meanAt(0.96, 0.5))));
        grab.stop();

        // What a listener hears: the bars' 1 kHz line-up tone, a sine peaking at -20 dBFS
        // (-23 dBFS RMS) in phase on both channels. The mono downmix adds L and R at -3 dB
        // each, so it reads -20 dBFS RMS; a channel missing would read -23, out of phase far
        // less. 15 s are listened to; from the third on, the tone must not break (no click: no
        // dropped or repeated stretch, no hole). The first seconds may hold libobs settling its
        // audio buffering as the studio starts (see docs/director.md).
        QString log;
        const auto samples = decodeAudio(http + "/live/program.flv", 15.0, &log);
        QVERIFY2(samples.size() > 48000 * 14, qPrintable(log));
        const double tone = toneDb(samples, 1000, samples.size() - 48000 * 2);
        qInfo("demo program: 1 kHz at %.1f dBFS RMS (mono downmix)", tone);
        QVERIFY2(tone > -21.5 && tone < -18.5, qPrintable(QString::number(tone)));
        const auto breaks = toneBreaks(samples, 1000, 48000 * 3);
        QVERIFY2(breaks.empty(), qPrintable(QString("the tone breaks %1 times, first at %2 s")
                                                .arg(breaks.size())
                                                .arg(breaks.empty() ? 0.0 : breaks[0] / 48000.0)));
        // With sound and a moving ticker the demo raises no content alert of its own: none
        // after those 15 s of probing (frozen and silence need 10 s each).
        QCOMPARE(overlays.size(), 2);
        QVERIFY(overlays.at(1).toObject().value("on").toBool());
        const auto alerts =
            httpRequest("GET", http + "/api/v1/alerts?state=all&stream=live/program", token).json();
        QVERIFY2(alerts.value("alerts").toArray().isEmpty(),
                 qPrintable(QJsonDocument(alerts).toJson()));

        ::kill(static_cast<pid_t>(run.processId()), SIGTERM); // the script forwards it
        QVERIFY(run.waitForFinished(30000));
        out += QString::fromUtf8(run.readAll());
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QVERIFY2(run.exitCode() == 0, qPrintable(out.right(3000)));
        QVERIFY2(out.contains("demo scene built"), qPrintable(out.right(3000)));
    }
};

QTEST_GUILESS_MAIN(tst_ReadmeCommand)
#include "tst_ReadmeCommand.moc"
