// The director's preview as a stream (issue 6) in the real process under Xvfb with Mesa's
// software OpenGL: two ffmpeg RTMP publishes (solid red, solid blue) become inputs; with red on
// program and blue in preview, `live/preview` decoded over HTTP-FLV by ffmpeg shows blue while
// `live/program` shows red, and after a Cut they swap (preview red, program blue, as OBS studio
// mode does) with the preview's timestamps running on without a jump. A colour-box overlay
// shows at its place in the preview stream too. With preview_output = false there is no
// `live/preview` (404 on its FLV URL) and the program still goes out. Colours are checked once
// the picture is steady (several frames in a row); waits are bounded by timeouts.

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "DirectorApi.h"
#include "FfTools.h"

using namespace stagecast::test;

namespace {

// The preview at half the canvas's size (libobs scales it).
constexpr int kPreviewWidth = 320;
constexpr int kPreviewHeight = 180;
constexpr int kPreviewFps = 15;

// The overlay box: x 0.9..0.98, y 0.1..0.3 of the canvas, in the pillar-box bar (black) right
// of the 320x240 input (fitted to 480x360: x 0.125..0.875), so the box is told apart from it.
constexpr double kBoxX = 0.94;
constexpr double kBoxY = 0.2;

bool isWhite(const Rgb& c) {
    return c.r > 190 && c.g > 190 && c.b > 190;
}
bool isBlack(const Rgb& c) {
    return c.r < 50 && c.g < 50 && c.b < 50;
}

QString config(bool preview) {
    return QString("preview_output = %1\npreview_width = %2\npreview_height = %3\n"
                   "preview_fps = %4\n")
        .arg(preview ? "true" : "false")
        .arg(kPreviewWidth)
        .arg(kPreviewHeight)
        .arg(kPreviewFps);
}

} // namespace

class tst_DirectorPreview : public QObject {
    Q_OBJECT

    DirectorApi api;
    StudioProcess& studio = api.studio();
    FrameGrabber program;
    FrameGrabber preview;

    void startWithInputs(bool previewOutput) {
        QVERIFY2(api.start(config(previewOutput)), qPrintable(api.error()));
        api.publish({.stream = "live/red", .colour = "red", .videoBitrate = "200k"});
        api.publish({.stream = "live/blue", .colour = "blue", .videoBitrate = "200k"});
        QVERIFY2(api.waitForLive({"live/red", "live/blue"}),
                 qPrintable(QJsonDocument(api.state()).toJson()));
    }

    void stopAll() {
        program.stop();
        preview.stop();
        api.unpublishAll();
    }

    static QString last(const FrameGrabber& grab, double x = 0.5, double y = 0.5) {
        return describeFrames(grab, 5, {{"", x, y}}, 1500);
    }

    /// The preview output's figures and the studio's preview and libobs lines.
    QString diagnose() {
        QStringList lines;
        for (const auto& l : studio.log().split('\n')) {
            if (l.contains("preview") || l.contains("obs")) {
                lines << l;
            }
        }
        return QJsonDocument(api.state().value("preview_output").toObject()).toJson() +
               lines.mid(std::max<qsizetype>(0, lines.size() - 60)).join('\n');
    }

private slots:
    void initTestCase() {
        startWithInputs(true);
        QVERIFY2(studio.waitForLog("preview publishes live/preview", 20000),
                 qPrintable(studio.log()));
    }

