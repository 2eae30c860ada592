// The director's transitions, T-bar, meters and audio options (issue 6) in the real process
// under Xvfb: two ffmpeg RTMP publishes (solid red + a 440 Hz tone at -20 dBFS RMS, solid
// blue + 880 Hz) are the inputs; the program is decoded over HTTP-FLV by ffmpeg
// (FrameGrabber) and its sound measured by AudioLevels. Each transition is set with
// POST /transition and run by Auto from red to blue: swipe and slide show red on one side and
// blue on the other, fade-to-black goes dark, a luma wipe mixes regions, a stinger (a green
// clip made by ffmpeg here) shows green, a stinger with a "mask" track matte shows red and
// blue side by side, a saved layout's own transition (a swipe) is used by Auto instead of the
// configured fade. The T-bar holds a mixture at 0.5, completes at 1 and
// cancels at 0. Meters read the tone's level; a muted input leaves the program meter; an
// input that does not follow video stays in the program's sound off program.

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "DirectorApi.h"
#include "FfTools.h"

using namespace stagecast::test;

namespace {

// A 320x240 input fills the height, pillar-boxed in x 80..560: these columns are inside it.
constexpr double kLeftX = 0.22;
constexpr double kRightX = 0.78;

Rgb left(const RgbFrame& f) {
    return f.meanAt(kLeftX, 0.5);
}
Rgb right(const RgbFrame& f) {
    return f.meanAt(kRightX, 0.5);
}
/// Red on one side and blue on the other: a wipe, swipe or slide half-way.
bool isSplit(const RgbFrame& f) {
    return (isRed(left(f)) && isBlue(right(f))) || (isBlue(left(f)) && isRed(right(f)));
}
bool isDark(const Rgb& c) {
    return c.r < 40 && c.g < 40 && c.b < 40;
}
bool isGreen(const Rgb& c) {
    return c.g > 90 && c.r < 70 && c.b < 70;
}

} // namespace

class tst_DirectorTransitions : public QObject {
    Q_OBJECT

    DirectorApi api;
    StudioProcess& studio = api.studio();
    FrameGrabber program;

    QString lastFrames(int n = 8) const {
        return describeFrames(
            program, n, {{"left", kLeftX, 0.5}, {"centre", 0.5, 0.5}, {"right", kRightX, 0.5}});
    }

    /// Red on program (cut), steady.
    void takeRed() {
        QVERIFY(api.post("/preview", R"({"input":"live/red"})").status == 200);
        QVERIFY(api.post("/cut").status == 200);
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 20),
                 qPrintable(lastFrames()));
    }

    /// Sets `transition`, runs Auto from red to blue, and answers how many program frames
    /// between the start and the steady blue end passed `during`.
    int runTransition(const QByteArray& transition,
                      const std::function<bool(const RgbFrame&)>& during) {
        takeRed();
        auto r = api.post("/transition", transition);
        if (r.status != 200) {
            qWarning("transition refused: %s", r.body.constData());
            return -1;
        }
        const int before = program.frames().back().index;
        if (api.post("/preview", R"({"input":"live/blue"})").status != 200 ||
            api.post("/auto").status != 200) {
            return -1;
        }
        if (!program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 30,
                                   30000)) {
            qWarning("no steady blue:\n%s", qPrintable(lastFrames()));
            return -1;
        }
        int count = 0;
        for (const auto& f : program.frames()) {
            count += f.index > before && during(f) ? 1 : 0;
        }
        return count;
    }

    double programTone(double hz, QString* log) { return api.programTones({hz}, log)[0]; }

    /// Red on program, a 1 s fade configured, and "blue-swipe" saved: live/blue with its own
    /// 1 s swipe from the left.
    void redAndBlueSwipeSaved() {
        takeRed();
        QVERIFY(api.post("/transition", R"({"type":"fade","duration_ms":1000})").status == 200);
        auto put = api.put("/layouts/blue-swipe",
                           R"({'layout':{'input':'live/blue'},'transition':{'type':'swipe',)"
                           R"('direction':'left','duration_ms':1000}})");
        QVERIFY2(put.status == 200, put.body.constData());
    }

