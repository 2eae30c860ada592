// The director's layouts and overlay layer (issue 6) in the real process under Xvfb with Mesa's
// software OpenGL: four ffmpeg RTMP publishes (solid red, green, blue, yellow) become inputs;
// the program, decoded over HTTP-FLV by ffmpeg, shows them in 2x2 (the four quadrants), 1+3
// (the large box and the three small ones), a custom layout (two slots at given fractions) and
// side-by-side (the halves). A colour-box overlay shows over every layout and through Cut and
// Auto until it is switched off; an image overlay (a PNG made by ffmpeg) shows its colour. Bad
// layouts and overlays answer 400 naming the problem; after a restart the saved slots and
// overlays come back and go out. Colours are compared with tolerance and only once the picture
// is steady (the machine is busy: libobs may lag), waits are bounded by timeouts.

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include "DirectorApi.h"
#include "FfTools.h"

using namespace stagecast::test;

namespace {

struct Colour {
    const char* stream;
    const char* lavfi;
    Rgb rgb;
};
const Colour kRed{"live/red", "0xFF0000", {255, 0, 0}};
const Colour kGreen{"live/green", "0x00FF00", {0, 255, 0}};
const Colour kBlue{"live/blue", "0x0000FF", {0, 0, 255}};
const Colour kYellow{"live/yellow", "0xFFFF00", {255, 255, 0}};
const Rgb kBlack{0, 0, 0};
const Rgb kWhite{255, 255, 255};
const Rgb kMagenta{255, 0, 255};

// Each channel within 70 of the expected value (two H.264 generations, limited range, scaling).
bool like(const Rgb& c, const Rgb& want) {
    return std::abs(c.r - want.r) < 70 && std::abs(c.g - want.g) < 70 &&
           std::abs(c.b - want.b) < 70;
}

struct Spot {
    double x;
    double y;
    Rgb want;
};

// The white overlay box: x 0.45..0.55, y 0.45..0.55 of the canvas.
constexpr double kBoxX = 0.5;
constexpr double kBoxY = 0.5;

} // namespace

class tst_DirectorLayouts : public QObject {
    Q_OBJECT

    DirectorApi api;
    StudioProcess& studio = api.studio();
    // The program's player; a new one after the restart (a grabber keeps a partial frame
    // from its previous run, which would misalign the next run's pictures).
    FrameGrabber firstPlayer;
    FrameGrabber secondPlayer;
    FrameGrabber* grab = &firstPlayer;
    QTemporaryDir files;
    QString png; // a magenta PNG made by ffmpeg

    void publishAll() {
        int hz = 300;
        for (const auto& c : {kRed, kGreen, kBlue, kYellow}) {
            api.publish({.stream = c.stream,
                         .colour = c.lavfi,
                         .audio = QString("sine=frequency=%1:sample_rate=48000").arg(hz += 100),
                         .videoBitrate = "200k"});
        }
    }

    void take(const QByteArray& preview) {
        const auto r = api.take(preview);
        QVERIFY2(r.status == 200, r.body.constData());
    }

    static bool matches(const RgbFrame& f, const std::vector<Spot>& spots) {
        for (const auto& s : spots) {
            if (!like(f.meanAt(s.x, s.y), s.want)) {
                return false;
            }
        }
        return true;
    }

    /// Reads the program until `n` frames in a row show every spot's colour.
    bool waitForSpots(const std::vector<Spot>& spots, int n = 15, int timeoutMs = 30000) {
        return grab->waitForSteady([&](const RgbFrame& f) { return matches(f, spots); }, n,
                                   timeoutMs);
    }

    QString describe(const std::vector<Spot>& spots) const {
        QStringList out;
        const auto& frames = grab->frames();
        const std::size_t n = std::min<std::size_t>(frames.size(), 3);
        for (auto it = frames.end() - static_cast<std::ptrdiff_t>(n); it != frames.end(); ++it) {
            QStringList line;
            for (const auto& s : spots) {
                line << QString("(%1,%2) %3 want %4")
                            .arg(s.x)
                            .arg(s.y)
                            .arg(toString(it->meanAt(s.x, s.y)), toString(s.want));
            }
            out << QString("#%1: ").arg(it->index) + line.join("; ");
        }
        return out.join("\n") + "\n" + grab->log().right(2000);
    }

