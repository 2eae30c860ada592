// The director on Wayland (issue 6: "OpenGL over EGL on Linux/X11 or Wayland"): a private
// headless Weston compositor (pixman renderer, its own XDG_RUNTIME_DIR) and a studio started
// with WAYLAND_DISPLAY and no DISPLAY, so libobs draws through EGL on wl_display with Mesa's
// software OpenGL. The API reports the window system; two ffmpeg publishes (red, blue) are
// cut to program and the decoded program shows each; a fade passes through mixtures; X11-only
// screen capture is reported unavailable with a reason; the studio stops cleanly. A bad
// STAGECAST_GRAPHICS value stops the start with a message naming it.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "DirectorApi.h"
#include "FfTools.h"

using namespace stagecast::test;

class tst_DirectorWayland : public QObject {
    Q_OBJECT

    QTemporaryDir runtime;
    QProcess weston;
    QString socket;
    DirectorApi api;
    FrameGrabber program;

    QString lastFrames() const { return describeFrames(program, 10, {{"centre", 0.5, 0.5}}); }

    void take(const QByteArray& preview) {
        QCOMPARE(api.post("/preview", preview).status, 200);
        QCOMPARE(api.post("/cut").status, 200);
    }

private slots:
    void initTestCase() {
        const QString binary = QStandardPaths::findExecutable("weston");
        QVERIFY2(!binary.isEmpty(), "weston is not installed: scripts/deps.sh installs it");
        QVERIFY(runtime.isValid());
        QFile::setPermissions(runtime.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                  QFileDevice::ExeOwner);
        socket = QString("stagecast-test-%1").arg(QCoreApplication::applicationPid());
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_RUNTIME_DIR", runtime.path());
        env.remove("DISPLAY");
        env.remove("WAYLAND_DISPLAY");
        weston.setProcessEnvironment(env);
        weston.setProcessChannelMode(QProcess::MergedChannels);
        weston.start(binary, {"--backend=headless-backend.so", "--use-pixman", "--socket=" + socket,
                              "--idle-time=0", "--width=1280", "--height=720"});
        QVERIFY2(weston.waitForStarted(5000), qPrintable(weston.errorString()));
        QTRY_VERIFY2_WITH_TIMEOUT(QFile::exists(runtime.filePath(socket)),
                                  qPrintable(QString::fromUtf8(weston.readAll())), 15000);

        // The studio inherits this environment: Wayland only.
        qunsetenv("DISPLAY");
        qunsetenv("STAGECAST_GRAPHICS");
        qputenv("WAYLAND_DISPLAY", socket.toUtf8());
        qputenv("XDG_RUNTIME_DIR", runtime.path().toUtf8());
        QVERIFY2(api.start(), qPrintable(api.error()));
    }

    void drawsThroughWayland() {
        const auto graphics = api.state().value("graphics").toObject();
        QCOMPARE(graphics.value("window_system").toString(), QString("wayland"));
        QCOMPARE(graphics.value("display").toString(), socket);
        QVERIFY2(!graphics.value("renderer").toString().isEmpty(),
                 qPrintable(api.studio().log().right(3000)));
        QVERIFY(api.studio().log().contains("on wayland " + socket));
    }

    void cutsShowOnProgram() {
        api.publish({.stream = "live/red", .colour = "red"});
        api.publish({.stream = "live/blue", .colour = "blue"});
        QVERIFY2(api.waitForLive({"live/red", "live/blue"}), qPrintable(api.error()));
        take(R"({"input":"live/red"})");
        QVERIFY(program.start(api.programUrl()));
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 30),
                 qPrintable(lastFrames()));
        take(R"({"input":"live/blue"})");
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 30),
                 qPrintable(lastFrames()));
    }

    void fadeMixes() {
        QCOMPARE(api.post("/preview", R"({"input":"live/red"})").status, 200);
        const int before = program.frames().back().index;
        QCOMPARE(api.post("/auto", R"({"type":"fade","duration_ms":1000})").status, 200);
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 30),
                 qPrintable(lastFrames()));
        int mixed = 0;
        for (const auto& f : program.frames()) {
            if (f.index > before && isRedBlueMix(centre(f))) {
                ++mixed;
            }
        }
        QVERIFY2(mixed >= 3, qPrintable(QString("%1 mixture frames; ").arg(mixed) + lastFrames()));
    }

    void x11CaptureIsNotOffered() {
        const auto capture = api.get("/capture").json().value("capture").toArray();
        bool seen = false;
        for (const auto& v : capture) {
            const auto o = v.toObject();
            if (o.value("kind").toString() == "screen") {
                seen = true;
                QVERIFY(!o.value("available").toBool());
                QVERIFY2(!o.value("reason").toString().isEmpty(),
                         qPrintable(QJsonDocument(o).toJson()));
            }
        }
        QVERIFY(seen);
    }

    void stopsCleanly() {
        program.stop();
        api.unpublishAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }

    // A wrong STAGECAST_GRAPHICS is named, and the studio does not start half way.
    void badGraphicsChoiceIsNamed() {
        qputenv("STAGECAST_GRAPHICS", "vulkan");
        const bool started = api.restart();
        qunsetenv("STAGECAST_GRAPHICS");
        const QString log = api.studio().log();
        if (started) {
            api.stop();
        }
        QVERIFY2(log.contains("STAGECAST_GRAPHICS='vulkan' is not one of x11, wayland"),
                 qPrintable(log.right(3000)));
    }

    void cleanupTestCase() {
        if (weston.state() != QProcess::NotRunning) {
            weston.terminate();
            if (!weston.waitForFinished(5000)) {
                weston.kill();
                weston.waitForFinished(3000);
            }
        }
    }
};

QTEST_MAIN(tst_DirectorWayland)
#include "tst_DirectorWayland.moc"