private slots:
    void initTestCase() {
        QVERIFY2(api.start(), qPrintable(api.error()));
        QVERIFY2(api.connectEvents(), qPrintable(api.error()));
        // 0.1414 amplitude in both channels: -20 dBFS RMS, -17 dBFS peak.
        api.publish({.stream = "live/red",
                     .colour = "red",
                     .audio = "aevalsrc=0.1414*sin(2*PI*440*t)|0.1414*sin(2*PI*440*t):s=48000",
                     .seconds = 900});
        api.publish({.stream = "live/blue",
                     .colour = "blue",
                     .audio = "sine=frequency=880:sample_rate=48000",
                     .seconds = 900});
        QVERIFY2(studio.waitForLog("publishes live/red", 15000), qPrintable(studio.log()));
        QVERIFY2(studio.waitForLog("publishes live/blue", 15000), qPrintable(studio.log()));
        api.waitForLive({"live/red", "live/blue"}, 20000);
        QVERIFY(api.post("/preview", R"({"input":"live/red"})").status == 200);
        QVERIFY(api.post("/cut").status == 200);
        QVERIFY(program.start(api.programUrl()));
        QVERIFY2(
            program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 30, 60000),
            qPrintable(lastFrames()));
        const auto images = api.state().value("luma_images").toArray();
        QVERIFY2(images.contains(QJsonValue("linear-h")),
                 qPrintable(QJsonDocument(images).toJson()));
    }

    void badRequestsAreNamed() {
        const auto expect = [&](const QString& path, const QByteArray& body, const char* text) {
            auto r = api.post(path, body);
            QCOMPARE(r.status, 400);
            QVERIFY2(r.json().value("error").toString().contains(text), r.body.constData());
        };
        expect("/transition", R"({"type":"spin"})", "choose from cut, fade, swipe");
        expect("/transition", R"({"type":"swipe","direction":"sideways"})",
               "direction 'sideways' is unknown: choose from left, right, up, down");
        expect("/transition", R"({"type":"stinger","path":"/nonexistent/sting.mp4"})",
               "path: /nonexistent/sting.mp4 does not exist");
        // A file that is not a video: libobs cannot open it, so no stinger would ever play.
        const QString notVideo = studio.dataDir() + "/not-a-video.mp4";
        {
            QFile f(notVideo);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is not a video\n");
        }
        expect("/transition", QString(R"({"type":"stinger","path":"%1"})").arg(notVideo).toUtf8(),
               "could not be opened as a video clip");
        expect(
            "/transition",
            QString(R"({"type":"stinger","path":"%1","matte":"diagonal"})").arg(notVideo).toUtf8(),
            "matte 'diagonal' is unknown: choose from none, horizontal, vertical, mask");
        expect("/transition", R"({"type":"luma_wipe","image":"no-such-wipe"})",
               "image 'no-such-wipe' is unknown");
        expect("/transition", R"({"type":"fade_to_color","color":"black"})", "color");
        expect("/tbar", R"({"position":1.5})", "position: 1.5");
        expect("/auto", R"({"type":"slide","direction":"diagonal"})", "direction");
        expect("/audio", R"({"input":"live/red","follow_video":"no"})", "follow_video");
        // Nothing changed: Auto is still a fade, the program still red.
        QCOMPARE(api.state().value("transition").toObject().value("type").toString(),
                 QString("fade"));
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 10),
                 qPrintable(lastFrames()));
    }

    void swipeLeft() {
        const int split =
            runTransition(R"({"type":"swipe","direction":"left","duration_ms":1000})", isSplit);
        qInfo("swipe left 1 s: %d frames red on one side, blue on the other", split);
        // Both ease in and out (fastest half-way): the sampled columns are split for only
        // 3-5 of the 30 frames.
        QVERIFY2(split >= 2, qPrintable(lastFrames(40)));
        const auto t = api.state().value("transition").toObject();
        QCOMPARE(t.value("type").toString(), QString("swipe"));
        QCOMPARE(t.value("direction").toString(), QString("left"));
    }

    void slideLeft() {
        const int split =
            runTransition(R"({"type":"slide","direction":"left","duration_ms":1000})", isSplit);
        qInfo("slide left 1 s: %d split frames", split);
        // Both ease in and out (fastest half-way): the sampled columns are split for only
        // 3-5 of the 30 frames.
        QVERIFY2(split >= 2, qPrintable(lastFrames(40)));
    }

    void fadeToBlack() {
        const int dark = runTransition(
            R"({"type":"fade_to_color","color":"#000000","switch_point":50,"duration_ms":1000})",
            [](const RgbFrame& f) { return isDark(centre(f)); });
        qInfo("fade to black 1 s: %d dark frames", dark);
        QVERIFY2(dark >= 1, qPrintable(lastFrames(40)));
    }

    void lumaWipe() {
        const int mixed = runTransition(
            R"({"type":"luma_wipe","image":"linear-h","softness":0.03,"duration_ms":1000})",
            isSplit);
        qInfo("luma wipe linear-h 1 s: %d frames with red and blue regions", mixed);
        QVERIFY2(mixed >= 3, qPrintable(lastFrames(40)));
    }

    void stingerShowsItsClip() {
        const QString clip = studio.dataDir() + "/sting-green.mp4";
        QString log;
        QCOMPARE(Ffmpeg::run({"-hide_banner", "-loglevel", "warning", "-y", "-f", "lavfi", "-i",
                              "color=c=green:size=640x360:rate=30", "-t", "1", "-c:v", "libx264",
                              "-pix_fmt", "yuv420p", "-an", clip},
                             &log),
                 0);
        const int green = runTransition(QString(R"({"type":"stinger","path":"%1",)"
                                                R"("transition_point_ms":500})")
                                            .arg(clip)
                                            .toUtf8(),
                                        [](const RgbFrame& f) { return isGreen(centre(f)); });
        qInfo("stinger (1 s green clip): %d green frames", green);
        QVERIFY2(green >= 3, qPrintable(lastFrames(40)));
    }

    // A stinger with a track matte: the clip is the matte itself ("mask": nothing drawn over),
    // black on the left half and white on the right. While it plays the old program (red)
    // stays on the left and the new one (blue) shows on the right; then all blue.
    void stingerTrackMatteMasks() {
        const QString clip = studio.dataDir() + "/matte-split.mp4";
        QString log;
        QCOMPARE(Ffmpeg::run({"-hide_banner",
                              "-loglevel",
                              "warning",
                              "-y",
                              "-f",
                              "lavfi",
                              "-i",
                              "color=c=black:size=320x360:rate=30",
                              "-f",
                              "lavfi",
                              "-i",
                              "color=c=white:size=320x360:rate=30",
                              "-filter_complex",
                              "hstack",
                              "-t",
                              "2",
                              "-c:v",
                              "libx264",
                              "-pix_fmt",
                              "yuv420p",
                              "-an",
                              clip},
                             &log),
                 0);
        const int split =
            runTransition(QString(R"({"type":"stinger","path":"%1",)"
                                  R"("transition_point_ms":1000,"matte":"mask"})")
                              .arg(clip)
                              .toUtf8(),
                          [](const RgbFrame& f) { return isRed(left(f)) && isBlue(right(f)); });
        qInfo("stinger with a 2 s split mask: %d frames red left, blue right", split);
        QVERIFY2(split >= 5, qPrintable(lastFrames(70)));
        const auto transition = api.state().value("transition").toObject();
        QCOMPARE(transition.value("matte").toString(), QString("mask"));
        QCOMPARE(transition.value("invert_matte").toBool(), false);
    }

    // A saved layout with its own transition: recalled into preview by name, Auto takes it to
    // program with a swipe although the configured transition is a fade.
    void savedLayoutUsesItsTransition() {
        redAndBlueSwipeSaved();
        if (QTest::currentTestFailed()) {
            return;
        }
        const auto listed = api.get("/layouts").json().value("layouts").toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0).toObject().value("name").toString(), QString("blue-swipe"));
        QCOMPARE(listed.at(0).toObject().value("transition").toObject().value("type").toString(),
                 QString("swipe"));

        auto recall = api.post("/preview", R"({'name':'blue-swipe'})");
        QVERIFY2(recall.status == 200, recall.body.constData());
        QCOMPARE(api.state().value("preview").toObject().value("name").toString(),
                 QString("blue-swipe"));
        const int before = program.frames().back().index;
        QVERIFY(api.post("/auto").status == 200);
        QVERIFY2(
            program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 30, 30000),
            qPrintable(lastFrames()));
        int split = 0;
        for (const auto& f : program.frames()) {
            split += f.index > before && isSplit(f) ? 1 : 0;
        }
        qInfo("saved layout with a swipe, configured fade: %d split frames", split);
        QVERIFY2(split >= 2, qPrintable(lastFrames(40)));
        const auto state = api.state();
        QCOMPARE(state.value("program").toObject().value("name").toString(), QString("blue-swipe"));
        QCOMPARE(state.value("transition").toObject().value("type").toString(), QString("fade"));

        // Refusals name the problem; nothing saved changes.
        auto unknown = api.post("/preview", R"({'name':'nope'})");
        QCOMPARE(unknown.status, 400);
        QVERIFY2(unknown.json().value("error").toString() ==
                     "layout 'nope' is not saved (saved: blue-swipe)",
                 unknown.body.constData());
        auto badName = api.put("/layouts/bad.name!", R"({'layout':{'input':'live/blue'}})");
        QCOMPARE(badName.status, 400);
        QVERIFY2(badName.json().value("error").toString().contains("1 to 64 letters"),
                 badName.body.constData());
        auto badSlot =
            api.put("/layouts/wide", R"({'layout':{'layout':'custom','slots':[)"
                                     R"({'input':'live/red','x':0.5,'y':0,'w':0.8,'h':1}]}})");
        QCOMPARE(badSlot.status, 400);
        QVERIFY2(badSlot.json().value("error").toString().startsWith("layout: slots[0].w"),
                 badSlot.body.constData());
        QCOMPARE(api.get("/layouts").json().value("layouts").toArray().size(), 1);
        QCOMPARE(api.del("/layouts/blue-swipe").status, 200);
        QCOMPARE(api.del("/layouts/blue-swipe").status, 404);
    }

    // The T-bar takes a saved layout with its own transition too: at 0.5 the swipe is
    // half-way (red on one side, blue on the other) although the configured one is a fade.
    void savedLayoutTransitionOnTheTbar() {
        redAndBlueSwipeSaved();
        if (QTest::currentTestFailed()) {
            return;
        }
        QVERIFY(api.post("/preview", R"({'name':'blue-swipe'})").status == 200);
        auto r = api.post("/tbar", R"({"position":0.5})");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY2(program.waitForSteady(isSplit, 10), qPrintable(lastFrames(20)));
        r = api.post("/tbar", R"({"position":1})");
        QVERIFY2(r.status == 200 && r.json().value("completed").toBool(), r.body.constData());
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 20),
                 qPrintable(lastFrames()));
        QCOMPARE(api.state().value("program").toObject().value("name").toString(),
                 QString("blue-swipe"));
        QCOMPARE(api.del("/layouts/blue-swipe").status, 200);
    }

    // The T-bar at 0.5 holds a fade half-way; at 1 the take completes.
    void tbarHoldsAndCompletes() {
        takeRed();
        QVERIFY(api.post("/transition", R"({"type":"fade","duration_ms":1000})").status == 200);
        QVERIFY(api.post("/preview", R"({"input":"live/blue"})").status == 200);
        auto r = api.post("/tbar", R"({"position":0.5})");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY2(
            program.waitForSteady([](const RgbFrame& f) { return isRedBlueMix(centre(f)); }, 5),
            qPrintable(lastFrames()));
        // Held: at least 1 s of program frames (by their pts), all the same mixture.
        const double from = program.frames().back().pts;
        int lo = 255;
        int hi = 0;
        int held = 0;
        QVERIFY2(program.waitFor(
                     [&](const RgbFrame& f) {
                         const auto c = centre(f);
                         if (!isRedBlueMix(c)) {
                             held = -1000;
                         }
                         lo = std::min(lo, c.r);
                         hi = std::max(hi, c.r);
                         ++held;
                         return held < 0 || (f.pts > 0 && from > 0 && f.pts - from >= 1.2);
                     },
                     30000),
                 qPrintable(lastFrames()));
        qInfo("t-bar at 0.5: %d frames held, red part %d..%d", held, lo, hi);
        QVERIFY2(held > 0, qPrintable(lastFrames(40)));
        QVERIFY2(hi - lo <= 30,
                 qPrintable(QString("the mixture moved: red %1..%2").arg(lo).arg(hi)));
        QCOMPARE(api.get("/tbar").json().value("position").toDouble(), 0.5);
        QCOMPARE(api.state().value("program").toObject().value("main").toString(),
                 QString("live/red"));

        r = api.post("/tbar", R"({"position":1})");
        QVERIFY2(r.status == 200 && r.json().value("completed").toBool(), r.body.constData());
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 20),
                 qPrintable(lastFrames()));
        QCOMPARE(api.state().value("program").toObject().value("main").toString(),
                 QString("live/blue"));
        const auto tally = api.waitForEvent([](const QJsonObject& e) {
            return e.value("event").toString() == "tally" &&
                   e.value("program").toArray().contains(QJsonValue("live/blue"));
        });
        QVERIFY2(!tally.isEmpty(), "no tally event naming live/blue on program");
    }

    // Back to 0 before 1 cancels: the program stays as it was.
    void tbarBackCancels() {
        QVERIFY(api.post("/preview", R"({"input":"live/red"})").status == 200);
        QVERIFY(api.post("/tbar", R"({"position":0.4})").status == 200);
        QVERIFY2(
            program.waitForSteady([](const RgbFrame& f) { return isRedBlueMix(centre(f)); }, 5),
            qPrintable(lastFrames()));
        auto r = api.post("/tbar", R"({"position":0})");
        QVERIFY2(r.status == 200 && r.json().value("cancelled").toBool(), r.body.constData());
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 30),
                 qPrintable(lastFrames()));
        QCOMPARE(api.state().value("program").toObject().value("main").toString(),
                 QString("live/blue"));
        QCOMPARE(api.state().value("tbar").toObject().value("position").toDouble(), 0.0);
    }

    void metersReadTheTone() {
        takeRed(); // red alone on program; blue follows video, so it is out of the mix
        QElapsedTimer t;
        t.start();
        QJsonObject meter;
        QJsonObject programMeter;
        do {
            QTest::qWait(300);
            const auto s = api.state();
            programMeter = s.value("program_meter").toObject();
            meter = api.input("live/red").value("meter").toObject();
        } while (t.elapsed() < 20000 &&
                 (std::abs(meter.value("rms_db").toDouble() + 20) > 3 ||
                  std::abs(programMeter.value("rms_db").toDouble() + 20) > 3));
        qInfo("red's -20 dBFS tone: input rms %.1f peak %.1f dBFS, program rms %.1f dBFS",
              meter.value("rms_db").toDouble(), meter.value("peak_db").toDouble(),
              programMeter.value("rms_db").toDouble());
        QVERIFY2(std::abs(meter.value("rms_db").toDouble() + 20) <= 3,
                 qPrintable(QJsonDocument(meter).toJson()));
        QVERIFY2(std::abs(meter.value("peak_db").toDouble() + 17) <= 3,
                 qPrintable(QJsonDocument(meter).toJson()));
        QVERIFY2(std::abs(programMeter.value("rms_db").toDouble() + 20) <= 3,
                 qPrintable(QJsonDocument(programMeter).toJson()));

        // The meters event: both inputs and the program, at most every 100 ms (by the
        // frames' server times).
        QList<QDateTime> times;
        QJsonObject last;
        QElapsedTimer window;
        window.start();
        while (times.size() < 30 && window.elapsed() < 20000) {
            auto text = api.events().read(500);
            if (!text) {
                continue;
            }
            const auto frame = QJsonDocument::fromJson(QByteArray::fromStdString(*text)).object();
            if (frame.value("data").toObject().value("event").toString() == "meters") {
                last = frame.value("data").toObject();
                times << QDateTime::fromString(frame.value("time").toString(), Qt::ISODateWithMs);
            }
        }
        QVERIFY2(times.size() >= 30, qPrintable(QString("%1 meters events").arg(times.size())));
        qint64 closest = 1000000;
        for (int i = 1; i < times.size(); ++i) {
            closest = std::min(closest, times[i - 1].msecsTo(times[i]));
        }
        qInfo("meters events: the closest two %lld ms apart", static_cast<long long>(closest));
        QVERIFY2(closest >= 90, qPrintable(QString::number(closest)));
        QVERIFY(last.value("inputs").toObject().contains("live/red"));
        QVERIFY(last.value("program").toObject().contains("rms_db"));

        // Muted: the input's meter and the program's fall silent.
        QVERIFY(api.post("/audio", R"({"input":"live/red","muted":true})").status == 200);
        t.restart();
        do {
            QTest::qWait(300);
            programMeter = api.state().value("program_meter").toObject();
        } while (t.elapsed() < 20000 && programMeter.value("rms_db").toDouble() > -60);
        qInfo("red muted: program rms %.1f dBFS, red's meter %.1f dBFS",
              programMeter.value("rms_db").toDouble(),
              api.input("live/red").value("meter").toObject().value("rms_db").toDouble());
        QVERIFY2(programMeter.value("rms_db").toDouble() <= -60,
                 qPrintable(QJsonDocument(programMeter).toJson()));
        QVERIFY(api.input("live/red").value("meter").toObject().value("rms_db").toDouble() <= -60);
        QVERIFY(api.post("/audio", R"({"input":"live/red","muted":false})").status == 200);
    }

    // follow_video false: blue's tone is in the program's sound while red is on program.
    void alwaysInTheMix() {
        QString log;
        const double before = programTone(880, &log);
        qInfo("blue off program, following video: 880 Hz %.1f dBFS", before);
        QVERIFY2(before < -60, qPrintable(QString::number(before) + log));
        auto r = api.post("/audio", R"({"input":"live/blue","follow_video":false})");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(!api.input("live/blue").value("follow_video").toBool());
        QElapsedTimer t;
        t.start();
        double after = 0;
        do {
            after = programTone(880, &log);
        } while (after < -40 && t.elapsed() < 30000);
        qInfo("blue off program, always in the mix: 880 Hz %.1f dBFS", after);
        QVERIFY2(after > -40, qPrintable(QString::number(after) + log));
        QCOMPARE(api.state().value("program").toObject().value("main").toString(),
                 QString("live/red"));
        QVERIFY2(isRed(centre(program.frames().back())), qPrintable(lastFrames()));
    }

    // Monitoring under Xvfb may have no device: answered, reported, never a crash.
    void monitorIsReported() {
        auto r = api.post("/audio", R"({"input":"live/red","monitor":true})");
        QVERIFY2(r.status == 200, r.body.constData());
        qInfo("monitor on: %s", r.body.constData());
        const auto mic = api.input("live/red");
        QVERIFY(mic.value("monitor").toBool());
        QVERIFY(mic.contains("monitor_problem"));
        QVERIFY(api.post("/audio", R"({"input":"live/red","monitor":false})").status == 200);
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 10),
                 qPrintable(lastFrames()));
    }

    void restartRestoresTheTransition() {
        QVERIFY(api.post("/transition", R"({"type":"swipe","direction":"right","duration_ms":700})")
                    .status == 200);
        program.stop();
        QVERIFY2(api.stop(), qPrintable(api.error()));
        QVERIFY2(api.restart(), qPrintable(api.error()));
        const auto s = api.state();
        QVERIFY2(s.value("collection").toObject().value("problems").toArray().isEmpty(),
                 qPrintable(QJsonDocument(s).toJson()));
        const auto t = s.value("transition").toObject();
        QCOMPARE(t.value("type").toString(), QString("swipe"));
        QCOMPARE(t.value("direction").toString(), QString("right"));
        QCOMPARE(t.value("duration_ms").toInt(), 700);
        QVERIFY(!api.input("live/blue").value("follow_video").toBool());
    }

    void cleanupTestCase() {
        program.stop();
        api.unpublishAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }
};

QTEST_GUILESS_MAIN(tst_DirectorTransitions)
#include "tst_DirectorTransitions.moc"