    // Preview blue while program is red; after a Cut preview red, program blue.
    void previewFollowsTakes() {
        auto r = api.take("{'input':'live/red'}");
        QVERIFY2(r.status == 200, r.body.constData());
        r = api.post("/preview", "{'input':'live/blue'}");
        QVERIFY2(r.status == 200, r.body.constData());

        QVERIFY(program.start(api.programUrl()));
        QVERIFY(preview.start(studio.flvUrl("live/preview")));
        QVERIFY2(
            program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 15, 60000),
            qPrintable(last(program)));
        if (!preview.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 10,
                                   60000)) {
            qWarning("%s", qPrintable(diagnose()));
            QFAIL(qPrintable(last(preview)));
        }
        const int beforeCut = preview.frames().back().index;

        r = api.post("/cut");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY2(program.waitForSteady([](const RgbFrame& f) { return isBlue(centre(f)); }, 15),
                 qPrintable(last(program)));
        QVERIFY2(preview.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 10),
                 qPrintable(last(preview)));
        const auto s = api.state();
        QCOMPARE(s.value("program").toObject().value("main").toString(), QString("live/blue"));
        QCOMPARE(s.value("preview").toObject().value("main").toString(), QString("live/red"));

        // The preview's timestamps ran on through the cut: each frame one frame time after the
        // one before (libobs repeats a picture it could not render in time, it never skips).
        double before = -1;
        int checked = 0;
        for (const auto& f : preview.frames()) {
            const double pts = preview.ptsOf(f.index);
            if (f.index < beforeCut - 5 || pts < 0) {
                continue;
            }
            if (before >= 0) {
                const double step = pts - before;
                QVERIFY2(step > 0 && step < 2.5 / kPreviewFps,
                         qPrintable(QString("preview frame %1: pts %2 after %3 (step %4)")
                                        .arg(f.index)
                                        .arg(pts)
                                        .arg(before)
                                        .arg(step)));
                ++checked;
            }
            before = pts;
        }
        QVERIFY2(checked >= 10, qPrintable(QString("%1 preview steps checked").arg(checked)));
        qInfo("preview: %d frame steps across the cut, all one frame time", checked);
    }

    // The preview stream's size and the figures in GET /api/v1/director.
    void figuresInState() {
        QString err;
        const auto probe = Ffmpeg::probe(studio.flvUrl("live/preview"), &err);
        const auto streams = probe.value("streams").toArray();
        QVERIFY2(!streams.isEmpty(), qPrintable(err));
        const auto v = streams.first().toObject();
        QCOMPARE(v.value("codec_name").toString(), QString("h264"));
        QCOMPARE(v.value("width").toInt(), kPreviewWidth);
        QCOMPARE(v.value("height").toInt(), kPreviewHeight);

        const auto p = api.state().value("preview_output").toObject();
        QVERIFY2(p.value("enabled").toBool(), qPrintable(QJsonDocument(p).toJson()));
        QCOMPARE(p.value("stream").toString(), QString("live/preview"));
        QVERIFY(p.value("active").toBool());
        QCOMPARE(p.value("width").toInt(), kPreviewWidth);
        QCOMPARE(p.value("fps").toInt(), kPreviewFps);
        QVERIFY2(p.value("frames").toInteger() > 30, qPrintable(QJsonDocument(p).toJson()));
        QVERIFY2(p.value("bitrate_kbps").toInteger() > 0, qPrintable(QJsonDocument(p).toJson()));
        QVERIFY(p.value("lagged_frames").isDouble());
        QCOMPARE(p.value("last_error").toString(), QString());
        qInfo("preview output: %lld frames, %lld kbit/s (configured 800), %lld lagged",
              p.value("frames").toInteger(), p.value("bitrate_kbps").toInteger(),
              p.value("lagged_frames").toInteger());
        // The preview is the director's output, not one of its inputs.
        for (const auto& i : api.state().value("inputs").toArray()) {
            QVERIFY(i.toObject().value("stream").toString() != "live/preview");
        }
    }

    // A colour box switched on shows at its place in the preview stream, and goes when off.
    void overlayOverPreview() {
        auto r = api.post("/overlay", "{'id':'box','kind':'color','color':'#FFFFFF',"
                                      "'x':0.9,'y':0.1,'w':0.08,'h':0.2,'on':true}");
        QVERIFY2(r.status == 200, r.body.constData());
        const auto boxed = [](const RgbFrame& f) {
            return isWhite(f.meanAt(kBoxX, kBoxY)) && isRed(centre(f));
        };
        QVERIFY2(preview.waitForSteady(boxed, 10, 30000), qPrintable(last(preview, kBoxX, kBoxY)));
        QVERIFY2(program.waitForSteady(
                     [](const RgbFrame& f) {
                         return isWhite(f.meanAt(kBoxX, kBoxY)) && isBlue(centre(f));
                     },
                     10, 30000),
                 qPrintable(last(program, kBoxX, kBoxY)));
        r = api.post("/overlay", "{'id':'box','on':false}");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY2(preview.waitForSteady(
                     [](const RgbFrame& f) {
                         return isBlack(f.meanAt(kBoxX, kBoxY)) && isRed(centre(f));
                     },
                     10, 30000),
                 qPrintable(last(preview, kBoxX, kBoxY)));
    }

    // The multiview: preview (top left, green frame), program (top right, red frame), the
    // inputs in a row under them with their tally; it follows a Cut; off is off.
    void multiviewShowsPreviewProgramAndInputs() {
        auto bad = api.post("/multiview", "{'on':true,'fps':7}");
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.json().value("error").toString() == "fps: 7 must divide the canvas fps (30)",
                 bad.body.constData());
        auto r = api.post("/multiview", "{'on':true,'width':640,'height':360,'fps':10}");
        QVERIFY2(r.status == 200, r.body.constData());
        FrameGrabber multiview(640, 360);
        QVERIFY(multiview.start(studio.flvUrl("live/multiview")));
        // Program blue and preview red (after the cut above); inputs sorted: blue, then red.
        const auto layoutIs = [](bool programBlue) {
            return [programBlue](const RgbFrame& f) {
                const auto red = [](const Rgb& c) { return isRed(c); };
                const auto blue = [](const Rgb& c) { return isBlue(c); };
                const auto programOk =
                    programBlue ? blue(f.meanAt(0.75, 0.25)) : red(f.meanAt(0.75, 0.25));
                const auto previewOk =
                    programBlue ? red(f.meanAt(0.25, 0.25)) : blue(f.meanAt(0.25, 0.25));
                return programOk && previewOk && blue(f.meanAt(0.125, 0.625)) &&
                       red(f.meanAt(0.375, 0.625));
            };
        };
        const auto describe = [&multiview] {
            return describeFrames(multiview, 3,
                                  {{"preview", 0.25, 0.25},
                                   {"program", 0.75, 0.25},
                                   {"tile blue", 0.125, 0.625},
                                   {"tile red", 0.375, 0.625},
                                   {"program frame", 0.75, 1.5 / 360},
                                   {"preview frame", 0.25, 1.5 / 360}},
                                  1500);
        };
        QVERIFY2(multiview.waitForSteady(layoutIs(true), 5, 60000), qPrintable(describe()));
        // Tally frames: red around the program box, green around the preview box.
        const auto& f = multiview.frames().back();
        const Rgb programFrame = f.meanAt(0.75, 1.5 / 360, 1);
        const Rgb previewFrame = f.meanAt(0.25, 1.5 / 360, 1);
        QVERIFY2(programFrame.r > 150 && programFrame.g < 80 && programFrame.b < 80,
                 qPrintable(describe()));
        QVERIFY2(previewFrame.g > 120 && previewFrame.r < 80 && previewFrame.b < 80,
                 qPrintable(describe()));
        const auto state = api.state().value("multiview").toObject();
        QVERIFY(state.value("on").toBool());
        QVERIFY2(state.value("figures").toObject().value("active").toBool(),
                 qPrintable(QJsonDocument(state).toJson()));

        QVERIFY(api.post("/cut").status == 200);
        QVERIFY2(multiview.waitForSteady(layoutIs(false), 5, 30000), qPrintable(describe()));
        multiview.stop();

        QVERIFY(api.post("/multiview", "{'on':false}").status == 200);
        QTRY_COMPARE_WITH_TIMEOUT(httpRequest("GET", studio.flvUrl("live/multiview")).status, 404,
                                  10000);
        QVERIFY(!api.state().value("multiview").toObject().value("on").toBool());
        QVERIFY(api.input("live/multiview").isEmpty()); // never an input of its own
    }

    // More than eight inputs: rows of eight smaller boxes. Nine green colour inputs sort
    // before the hub inputs: the 8th is the last box of the first row, the 9th opens the
    // second, followed by live/blue and live/red.
    void multiviewTakesMoreThanEightInputs() {
        for (int i = 1; i <= 9; ++i) {
            const auto body = QString("{'id':'color:c%1','kind':'color','color':'#00ff00'}")
                                  .arg(i, 2, 10, QChar('0'));
            QCOMPARE(api.post("/inputs", body.toUtf8()).status, 200);
        }
        auto r = api.post("/multiview", "{'on':true,'width':640,'height':360,'fps':10}");
        QVERIFY2(r.status == 200, r.body.constData());
        FrameGrabber multiview(640, 360);
        QVERIFY(multiview.start(studio.flvUrl("live/multiview")));
        const auto green = [](const Rgb& c) { return c.g > 150 && c.r < 90 && c.b < 90; };
        // Box centres: row 0 at y = 0.5 + 1/16, row 1 at 0.5 + 3/16; column k at (k + 0.5) / 8.
        const auto tiles = [&](const RgbFrame& f) {
            return green(f.meanAt(15.0 / 16, 9.0 / 16)) && green(f.meanAt(1.0 / 16, 11.0 / 16)) &&
                   isBlue(f.meanAt(3.0 / 16, 11.0 / 16)) && isRed(f.meanAt(5.0 / 16, 11.0 / 16)) &&
                   isBlack(f.meanAt(7.0 / 16, 11.0 / 16)) && isBlack(f.meanAt(0.5, 15.0 / 16));
        };
        const auto describe = [&multiview] {
            return describeFrames(multiview, 3,
                                  {{"c08", 15.0 / 16, 9.0 / 16},
                                   {"c09", 1.0 / 16, 11.0 / 16},
                                   {"live/blue", 3.0 / 16, 11.0 / 16},
                                   {"live/red", 5.0 / 16, 11.0 / 16},
                                   {"empty", 7.0 / 16, 11.0 / 16},
                                   {"empty bottom", 0.5, 15.0 / 16}},
                                  1500);
        };
        QVERIFY2(multiview.waitForSteady(tiles, 5, 60000), qPrintable(describe()));
        multiview.stop();
        QVERIFY(api.post("/multiview", "{'on':false}").status == 200);
        for (int i = 1; i <= 9; ++i) {
            QCOMPARE(api.del(QString("/inputs/color:c%1").arg(i, 2, 10, QChar('0'))).status, 200);
        }
    }

    // preview_output = false: no preview stream, the program goes out as before.
    void previewOff() {
        stopAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
        startWithInputs(false);
        auto r = api.take("{'input':'live/red'}");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(program.start(api.programUrl()));
        QVERIFY2(
            program.waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 15, 60000),
            qPrintable(last(program)));
        const auto reply = httpRequest("GET", studio.flvUrl("live/preview"));
        QVERIFY2(reply.status == 404, qPrintable(QString("status %1").arg(reply.status)));
        const auto p = api.state().value("preview_output").toObject();
        QCOMPARE(p.value("enabled").toBool(true), false);
    }

    void cleanupTestCase() {
        stopAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }
};

QTEST_GUILESS_MAIN(tst_DirectorPreview)
#include "tst_DirectorPreview.moc"
