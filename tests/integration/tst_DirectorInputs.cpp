// Director inputs beyond hub streams (issue 6) in the real process under Xvfb: a colour, an
// image made by ffmpeg, a looping media clip (magenta + 660 Hz), text and a lower third go to
// program and the program (HTTP-FLV decoded by ffmpeg) shows them; the capture listing has a
// screen and says there is no camera; a screen capture input gets the screen's picture; a
// colour input's thumbnail is a JPEG of its colour; a hub input with a backup shows the
// backup when its publisher is killed, with a director_standby alert that clears when it
// comes back; a hub input that left is removed (refused while on preview) and comes back
// when published again; bad requests are named; a restart restores inputs and backups.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include "AudioLevels.h"
#include "DirectorApi.h"
#include "FfTools.h"

using namespace stagecast::test;

namespace {

// Colours compared with a tolerance: the program is H.264 of a software render.
bool near(const Rgb& c, int r, int g, int b, int tolerance = 45) {
    return std::abs(c.r - r) <= tolerance && std::abs(c.g - g) <= tolerance &&
           std::abs(c.b - b) <= tolerance;
}
bool isGreen(const Rgb& c) {
    return near(c, 0, 192, 0);
}
bool isImageBlue(const Rgb& c) {
    return near(c, 0, 0, 255);
}
bool isMagenta(const Rgb& c) {
    return near(c, 255, 0, 255);
}
bool isYellow(const Rgb& c) {
    return near(c, 255, 255, 0);
}
bool isBlack(const Rgb& c) {
    return c.r < 40 && c.g < 40 && c.b < 40;
}

/// JSON written with single quotes (a test reads easier), as JSON.
QByteArray q(const char* text) {
    return QByteArray(text).replace('\'', '"');
}

QString str(const Rgb& c) {
    return QString("(%1,%2,%3)").arg(c.r).arg(c.g).arg(c.b);
}

} // namespace

class tst_DirectorInputs : public QObject {
    Q_OBJECT

    DirectorApi api;
    StudioProcess& studio = api.studio();
    FrameGrabber program;
    QTemporaryDir files;

    void create(const QByteArray& body) {
        auto r = api.post("/inputs", body);
        QVERIFY2(r.status == 200, r.body.constData());
    }
    void take(const QString& input) {
        const auto r = api.take(QString(q("{'input':'%1'}")).arg(input).toUtf8());
        QVERIFY2(r.status == 200, r.body.constData());
    }
    bool waitForSteady(const std::function<bool(const RgbFrame&)>& check, int n = 15,
                       int timeoutMs = 30000) {
        return program.waitForSteady(check, n, timeoutMs);
    }
    QString lastFrames() const { return describeFrames(program, 5, {{"centre", 0.5, 0.5}}); }
    bool ffmpeg(const QStringList& args) {
        QString log;
        const int rc =
            Ffmpeg::run(QStringList{"-hide_banner", "-loglevel", "error", "-y"} + args, &log);
        if (rc != 0) {
            qWarning("ffmpeg failed: %s", qPrintable(log));
        }
        return rc == 0;
    }
    /// The mean colour of a JPEG's centre (or of column `column` of 16), decoded by ffmpeg.
    std::optional<Rgb> jpegCentre(const QByteArray& jpeg, int column = 8) {
        const QString in = files.filePath("thumb.jpg");
        const QString out = files.filePath("thumb.rgb");
        QFile f(in);
        if (!f.open(QIODevice::WriteOnly) || f.write(jpeg) != jpeg.size()) {
            return std::nullopt;
        }
        f.close();
        if (!ffmpeg({"-i", in, "-vf", "scale=16:9:flags=area", "-f", "rawvideo", "-pix_fmt",
                     "rgb24", out})) {
            return std::nullopt;
        }
        QFile rgb(out);
        if (!rgb.open(QIODevice::ReadOnly)) {
            return std::nullopt;
        }
        const auto px = rgb.readAll();
        if (px.size() != 16 * 9 * 3) {
            return std::nullopt;
        }
        const int at = (4 * 16 + column) * 3;
        return Rgb{static_cast<unsigned char>(px[at]), static_cast<unsigned char>(px[at + 1]),
                   static_cast<unsigned char>(px[at + 2])};
    }
    bool alertOpen(const QString& stream) {
        for (const auto& a :
             api.send("GET", "/alerts?state=open", {}, 20000).json().value("alerts").toArray()) {
            const auto o = a.toObject();
            if (o.value("kind").toString() == "director_standby" &&
                o.value("stream").toString() == stream) {
                return true;
            }
        }
        return false;
    }
    bool waitForAlert(const QString& stream, bool open, int timeoutMs = 15000) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (alertOpen(stream) == open) {
                return true;
            }
            QTest::qWait(250);
        }
        return false;
    }
    void publishRed() { api.publish({.stream = "live/red", .colour = "red"}); }

