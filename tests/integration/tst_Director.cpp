// The director (issue 6, must-shows 1-3) in the real process under Xvfb with Mesa's software
// OpenGL: two ffmpeg RTMP publishes (solid red + 440 Hz, solid blue + 880 Hz) become hub
// inputs; the program, published into the hub as live/program and decoded over HTTP-FLV by
// ffmpeg, shows red after a cut to red, blue after a cut to blue, a 1 s fade passes through
// red/blue mixtures and ends blue, and picture-in-picture shows blue in its corner with red
// around it. Bad requests answer 400 naming the problem.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "AudioLevels.h"
#include "DirectorApi.h"
#include "FfTools.h"

using namespace stagecast::test;

namespace {

constexpr int kMargin = 32;
// Where things are, as fractions: a 320x240 input fills the height (pillar-boxed 80..560);
// the picture-in-picture box (size 0.3, top-right) is 192x108 at (416, 32).
constexpr double kCentreX = 0.5;
constexpr double kCentreY = 0.5;
constexpr double kInsetX = (kCanvasWidth - kMargin - 0.3 * kCanvasWidth / 2) / kCanvasWidth;
constexpr double kInsetY = (kMargin + 0.3 * kCanvasHeight / 2) / kCanvasHeight;

// The standby slate's plain grey field (0x404040 before encoding).
bool isSlate(const Rgb& c) {
    const int hi = std::max({c.r, c.g, c.b});
    const int lo = std::min({c.r, c.g, c.b});
    return lo >= 40 && hi <= 100 && hi - lo < 20;
}

struct Tones {
    double low = 0;  // 440 Hz: the red input's tone, dBFS
    double high = 0; // 880 Hz: the blue input's
    QString log;
};

} // namespace

class tst_Director : public QObject {
    Q_OBJECT

    DirectorApi api;
    StudioProcess& studio = api.studio();
    FrameGrabber program;
    int lastCutFrames = -1; // cutToBlue's measure: red frames after the cut

    void publish(const QString& stream, const QString& colour, int hz) {
        api.publish({.stream = stream,
                     .colour = colour,
                     .audio = QString("sine=frequency=%1:sample_rate=48000").arg(hz)});
    }

    /// Sets the preview and takes it with a cut; the program's time of the cut (ms) goes to
    /// `programTimeMs` when given.
    void take(const QByteArray& preview, double* programTimeMs = nullptr,
              int* laggedFrames = nullptr) {
        const auto r = api.take(preview);
        QVERIFY2(r.status == 200, r.body.constData());
        if (programTimeMs != nullptr) {
            const auto t = r.json().value("program_time_ms");
            QVERIFY2(t.isDouble(), r.body.constData());
            *programTimeMs = t.toDouble();
        }
        if (laggedFrames != nullptr) {
            *laggedFrames = r.json().value("lagged_frames").toInt();
        }
    }

    /// The tones in the program's latest 1.5 s of sound.
    Tones measureTones() {
        Tones t;
        const auto levels = api.programTones({440, 880}, &t.log);
        t.low = levels[0];
        t.high = levels[1];
        return t;
    }

    QString lastFrames(int n = 5) const {
        return describeFrames(program, n,
                              {{"centre", kCentreX, kCentreY}, {"corner", kInsetX, kInsetY}});
    }

private slots:
    void initTestCase() {
        QVERIFY2(api.start(), qPrintable(api.error()));
        QVERIFY2(api.connectEvents(), qPrintable(api.error()));
        publish("live/red", "red", 440);
        publish("live/blue", "blue", 880);
        QVERIFY2(studio.waitForLog("publishes live/red", 15000), qPrintable(studio.log()));
        QVERIFY2(studio.waitForLog("publishes live/blue", 15000), qPrintable(studio.log()));
    }