    static std::vector<Spot> gridSpots() {
        return {{0.25, 0.25, kRed.rgb},
                {0.75, 0.25, kGreen.rgb},
                {0.25, 0.75, kBlue.rgb},
                {0.75, 0.75, kYellow.rgb}};
    }
    static QByteArray gridLayout() {
        return "{'layout':'2x2','slots':['live/red','live/green','live/blue','live/yellow']}";
    }
    static QByteArray sideBySide() {
        return "{'layout':'side-by-side','slots':['live/red',{'input':'live/blue'}]}";
    }
    static std::vector<Spot> sideBySideSpots() {
        // 320x240 in a 320x360 half: full width, bars above and below.
        return {{0.25, 0.5, kRed.rgb},
                {0.75, 0.5, kBlue.rgb},
                {0.25, 0.05, kBlack},
                {0.75, 0.95, kBlack}};
    }

private slots:
    void initTestCase() {
        png = files.filePath("magenta.png");
        QString log;
        QCOMPARE(Ffmpeg::run({"-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                              "color=c=0xFF00FF:size=64x64", "-frames:v", "1", "-y", png},
                             &log),
                 0);
        QVERIFY2(QFile::exists(png), qPrintable(log));
        QVERIFY2(api.start(), qPrintable(api.error()));
        QVERIFY2(api.connectEvents(), qPrintable(api.error()));
        publishAll();
        QVERIFY2(api.waitForLive({"live/red", "live/green", "live/blue", "live/yellow"}),
                 qPrintable(QJsonDocument(api.state()).toJson()));
    }

    void grid2x2() {
        auto r = api.post("/preview", gridLayout());
        QVERIFY2(r.status == 200, r.body.constData());
        const auto preview = api.state().value("preview").toObject();
        QCOMPARE(preview.value("layout").toString(), QString("2x2"));
        const auto cells = preview.value("slots").toArray();
        QCOMPARE(cells.size(), 4);
        QCOMPARE(cells[3].toObject().value("input").toString(), QString("live/yellow"));
        QCOMPARE(cells[3].toObject().value("x").toDouble(), 0.5);
        QCOMPARE(cells[3].toObject().value("y").toDouble(), 0.5);
        r = api.post("/cut");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(grab->start(api.programUrl()));
        QVERIFY2(waitForSpots(gridSpots()), qPrintable(describe(gridSpots())));
        for (const auto& c : {kRed, kGreen, kBlue, kYellow}) {
            QVERIFY2(api.input(c.stream).value("on_program").toBool(), c.stream);
        }
        const auto tally = api.waitForEvent([](const QJsonObject& e) {
            return e.value("event").toString() == "tally" &&
                   e.value("program").toArray().size() == 4;
        });
        QVERIFY2(!tally.isEmpty(), "no tally event with the four inputs on program");
    }

    void onePlusThree() {
        take("{'layout':'1+3','slots':['live/red','live/green','live/blue','live/yellow']}");
        // Large: 480x360 on the left; small: 160x120 each, stacked on the right.
        const std::vector<Spot> spots{{0.375, 0.5, kRed.rgb},
                                      {0.875, 1.0 / 6, kGreen.rgb},
                                      {0.875, 0.5, kBlue.rgb},
                                      {0.875, 5.0 / 6, kYellow.rgb}};
        QVERIFY2(waitForSpots(spots), qPrintable(describe(spots)));
    }

    void customSlots() {
        take("{'layout':'custom','slots':["
             "{'input':'live/green','x':0.05,'y':0.1,'w':0.3,'h':0.4},"
             "{'input':'live/yellow','x':0.55,'y':0.45,'w':0.4,'h':0.5}]}");
        // Green: 192x144 at (32,36); yellow: 240x180 centred in 256x180 at (352,162).
        const std::vector<Spot> spots{{0.2, 0.3, kGreen.rgb},
                                      {0.75, 0.7, kYellow.rgb},
                                      {0.5, 0.9, kBlack},
                                      {0.8, 0.2, kBlack}};
        QVERIFY2(waitForSpots(spots), qPrintable(describe(spots)));
        const auto onAir = api.state().value("program").toObject();
        QCOMPARE(onAir.value("layout").toString(), QString("custom"));
        QCOMPARE(onAir.value("slots").toArray()[1].toObject().value("w").toDouble(), 0.4);
        QVERIFY(!api.input("live/red").value("on_program").toBool());
    }

    void sideBySideHalves() {
        take(sideBySide());
        QVERIFY2(waitForSpots(sideBySideSpots()), qPrintable(describe(sideBySideSpots())));
    }

    // Picture-in-picture with a 16 px white border around the inset's box.
    void pipBorder() {
        take("{'layout':'pip','main':'live/red','inset':'live/blue','corner':'top-right',"
             "'size':0.3,'border':16,'border_color':'#FFFFFF'}");
        // Inset box 192x108 at (416, 32): the 4:3 picture 144x108 centred at (512, 86); the
        // frame runs 400..624 x 16..156.
        const std::vector<Spot> spots{{512.0 / kCanvasWidth, 86.0 / kCanvasHeight, kBlue.rgb},
                                      {408.0 / kCanvasWidth, 86.0 / kCanvasHeight, kWhite},
                                      {512.0 / kCanvasWidth, 24.0 / kCanvasHeight, kWhite},
                                      {0.3, 0.5, kRed.rgb}};
        QVERIFY2(waitForSpots(spots), qPrintable(describe(spots)));
        QCOMPARE(api.state().value("program").toObject().value("border").toInt(), 16);
    }

    // The colour box shows over every layout, survives Cut and Auto without a frame missing,
    // and goes when it is switched off.
    void colourOverlay() {
        auto r = api.post("/overlay", "{'id':'box','kind':'color','color':'#FFFFFF',"
                                      "'x':0.45,'y':0.45,'w':0.1,'h':0.1,'on':false}");
        QVERIFY2(r.status == 200, r.body.constData());
        take(gridLayout());
        auto spots = gridSpots();
        QVERIFY2(waitForSpots(spots), qPrintable(describe(spots)));
        QVERIFY(!like(grab->frames().back().meanAt(kBoxX, kBoxY), kWhite));

        r = api.post("/overlay", "{'id':'box','on':true}");
        QVERIFY2(r.status == 200, r.body.constData());
        spots.push_back({kBoxX, kBoxY, kWhite});
        QVERIFY2(waitForSpots(spots), qPrintable(describe(spots)));
        const auto tally = api.waitForEvent([](const QJsonObject& e) {
            return e.value("event").toString() == "tally" &&
                   e.value("overlays").toArray() == QJsonArray{"box"};
        });
        QVERIFY2(!tally.isEmpty(), "no tally event naming the overlay");
        const auto listed = api.state().value("overlays").toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0].toObject().value("on").toBool(), true);
        QCOMPARE(listed[0].toObject().value("color").toString(), QString("#FFFFFFFF"));

