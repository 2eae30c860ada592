// libobs started by the director's Engine (under Xvfb): modules load one by one and a missing
// one is named while the rest work; a second engine, a canvas out of range and a missing
// display are refused with messages that say what to do; OBS Studio's OBS_PLUGINS_PATH moves
// the module folder.

#include <QtTest>

#include "director/Engine.h"

using namespace stagecast::director;

class tst_Engine : public QObject {
    Q_OBJECT

private slots:
    void noDisplayIsExplained() {
        const QByteArray display = qgetenv("DISPLAY");
        qputenv("DISPLAY", ":987");
        auto engine = Engine::start({});
        qputenv("DISPLAY", display);
        QVERIFY(!engine);
        QCOMPARE(engine.error().message(),
                 std::string("cannot open the X display ':987': the director needs one (run "
                             "under a desktop session or xvfb-run)"));
    }

    void canvasOutOfRange() {
        EngineOptions o;
        o.width = 8000;
        auto engine = Engine::start(o);
        QVERIFY(!engine);
        QCOMPARE(engine.error().message(),
                 std::string("director canvas 8000x720 is out of range 16x16..7680x4320"));
        o.width = 1280;
        o.fps = 0;
        engine = Engine::start(o);
        QVERIFY(!engine);
        QCOMPARE(engine.error().message(),
                 std::string("director frame rate 0 is out of range 1..120"));
    }

    void missingModuleIsNamedAndTheRestLoad() {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DISPLAY"), "run under xvfb-run (ctest does)");
        QTemporaryDir config;
        EngineOptions o;
        o.modules = {"image-source", "no-such-module", "obs-transitions"};
        o.configDir = config.filePath("obs-config").toStdString();
        auto engine = Engine::start(o);
        QVERIFY2(engine.has_value(), engine ? "" : engine.error().message().c_str());
        QCOMPARE((*engine)->loadedModules(),
                 (std::vector<std::string>{"image-source", "obs-transitions"}));
        QCOMPARE((*engine)->missingModules().size(), std::size_t(1));
        QCOMPARE((*engine)->missingModules()[0].module, std::string("no-such-module"));
        QCOMPARE((*engine)->missingModules()[0].reason,
                 std::string("not found in /usr/lib/x86_64-linux-gnu/obs-plugins"));
        // What the loaded modules register is there; what the missing ones would is not.
        QVERIFY(Engine::hasSourceType("color_source_v3"));
        QVERIFY(Engine::hasSourceType("fade_transition"));
        QVERIFY(!Engine::hasEncoderType("obs_x264"));
        QVERIFY(QDir(config.filePath("obs-config")).exists());

        // libobs is process-global.
        auto second = Engine::start(o);
        QVERIFY(!second);
        QCOMPARE(second.error().message(),
                 std::string("libobs is already running in this process (one director at a "
                             "time)"));
    }

    void modulesFromObsPluginsPath() {
        QTemporaryDir plugins;
        QTemporaryDir config;
        const QByteArray before = qgetenv("OBS_PLUGINS_PATH");
        qputenv("OBS_PLUGINS_PATH", plugins.path().toUtf8());
        EngineOptions o;
        if (before.isEmpty()) {
            qunsetenv("OBS_PLUGINS_PATH");
        } else {
            qputenv("OBS_PLUGINS_PATH", before);
        }
        QCOMPARE(o.pluginDir, plugins.path().toStdString());
        // The folder is empty: every module is named as missing there and libobs still runs.
        // One real module copied in loads from there.
        QVERIFY(QFile::copy(QString::fromStdString(EngineOptions().pluginDir) + "/image-source.so",
                            plugins.filePath("image-source.so")));
        o.modules = {"image-source", "obs-transitions"};
        o.configDir = config.filePath("obs-config").toStdString();
        auto engine = Engine::start(o);
        QVERIFY2(engine.has_value(), engine ? "" : engine.error().message().c_str());
        QCOMPARE((*engine)->loadedModules(), (std::vector<std::string>{"image-source"}));
        QCOMPARE((*engine)->missingModules().size(), std::size_t(1));
        QCOMPARE((*engine)->missingModules()[0].reason,
                 "not found in " + plugins.path().toStdString());
        QVERIFY(Engine::hasSourceType("color_source_v3"));
        QVERIFY(!Engine::hasSourceType("fade_transition"));
    }
};

QTEST_GUILESS_MAIN(tst_Engine)
#include "tst_Engine.moc"