    // Must-show 1, first half: both publishes are inputs with decoded pictures and sound.
    void publishesBecomeInputs() {
        api.waitForLive({"live/red", "live/blue"}, 20000); // checked below, with the details
        for (const char* stream : {"live/red", "live/blue"}) {
            const auto i = api.input(stream);
            const QString dump = QJsonDocument(api.state()).toJson();
            QVERIFY2(i.value("state").toString() == "live", qPrintable(dump));
            QCOMPARE(i.value("width").toInt(), 320);
            QCOMPARE(i.value("height").toInt(), 240);
            QVERIFY2(i.value("video_frames").toInteger() > 0, qPrintable(dump));
            QVERIFY2(i.value("audio_frames").toInteger() > 0, qPrintable(dump));
        }
        // The program is not an input of itself.
        QVERIFY(api.input("live/program").isEmpty());
        bool x264 = false;
        for (const auto& m : api.state().value("modules").toArray()) {
            if (m.toObject().value("module").toString() == "obs-x264") {
                x264 = m.toObject().value("loaded").toBool();
            }
        }
        QVERIFY(x264);
    }

    void programShowsRed() {
        take(R"({"input":"live/red"})");
        QString err;
        const auto probe = Ffmpeg::probe(studio.flvUrl("live/program"), &err);
        QStringList codecs;
        for (const auto& s : probe.value("streams").toArray()) {
            const auto o = s.toObject();
            codecs << o.value("codec_name").toString();
            if (o.value("codec_type").toString() == "video") {
                QCOMPARE(o.value("width").toInt(), kCanvasWidth);
                QCOMPARE(o.value("height").toInt(), kCanvasHeight);
            }
        }
        codecs.sort();
        QCOMPARE(codecs, QStringList({"aac", "h264"}));

        QVERIFY(program.start(api.programUrl()));
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 60),
                 qPrintable(lastFrames()));
        const auto s = api.state();
        QCOMPARE(s.value("program").toObject().value("main").toString(), QString("live/red"));
        QVERIFY(api.input("live/red").value("on_program").toBool());
        QVERIFY(!api.input("live/blue").value("on_program").toBool());
    }

    void cutToBlue() {
        const int before = program.frames().back().index;
        double cutAtMs = 0;
        int laggedAtCut = 0;
        take(R"({"input":"live/blue"})", &cutAtMs, &laggedAtCut);
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 30),
                 qPrintable(lastFrames()));
        // A cut: red up to one frame, blue from the next, nothing in between.
        bool seenBlue = false;
        double firstBluePts = -1;
        int redAfterCut = 0; // frames whose time is after the cut's that still show red
        for (const auto& f : program.frames()) {
            if (f.index <= before) {
                continue;
            }
            const auto c = centre(f);
            if (seenBlue) {
                QVERIFY2(isBlue(c),
                         qPrintable(
                             QString("frame %1 after the cut: %2").arg(f.index).arg(toString(c))));
            } else {
                seenBlue = isBlue(c);
                if (seenBlue) {
                    firstBluePts = program.ptsOf(f.index);
                } else if (program.ptsOf(f.index) * 1000 > cutAtMs + 1) {
                    ++redAfterCut; // 1 ms: the program time is whole milliseconds
                }
                QVERIFY2(
                    seenBlue || isRed(c),
                    qPrintable(QString("frame %1 at the cut: %2").arg(f.index).arg(toString(c))));
            }
        }
        QVERIFY2(firstBluePts >= 0, qPrintable(lastFrames()));
        const auto tally = api.waitForEvent([](const QJsonObject& e) {
            return e.value("event").toString() == "tally" &&
                   e.value("program").toArray() == QJsonArray{"live/blue"};
        });
        QVERIFY2(!tally.isEmpty(), "no tally event with live/blue on program");
        // The take swaps: the preview now holds what was on program (OBS studio mode).
        QCOMPARE(tally.value("preview").toArray(), QJsonArray{"live/red"});
        // Frames libobs could not render in time (an overloaded machine) repeat the picture
        // before the cut; they delay it by as many frames and are not the cut's doing.
        const int lagged =
            api.state().value("canvas").toObject().value("lagged_frames").toInt() - laggedAtCut;
        lastCutFrames = std::max(0, redAfterCut - lagged);
        qInfo("cut at program time %.0f ms, first blue frame at pts %.0f ms (%.2f frame times "
              "later): %d red frames after the cut, %d frames lagged by libobs meanwhile",
              cutAtMs, firstBluePts * 1000, (firstBluePts * 1000 - cutAtMs) / (1000.0 / 30),
              redAfterCut, lagged);
    }

    // Must-show 1, second half: blue within 2 frames of the command: on the program stream's
    // own timeline, at most 2 frames later than the program time the cut answered still show
    // red (not counting frames libobs reports it could not render in time).
    void cutLandsWithinTwoFrames() {
        QVERIFY2(lastCutFrames >= 0, "cutToBlue did not measure the cut");
        QVERIFY2(lastCutFrames <= 2,
                 qPrintable(QString("%1 red frames after the cut").arg(lastCutFrames)));
    }

    // Must-show 2: a 1 s fade passes through mixtures of both colours and ends fully blue.
    void fadeToBlue() {
        take(R"({"input":"live/red"})");
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 60),
                 qPrintable(lastFrames()));
        const int before = program.frames().back().index;
        QVERIFY(api.post("/preview", R"({"input":"live/blue"})").status == 200);
        auto r = api.post("/auto", R"({"duration_ms":1000})");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 30),
                 qPrintable(lastFrames()));

        QList<int> mixRed; // the red part of each mixture frame, in order
        bool mixing = false;
        for (const auto& f : program.frames()) {
            if (f.index <= before) {
                continue;
            }
            const auto c = centre(f);
            if (isRedBlueMix(c)) {
                mixing = true;
                mixRed << c.r;
            } else if (mixing) {
                QVERIFY2(!isRed(c), qPrintable("red again after the fade began: " + toString(c)));
            }
        }
        // 1 s at 30 fps is 30 frames; those between about 25% and 75% count as mixtures.
        QVERIFY2(
            mixRed.size() >= 8,
            qPrintable(QString("%1 mixture frames\n%2").arg(mixRed.size()).arg(lastFrames(60))));
        for (int i = 1; i < mixRed.size(); ++i) {
            QVERIFY2(mixRed[i] <= mixRed[i - 1] + 12,
                     qPrintable(QString("red rose during the fade: %1 then %2")
                                    .arg(mixRed[i - 1])
                                    .arg(mixRed[i])));
        }
        QVERIFY(isBlue(centre(program.frames().back())));
        qInfo("1 s fade: %lld mixture frames, red part %d .. %d",
              static_cast<long long>(mixRed.size()), mixRed.first(), mixRed.last());
    }

    // Must-show 3: picture-in-picture, blue in the top-right corner and red around it.
    void pictureInPicture() {
        take(R"({"layout":"pip","main":"live/red","inset":"live/blue","corner":"top-right",)"
             R"("size":0.3})");
        const auto pip = [](const RgbFrame& f) {
            return isBlue(f.meanAt(kInsetX, kInsetY)) && isRed(centre(f)) &&
                   isRed(f.meanAt(0.2, 0.1)) && isRed(f.meanAt(0.2, 0.9)) &&
                   isRed(f.meanAt(0.78, 0.8));
        };
        QVERIFY2(program.waitForSteady(pip, 30), qPrintable(lastFrames()));
        const auto onAir = api.state().value("program").toObject();
        QCOMPARE(onAir.value("layout").toString(), QString("pip"));
        QCOMPARE(onAir.value("inset").toString(), QString("live/blue"));
        QVERIFY(api.input("live/blue").value("on_program").toBool());
        QVERIFY(api.input("live/red").value("on_program").toBool());
    }

    // Must-show 5: an input's volume at zero removes its tone from the program's sound.
    void volumeZeroRemovesTone() {
        // Picture-in-picture is on program: both inputs are in the mix, and both presenters'
        // tones go on unbroken (no click) once the take has settled: 4 s listened to (the
        // first may reach back to the take through the player's start at a keyframe; longer
        // would block this test's event loop long enough for the hub to drop its frame
        // grabber as a slow reader), the last 2 checked.
        QString log;
        const auto sound = decodeAudio(api.programUrl(), 4.0, &log);
        QVERIFY2(sound.size() > 48000 * 3, qPrintable(log));
        for (const double hz : {440.0, 880.0}) {
            const auto breaks = toneBreaks(sound, hz, sound.size() - 48000 * 2);
            QVERIFY2(breaks.empty(),
                     qPrintable(
                         QString("%1 Hz breaks %2 times, first %3 s before the end")
                             .arg(hz)
                             .arg(breaks.size())
                             .arg(breaks.empty()
                                      ? 0.0
                                      : static_cast<double>(sound.size() - breaks[0]) / 48000.0)));
        }
        auto tones = measureTones();
        QVERIFY2(tones.low > -40 && tones.high > -40,
                 qPrintable(QString("440 Hz %1 dB, 880 Hz %2 dB %3")
                                .arg(tones.low)
                                .arg(tones.high)
                                .arg(tones.log)));
        qInfo("program with both tones: 440 Hz %.1f dBFS, 880 Hz %.1f dBFS", tones.low, tones.high);
        auto r = api.post("/audio", R"({"input":"live/red","volume":0})");
        QVERIFY2(r.status == 200, r.body.constData());
        QElapsedTimer t;
        t.start();
        do {
            tones = measureTones();
        } while (tones.low > -60 && t.elapsed() < 30000);
        qInfo("red at volume 0: 440 Hz %.1f dBFS, 880 Hz %.1f dBFS", tones.low, tones.high);
        QVERIFY2(tones.low < -60, qPrintable(QString::number(tones.low) + tones.log));
        QVERIFY2(tones.high > -40, qPrintable(QString::number(tones.high) + tones.log));
        QCOMPARE(api.input("live/red").value("volume").toDouble(), 0.0);
        QVERIFY(api.post("/audio", R"({"input":"live/red","volume":1})").status == 200);
        r = api.post("/audio", R"({"input":"live/red","volume":"loud"})");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains("volume"), r.body.constData());
    }

    // Must-show 4: the input on program stops; its standby slate shows; it comes back.
    void standbyWhenInputStops() {
        take(R"({"input":"live/red"})");
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 30),
                 qPrintable(lastFrames()));
        const qint64 stoppedAt = program.frames().back().receivedMs;
        api.unpublish("live/red");
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isSlate(centre(f)); }, 10),
                 qPrintable(lastFrames()));
        qint64 firstSlate = -1;
        for (const auto& f : program.frames()) {
            if (f.receivedMs > stoppedAt && isSlate(centre(f))) {
                firstSlate = f.receivedMs;
                break;
            }
        }
        qInfo("standby slate seen by the FLV player %lld ms after the publisher was killed",
              firstSlate - stoppedAt);
        QVERIFY2(studio.waitForLog("input live/red: standby slate on", 5000),
                 qPrintable(studio.log()));
        const auto on = api.waitForEvent([](const QJsonObject& e) {
            return e.value("event").toString() == "standby" &&
                   e.value("stream").toString() == "live/red" && e.value("standby").toBool();
        });
        QCOMPARE(on.value("state").toString(), QString("off"));
        QCOMPARE(api.input("live/red").value("state").toString(), QString("off"));
        QVERIFY(api.input("live/red").value("standby").toBool());

        publish("live/red", "red", 440);
        QVERIFY2(
            program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 30, 30000),
            qPrintable(lastFrames()));
        QVERIFY2(studio.waitForLog("input live/red: live again, standby slate off", 5000),
                 qPrintable(studio.log()));
        const auto off = api.waitForEvent([](const QJsonObject& e) {
            return e.value("event").toString() == "standby" &&
                   e.value("stream").toString() == "live/red" && !e.value("standby").toBool();
        });
        QCOMPARE(off.value("state").toString(), QString("live"));
        QVERIFY(!api.input("live/red").value("standby").toBool());
    }

    void badRequestsAreNamed() {
        auto r = api.post("/preview", R"({"input":"live/nobody"})");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains("input live/nobody is not known"),
                 r.body.constData());
        r = api.post("/preview", R"({"layout":"pip","main":"live/red","inset":"live/blue",)"
                                 R"("corner":"middle"})");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains("choose from top-left"),
                 r.body.constData());
        r = api.post("/auto", R"({"duration_ms":-5})");
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains("duration_ms"), r.body.constData());
        // The program went on: still red.
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 10),
                 qPrintable(lastFrames()));
    }

    // Must-show 6: the scene collection saved by the studio restores the same layouts and
    // bindings (and the operator's saved layouts) after a restart.
    void collectionSurvivesRestart() {
        take(R"({"layout":"pip","main":"live/red","inset":"live/blue","corner":"bottom-left",)"
             R"("size":0.25})");
        QVERIFY(api.post("/preview", R"({"input":"live/blue"})").status == 200);
        QVERIFY(api.post("/audio", R"({"input":"live/red","volume":0.5})").status == 200);
        QVERIFY(api.post("/audio", R"({"input":"live/blue","muted":true})").status == 200);
        auto saved = api.put("/layouts/side", R"({'layout':{'layout':'side-by-side',)"
                                              R"('slots':['live/blue','live/red']},)"
                                              R"('transition':{'type':'slide','direction':'up'}})");
        QVERIFY2(saved.status == 200, saved.body.constData());
        const auto before = api.state();
        const auto layoutsBefore = api.get("/layouts").json();
        program.stop();
        QVERIFY2(api.stop(), qPrintable(api.error()));
        QVERIFY(QFile::exists(studio.dataDir() + "/director/scenes.json"));

        QVERIFY2(api.restart(), qPrintable(api.error()));
        const auto after = api.state();
        QVERIFY2(after.value("running").toBool(), qPrintable(studio.log()));
        QVERIFY2(after.value("collection").toObject().value("problems").toArray().isEmpty(),
                 qPrintable(QJsonDocument(after).toJson()));
        QCOMPARE(after.value("program").toObject(), before.value("program").toObject());
        QCOMPARE(after.value("preview").toObject(), before.value("preview").toObject());
        QCOMPARE(after.value("program").toObject().value("corner").toString(),
                 QString("bottom-left"));
        QCOMPARE(api.get("/layouts").json(), layoutsBefore); // saved layouts with transitions
        QCOMPARE(api.input("live/red").value("volume").toDouble(), 0.5);
        QVERIFY(api.input("live/blue").value("muted").toBool());
        QVERIFY(!api.input("live/red").value("muted").toBool());

        // The restored layout is what goes out once the presenters are back.
        publish("live/red", "red", 440);
        publish("live/blue", "blue", 880);
        QVERIFY(program.start(api.programUrl()));
        const double insetX = (kMargin + 0.25 * kCanvasWidth / 2) / kCanvasWidth;
        const double insetY = (kCanvasHeight - kMargin - 0.25 * kCanvasHeight / 2) / kCanvasHeight;
        QVERIFY2(program.waitForSteady(
                     [&](const RgbFrame& f) {
                         return isBlue(f.meanAt(insetX, insetY)) && isRed(centre(f));
                     },
                     30, 30000),
                 qPrintable(lastFrames()));
    }

    void cleanupTestCase() {
        program.stop();
        api.unpublishAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }
};

QTEST_GUILESS_MAIN(tst_Director)
#include "tst_Director.moc"