private slots:
    void initTestCase() {
        QVERIFY(files.isValid());
        QVERIFY2(api.start(), qPrintable(api.error()));
        QVERIFY2(api.connectEvents(), qPrintable(api.error()));
    }

    void colourOnProgram() {
        create(q("{'id':'color:green','kind':'color','color':'#00c000'}"));
        const auto info = api.inputInfo("color:green");
        QCOMPARE(info.value("kind").toString(), QString("color"));
        QCOMPARE(info.value("state").toString(), QString("live"));
        QCOMPARE(info.value("settings").toObject().value("color").toString(), QString("#00c000"));
        // A colour makes no sound: no mixer strip for it.
        QCOMPARE(api.input("color:green").value("has_audio").toBool(true), false);
        take("color:green");
        QVERIFY(program.start(api.programUrl()));
        QVERIFY2(waitForSteady([](const RgbFrame& f) { return isGreen(centre(f)); }),
                 qPrintable(lastFrames()));
    }

    void thumbnailIsAJpegOfTheInput() {
        auto r = api.get("/inputs/color:green/thumbnail.jpg");
        QVERIFY2(r.status == 200, r.body.constData());
        QCOMPARE(r.contentType.section(';', 0, 0), QString("image/jpeg"));
        QVERIFY(r.body.startsWith("\xff\xd8"));
        QString err;
        const QString path = files.filePath("probe.jpg");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(r.body);
        f.close();
        const auto probe = Ffmpeg::probe(path, &err);
        const auto s = probe.value("streams").toArray().at(0).toObject();
        QCOMPARE(s.value("codec_name").toString(), QString("mjpeg"));
        QCOMPARE(s.value("width").toInt(), 320);
        QCOMPARE(s.value("height").toInt(), 180);
        const auto c = jpegCentre(r.body);
        QVERIFY(c.has_value());
        QVERIFY2(isGreen(*c), qPrintable(str(*c)));
        QCOMPARE(api.get("/inputs/color:nothing/thumbnail.jpg").status, 404);
        // Colour bars, not on program: grey at the left edge, blue at the right.
        create(q("{'id':'pattern:bars','kind':'pattern'}"));
        r = api.get("/inputs/pattern:bars/thumbnail.jpg");
        QVERIFY2(r.status == 200, r.body.constData());
        const auto left = jpegCentre(r.body, 0);
        const auto right = jpegCentre(r.body, 15);
        QVERIFY(left.has_value() && right.has_value());
        QVERIFY2(near(*left, 192, 192, 192) && near(*right, 0, 0, 192),
                 qPrintable(str(*left) + " " + str(*right)));
    }

    void imageOnProgram() {
        const QString png = files.filePath("logo.png");
        QVERIFY(ffmpeg({"-f", "lavfi", "-i", "color=c=0x0000ff:s=320x180", "-frames:v", "1", png}));
        create(QString(q("{'id':'image:logo','kind':'image','file':'%1'}")).arg(png).toUtf8());
        take("image:logo");
        QVERIFY2(waitForSteady([](const RgbFrame& f) { return isImageBlue(centre(f)); }),
                 qPrintable(lastFrames()));
    }

    void mediaLoopsOnProgram() {
        const QString clip = files.filePath("clip.mp4");
        QVERIFY(ffmpeg({"-f", "lavfi", "-i", "color=c=magenta:s=320x240:r=30:d=2", "-f", "lavfi",
                        "-i", "sine=frequency=660:sample_rate=48000:d=2", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip}));
        create(QString(q("{'id':'media:clip','kind':'media','file':'%1','loop':true}"))
                   .arg(clip)
                   .toUtf8());
        take("media:clip");
        // Longer than the clip: it loops.
        QVERIFY2(waitForSteady([](const RgbFrame& f) { return isMagenta(centre(f)); }, 90, 40000),
                 qPrintable(lastFrames()));
        QCOMPARE(api.inputInfo("media:clip").value("state").toString(), QString("live"));
        QCOMPARE(api.input("media:clip").value("has_audio").toBool(false), true);
        // Played once, the clip ends: the input is off and says why.
        create(QString(q("{'id':'media:once','kind':'media','file':'%1','loop':false}"))
                   .arg(clip)
                   .toUtf8());
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000 &&
               api.inputInfo("media:once").value("state").toString() != "off") {
            QTest::qWait(250);
        }
        const auto once = api.inputInfo("media:once");
        QCOMPARE(once.value("state").toString(), QString("off"));
        QVERIFY2(once.value("last_problem").toString().contains("end"),
                 QJsonDocument(once).toJson().constData());
        QString log;
        const auto samples = decodeAudio(api.programUrl(), 4.0, &log);
        QVERIFY2(samples.size() > 48000 * 2, qPrintable(log));
        const double tone = toneDb(samples, 660, samples.size() - 48000 * 3 / 2);
        qInfo("media clip tone on program: 660 Hz %.1f dBFS", tone);
        QVERIFY2(tone > -40, qPrintable(QString::number(tone) + log));
    }

    // A director input's own sound (a media file here; a microphone or desktop audio the same
    // way) can be always in the program mix: heard off program, metered, its volume applied
    // once; back to following video it is silent off program again.
    void mediaSoundAlwaysInTheMix() {
        take("image:logo");
        const auto tone = [&](QString* log) {
            const auto samples = decodeAudio(api.programUrl(), 4.0, log);
            return samples.size() > 48000 * 2 ? toneDb(samples, 660, samples.size() - 48000 * 3 / 2)
                                              : 0.0;
        };
        QString log;
        const double off = tone(&log);
        qInfo("media clip off program, following video: 660 Hz %.1f dBFS", off);
        QVERIFY2(off < -60, qPrintable(QString::number(off) + log));
        auto r = api.post("/audio", q("{'input':'media:clip','follow_video':false}"));
        QVERIFY2(r.status == 200, r.body.constData());
        double mixed = 0;
        QElapsedTimer t;
        t.start();
        do {
            mixed = tone(&log);
        } while (mixed < -40 && t.elapsed() < 30000);
        const double meter =
            api.input("media:clip").value("meter").toObject().value("rms_db").toDouble();
        qInfo("media clip always in the mix: 660 Hz %.1f dBFS, meter %.1f dB", mixed, meter);
        QVERIFY2(mixed > -40, qPrintable(QString::number(mixed) + log));
        QVERIFY2(meter > -40, qPrintable(QString::number(meter)));
        QCOMPARE(api.state().value("program").toObject().value("main").toString(),
                 QString("image:logo"));
        // Half the volume is 6 dB down in the program, not 12 (applied once).
        QVERIFY(api.post("/audio", q("{'input':'media:clip','volume':0.5}")).status == 200);
        QTest::qWait(1000);
        const double half = tone(&log);
        qInfo("media clip at volume 0.5: 660 Hz %.1f dBFS", half);
        QVERIFY2(half < mixed - 3 && half > mixed - 9,
                 qPrintable(QString("%1 then %2").arg(mixed).arg(half) + log));
        QVERIFY(
            api.post("/audio", q("{'input':'media:clip','volume':1,'follow_video':true}")).status ==
            200);
        QTest::qWait(1000);
        const double back = tone(&log);
        qInfo("media clip following video again, off program: 660 Hz %.1f dBFS", back);
        QVERIFY2(back < -60, qPrintable(QString::number(back) + log));
    }

    // Bars and tone: colour bars with a line-up tone of the asked frequency and level on
    // program, silenced by mute; a tone on anything but bars, or out of range, is refused.
    void barsAndTone() {
        auto r = api.post("/inputs", q("{'id':'pattern:lineup','kind':'pattern','tone_hz':5}"));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.contains("tone_hz"), r.body.constData());
        r = api.post("/inputs",
                     q("{'id':'color:hum','kind':'color','color':'#101010','tone_hz':50}"));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.contains("only colour bars"), r.body.constData());
        create(q("{'id':'pattern:lineup','kind':'pattern','tone_hz':1000,'tone_db':-20}"));
        QCOMPARE(api.input("pattern:lineup").value("has_audio").toBool(false), true);
        QCOMPARE(api.input("pattern:bars").value("has_audio").toBool(true), false);
        take("pattern:lineup");
        const auto level = [&](QString* log) {
            const auto samples = decodeAudio(api.programUrl(), 4.0, log);
            return samples.size() > 48000 * 2
                       ? toneDb(samples, 1000, samples.size() - 48000 * 3 / 2)
                       : -200.0;
        };
        QString log;
        double on = -200;
        QElapsedTimer t;
        t.start();
        do {
            on = level(&log);
        } while (on < -30 && t.elapsed() < 30000);
        // A sine peaking at -20 dBFS has an RMS of -23 dBFS (AAC at 160 kbit/s keeps it).
        qInfo("bars and tone on program: 1000 Hz at %.1f dBFS RMS", on);
        QVERIFY2(on > -26 && on < -20, qPrintable(QString::number(on) + log));
        QVERIFY(api.post("/audio", q("{'input':'pattern:lineup','muted':true}")).status == 200);
        QTest::qWait(1000);
        const double muted = level(&log);
        qInfo("bars and tone muted: 1000 Hz at %.1f dBFS", muted);
        QVERIFY2(muted < -60, qPrintable(QString::number(muted) + log));
    }

    void textOnProgram() {
        create(q("{'id':'text:title','kind':'text','text':'STAGECAST','color':'#ffffff'}"));
        create(q("{'id':'text:clock','kind':'text','mode':'clock'}"));
        create(q("{'id':'text:news','kind':'text','mode':'ticker','text':'breaking news'}"));
        create(q("{'id':'text:left','kind':'text','mode':'countdown','seconds':90}"));
        for (const char* id : {"text:clock", "text:news", "text:left"}) {
            QCOMPARE(api.inputInfo(id).value("state").toString(), QString("live"));
        }
        take("text:title");
        // White letters across the middle of a black canvas.
        QVERIFY2(waitForSteady(
                     [](const RgbFrame& f) {
                         int bright = 0;
                         for (int x = f.width / 4; x < f.width * 3 / 4; ++x) {
                             const auto c = f.at(x, f.height / 2);
                             bright += c.r > 150 && c.g > 150 && c.b > 150 ? 1 : 0;
                         }
                         return bright >= 3 && isBlack(f.meanAt(0.1, 0.1));
                     },
                     10),
                 qPrintable(lastFrames()));
    }

    void lowerThirdOnProgram() {
        create(q("{'id':'lower3:ceo','kind':'lower3','name':'Ada Lovelace',"
                 "'title':'Chief Executive'}"));
        QCOMPARE(api.inputInfo("lower3:ceo").value("kind").toString(), QString("lower3"));
        take("lower3:ceo");
        // The bar (deep blue) in the lower third, black above it.
        QVERIFY2(waitForSteady(
                     [](const RgbFrame& f) {
                         const auto bar = f.meanAt(0.6, 0.86, 1);
                         return bar.b > 80 && bar.b > bar.r + 40 && isBlack(f.meanAt(0.5, 0.3));
                     },
                     10),
                 qPrintable(lastFrames()));
    }

    void captureListing() {
        auto r = api.get("/capture");
        QVERIFY2(r.status == 200, r.body.constData());
        QJsonObject screen;
        QJsonObject camera;
        QJsonObject window;
        for (const auto& k : r.json().value("capture").toArray()) {
            const auto o = k.toObject();
            if (o.value("kind").toString() == "screen") {
                screen = o;
            } else if (o.value("kind").toString() == "camera") {
                camera = o;
            } else if (o.value("kind").toString() == "window") {
                window = o;
            }
        }
        // A bare Xvfb has no window manager: linux-capture is loaded but has no window
        // capture, and the reason says so (not that the module is missing).
        QVERIFY2(!window.value("available").toBool(), r.body.constData());
        QVERIFY2(window.value("reason").toString().contains("window manager"), r.body.constData());
        QVERIFY2(!screen.isEmpty() && !camera.isEmpty(), r.body.constData());
        QVERIFY2(screen.value("available").toBool(), r.body.constData());
        QVERIFY2(!screen.value("devices").toArray().isEmpty(), r.body.constData());
        QVERIFY2(!camera.value("available").toBool(), r.body.constData());
        QVERIFY2(!camera.value("reason").toString().isEmpty(), r.body.constData());
        qInfo("camera: %s", qPrintable(camera.value("reason").toString()));

        const auto device = screen.value("devices").toArray().at(0).toObject().value("id");
        create(QString(q("{'id':'capture:screen0','kind':'capture','capture':'screen',"
                         "'device':'%1'}"))
                   .arg(device.toString())
                   .toUtf8());
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 10000 &&
               api.inputInfo("capture:screen0").value("state").toString() != "live") {
            QTest::qWait(200);
        }
        const auto info = api.inputInfo("capture:screen0");
        QVERIFY2(info.value("state").toString() == "live", QJsonDocument(info).toJson().data());
        QCOMPARE(info.value("width").toInt(), 1280); // xvfb-run -s "-screen 0 1280x720x24"
        QCOMPARE(info.value("height").toInt(), 720);
        QCOMPARE(api.get("/inputs/capture:screen0/thumbnail.jpg").status, 200);
    }

    void badRequestsAreNamed() {
        auto r = api.post("/inputs", q("{'id':'foo:x','kind':'foo'}"));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains("kind 'foo' is unknown"),
                 r.body.constData());
        r = api.post("/inputs",
                     q("{'id':'media:gone','kind':'media','file':'/nonexistent/x.mp4'}"));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains("/nonexistent/x.mp4 does not exist"),
                 r.body.constData());
        r = api.post("/inputs", q("{'id':'color:green','kind':'color','color':'#ffffff'}"));
        QCOMPARE(r.status, 409);
        QVERIFY2(r.json().value("error").toString().contains("color:green already exists"),
                 r.body.constData());
        r = api.post("/inputs", q("{'id':'image:x','kind':'color','color':'#ffffff'}"));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains("must be color:NAME"),
                 r.body.constData());
        // lower3:ceo is on program.
        r = api.del("/inputs/lower3:ceo");
        QCOMPARE(r.status, 409);
        QVERIFY2(r.json().value("error").toString().contains("on program"), r.body.constData());
        QCOMPARE(api.del("/inputs/color:none").status, 404);
        // A removable one goes.
        create(q("{'id':'color:tmp','kind':'color','color':'#123456'}"));
        r = api.del("/inputs/color:tmp");
        QCOMPARE(r.status, 200);
        QVERIFY(api.inputInfo("color:tmp").isEmpty());
    }

    void backupStandsInWithAnAlert() {
        create(q("{'id':'color:backup','kind':'color','color':'#ffff00'}"));
        publishRed();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000 &&
               api.inputInfo("live/red").value("state").toString() != "live") {
            QTest::qWait(200);
        }
        QCOMPARE(api.inputInfo("live/red").value("state").toString(), QString("live"));
        auto r = api.post("/inputs/live/red/backup", q("{'backup':'color:backup'}"));
        QVERIFY2(r.status == 200, r.body.constData());
        r = api.post("/inputs/live/red/backup", q("{'backup':'live/nobody'}"));
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error").toString().contains("live/nobody is not known"),
                 r.body.constData());
        take("live/red");
        QVERIFY2(waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }),
                 qPrintable(lastFrames()));

        api.unpublish("live/red");
        QVERIFY2(waitForSteady([](const RgbFrame& f) { return isYellow(centre(f)); }, 10),
                 qPrintable(lastFrames()));
        QCOMPARE(api.inputInfo("live/red").value("showing").toString(), QString("backup"));
        QVERIFY2(waitForAlert("live/red", true), qPrintable(studio.log()));
        const auto standby = api.waitForEvent([](const QJsonObject& e) {
            return e.value("event").toString() == "standby" &&
                   e.value("stream").toString() == "live/red" && e.value("standby").toBool();
        });
        QCOMPARE(standby.value("showing").toString(), QString("backup"));

        publishRed();
        QVERIFY2(waitForSteady([](const RgbFrame& f) { return isRed(centre(f)); }, 15, 40000),
                 qPrintable(lastFrames()));
        QCOMPARE(api.inputInfo("live/red").value("showing").toString(), QString("input"));
        QVERIFY2(waitForAlert("live/red", false), qPrintable(studio.log()));
    }

    // A presenter who left stays an input (off) until the operator removes it; removing takes
    // it out of the preview, and publishing again brings the input back.
    void hubInputIsRemovedAndComesBack() {
        create(q("{'id':'color:parked','kind':'color','color':'#202020'}"));
        api.publish({.stream = "live/leaver", .colour = "blue"});
        QVERIFY2(api.waitForLive({"live/leaver"}), qPrintable(api.error()));
        auto r = api.post("/preview", q("{'layout':'side-by-side','slots':['color:parked','live/"
                                        "leaver']}"));
        QVERIFY2(r.status == 200, r.body.constData());

        api.unpublish("live/leaver");
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 15000 &&
               api.inputInfo("live/leaver").value("state").toString() == "live") {
            QTest::qWait(200);
        }
        QVERIFY(!api.inputInfo("live/leaver").isEmpty()); // it stays, off, until removed
        r = api.del("/inputs/live/leaver");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(api.inputInfo("live/leaver").isEmpty());
        QVERIFY(api.input("live/leaver").isEmpty());
        const auto removed = api.waitForEvent([](const QJsonObject& e) {
            return e.value("event").toString() == "input_removed" &&
                   e.value("stream").toString() == "live/leaver";
        });
        QVERIFY(!removed.isEmpty());
        // The preview keeps its other slot; the removed one is empty.
        const auto boxes = api.state().value("preview").toObject().value("slots").toArray();
        QCOMPARE(boxes.size(), 2);
        QCOMPARE(boxes[0].toObject().value("input").toString(), QString("color:parked"));
        QVERIFY(boxes[1].toObject().value("input").isNull());
        QCOMPARE(api.del("/inputs/live/leaver").status, 404);

        // An input that was all the preview showed leaves it empty.
        QVERIFY(api.post("/preview", q("{'input':'color:parked'}")).status == 200);
        QVERIFY2(api.del("/inputs/color:parked").status == 200, "color:parked");
        QVERIFY(api.state().value("preview").isNull());

        api.publish({.stream = "live/leaver", .colour = "blue"});
        QVERIFY2(api.waitForLive({"live/leaver"}), qPrintable(api.error()));
        api.unpublish("live/leaver");
    }

    void restartRestoresInputsAndBackups() {
        program.stop();
        QVERIFY2(api.stop(), qPrintable(api.error()));
        // A file that went away meanwhile: the input comes back, off, saying why.
        QVERIFY(QFile::remove(files.filePath("clip.mp4")));
        QVERIFY2(api.restart(), qPrintable(api.error()));
        const auto s = api.get().json();
        QVERIFY2(s.value("collection").toObject().value("problems").toArray().isEmpty(),
                 QJsonDocument(s).toJson().constData());
        for (const char* id : {"color:green", "image:logo", "media:clip", "text:title",
                               "text:clock", "lower3:ceo", "capture:screen0", "color:backup"}) {
            QVERIFY2(!api.inputInfo(id).isEmpty(), id);
        }
        QCOMPARE(
            api.inputInfo("color:green").value("settings").toObject().value("color").toString(),
            QString("#00c000"));
        QCOMPARE(api.inputInfo("live/red").value("backup").toString(), QString("color:backup"));
        const auto clip = api.inputInfo("media:clip");
        QCOMPARE(clip.value("state").toString(), QString("off"));
        QVERIFY2(clip.value("last_problem").toString().contains("does not exist"),
                 QJsonDocument(clip).toJson().constData());
        // The publisher still runs from before the restart only if it reconnected; either
        // way the restored program (live/red) shows red or, while it is away, the backup.
        QVERIFY(program.start(api.programUrl()));
        QVERIFY2(waitForSteady(
                     [](const RgbFrame& f) { return isYellow(centre(f)) || isRed(centre(f)); }, 10),
                 qPrintable(lastFrames()));
    }

    void cleanupTestCase() {
        program.stop();
        api.unpublishAll();
        QVERIFY2(api.stop(), qPrintable(api.error()));
    }
};

QTEST_GUILESS_MAIN(tst_DirectorInputs)
#include "tst_DirectorInputs.moc"