        // Through a Cut and a 1 s Auto: every frame keeps the white box.
        const int before = grab->frames().back().index;
        take(sideBySide());
        auto sbs = sideBySideSpots();
        sbs.push_back({kBoxX, kBoxY, kWhite});
        QVERIFY2(waitForSpots(sbs), qPrintable(describe(sbs)));
        QVERIFY(api.post("/preview", gridLayout()).status == 200);
        r = api.post("/auto", "{'duration_ms':1000}");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY2(waitForSpots(spots), qPrintable(describe(spots)));
        int checked = 0;
        for (const auto& f : grab->frames()) {
            if (f.index <= before) {
                continue;
            }
            ++checked;
            QVERIFY2(like(f.meanAt(kBoxX, kBoxY), kWhite),
                     qPrintable(QString("frame %1 lost the overlay: %2")
                                    .arg(f.index)
                                    .arg(toString(f.meanAt(kBoxX, kBoxY)))));
        }
        QVERIFY(checked >= 30);
        qInfo("white overlay in all %d frames through a cut and a 1 s fade", checked);

        r = api.post("/overlay", "{'id':'box','on':false}");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY2(grab->waitForSteady(
                     [](const RgbFrame& f) {
                         return !like(f.meanAt(kBoxX, kBoxY), kWhite) && matches(f, gridSpots());
                     },
                     15, 30000),
                 qPrintable(describe(spots)));
    }

    void imageOverlay() {
        const QByteArray body = QString("{'id':'logo','kind':'image','path':'%1',"
                                        "'x':0,'y':0,'w':0.15,'h':0.2,'on':true}")
                                    .arg(png)
                                    .toUtf8();
        auto r = api.post("/overlay", body);
        QVERIFY2(r.status == 200, r.body.constData());
        take(sideBySide());
        // The 64x64 image fitted into 96x72: 72x72 centred at (48, 36), over the black bar.
        auto spots = sideBySideSpots();
        spots.push_back({0.075, 0.1, kMagenta});
        QVERIFY2(waitForSpots(spots), qPrintable(describe(spots)));

        // A hub input in a box (e.g. a logo stream): yellow 120x90 centred in 128x90 at
        // (512, 270). It counts as on program in the tally.
        r = api.post("/overlay",
                     "{'id':'cam','kind':'input','input':'live/yellow','x':0.8,'y':0.75,"
                     "'w':0.2,'h':0.25,'on':true}");
        QVERIFY2(r.status == 200, r.body.constData());
        spots.push_back({0.9, 0.875, kYellow.rgb});
        QVERIFY2(waitForSpots(spots), qPrintable(describe(spots)));
        QVERIFY(api.input("live/yellow").value("on_program").toBool());
        QVERIFY(!api.input("live/green").value("on_program").toBool());
        QVERIFY(api.post("/overlay", "{'id':'cam','on':false}").status == 200);
        QVERIFY(!api.input("live/yellow").value("on_program").toBool());
    }

    void badRequestsAreNamed() {
        const auto expect400 = [this](const QByteArray& path, const QByteArray& body,
                                      const QString& fragment) {
            const auto r = api.post(path, body);
            QVERIFY2(r.status == 400, r.body.constData());
            QVERIFY2(r.json().value("error").toString().contains(fragment),
                     qPrintable(QString(r.body) + " lacks " + fragment));
        };
        expect400("/preview", "{'layout':'2x2','slots':['live/red','live/green','live/nobody']}",
                  "slots[2].input: input live/nobody is not known");
        expect400("/preview",
                  "{'layout':'custom','slots':[{'input':'live/red','x':0,'y':0,'w':1.5,'h':1}]}",
                  "slots[0].w: 1.5 is not a fraction 0..1");
        QByteArray many = "{'layout':'custom','slots':[";
        for (int i = 0; i < 10; ++i) {
            many += QByteArray(i ? "," : "") + "{'input':'live/red','w':0.1,'h':0.1}";
        }
        expect400("/preview", many + "]}", "slots: custom takes at most 9 inputs (10 given)");
        expect400("/preview", "{'layout':'1+3','slots':'live/red'}", "slots:");
        const QString missing = files.filePath("missing.png");
        expect400("/overlay",
                  QString("{'id':'gone','kind':'image','path':'%1'}").arg(missing).toUtf8(),
                  "path: " + missing + " does not exist");
        expect400("/overlay", "{'id':'nobody','on':true}", "overlay 'nobody' is not known");
        expect400("/overlay", "{'id':'cam','kind':'input','input':'live/nobody'}",
                  "input: live/nobody is not known");
        // The program went on: side-by-side with the logo.
        QVERIFY2(waitForSpots(sideBySideSpots(), 10), qPrintable(describe(sideBySideSpots())));
    }

    // Save + restart: the slots and overlays come back and go out.
    void collectionSurvivesRestart() {
        QVERIFY(api.post("/overlay", "{'id':'logo','on':false}").status == 200);
        QVERIFY(api.post("/overlay", "{'id':'box','on':true}").status == 200);
        take(gridLayout());
        QVERIFY(api.post("/preview",
                         "{'layout':'1+3','slots':['live/yellow',null,'live/blue','live/red']}")
                    .status == 200);
        const auto before = api.state();
        grab->stop();
        QVERIFY2(api.stop(), qPrintable(api.error()));
        QVERIFY(QFile::exists(studio.dataDir() + "/director/scenes.json"));

        QVERIFY2(api.restart(), qPrintable(api.error()));
        const auto after = api.state();
        QVERIFY2(after.value("running").toBool(), qPrintable(studio.log()));
        QVERIFY2(after.value("collection").toObject().value("problems").toArray().isEmpty(),
                 qPrintable(QJsonDocument(after).toJson()));
        QCOMPARE(after.value("program").toObject(), before.value("program").toObject());
        QCOMPARE(after.value("preview").toObject(), before.value("preview").toObject());
        QCOMPARE(after.value("overlays").toArray(), before.value("overlays").toArray());
        QCOMPARE(after.value("overlays").toArray().size(), 3);
        QVERIFY(after.value("preview")
                    .toObject()
                    .value("slots")
                    .toArray()[1]
                    .toObject()
                    .value("input")
                    .isNull());

        publishAll();
        grab = &secondPlayer;
        QVERIFY(grab->start(api.programUrl()));
        auto spots = gridSpots();
        spots.push_back({kBoxX, kBoxY, kWhite});
        spots.push_back({0.02, 0.02, kBlack}); // the logo stays off
        QVERIFY2(waitForSpots(spots, 15, 60000), qPrintable(describe(spots)));
    }

    void cleanupTestCase() {
        grab->stop();
        api.unpublishAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }
};

QTEST_GUILESS_MAIN(tst_DirectorLayouts)
#include "tst_DirectorLayouts.moc"
