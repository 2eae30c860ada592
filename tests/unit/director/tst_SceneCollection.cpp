// The director's scene collection JSON: a round trip keeps every field; a bad entry is left
// out and named while the rest loads; a newer version or a non-JSON file is refused whole;
// the file is replaced through a rename.

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "director/SceneCollection.h"

using namespace stagecast::director;

namespace {

SceneCollection sample() {
    SceneCollection c;
    c.inputs = {{"live/red", 0.5, false}, {"live/blue", 1.0, true}};
    LayoutSpec pip;
    pip.kind = LayoutKind::PictureInPicture;
    pip.main = "live/red";
    pip.inset = "live/blue";
    pip.corner = Corner::TopLeft;
    pip.size = 0.25;
    pip.margin = 10;
    c.program = pip;
    LayoutSpec full;
    full.main = "live/blue";
    c.preview = full;
    c.transition = std::chrono::milliseconds(750);
    return c;
}

} // namespace

class tst_SceneCollection : public QObject {
    Q_OBJECT

private slots:
    void roundTrip() {
        const auto c = sample();
        auto parsed = parseCollection(toJson(c));
        QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message().c_str());
        QVERIFY(parsed->problems.empty());
        QVERIFY(parsed->collection == c);
        QVERIFY(QByteArray::fromStdString(toJson(c)).contains("\"version\": 1"));
    }

    // The transition and the audio routing are kept; every transition type's fields survive.
    void transitionAndRoutingRoundTrip() {
        auto c = sample();
        c.inputs[0].followVideo = false;
        c.inputs[1].monitor = true;
        TransitionSpec wipe;
        wipe.type = TransitionType::LumaWipe;
        wipe.image = "clock";
        wipe.softness = 0.2;
        wipe.invert = true;
        TransitionSpec black;
        black.type = TransitionType::FadeToColour;
        black.colour = 0x102030;
        black.switchPoint = 30;
        TransitionSpec sting;
        sting.type = TransitionType::Stinger;
        sting.path = "/media/sting.mp4";
        sting.transitionPointMs = 400;
        TransitionSpec swipe;
        swipe.type = TransitionType::Swipe;
        swipe.direction = "up";
        swipe.duration = std::chrono::milliseconds(800);
        for (const auto& t : {wipe, black, sting, swipe}) {
            c.transitionSpec = t;
            auto parsed = parseCollection(toJson(c));
            QVERIFY(parsed.has_value());
            QVERIFY(parsed->problems.empty());
            QVERIFY2(parsed->collection == c, toJson(c).c_str());
        }
        QVERIFY(!QByteArray::fromStdString(toJson(c)).contains("\"color\"")); // swipe: left out
    }

    // A file from before transitions and routing loads with the defaults.
    void olderFileLoads() {
        auto parsed = parseCollection(R"({"version":1,"inputs":[{"stream":"live/a","volume":1,
            "muted":false}],"preview":null,"program":null,"transition_ms":500})");
        QVERIFY(parsed.has_value());
        QVERIFY(parsed->problems.empty());
        QVERIFY(!parsed->collection.transitionSpec.has_value());
        QVERIFY(parsed->collection.inputs[0].followVideo);
        QVERIFY(!parsed->collection.inputs[0].monitor);
    }

    void badTransitionIsNamed() {
        auto parsed = parseCollection(R"({"version":1,"transition":{"type":"spin"},
            "inputs":[{"stream":"live/a","follow_video":"yes"}]})");
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->problems.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(parsed->problems[0]),
                 QString("inputs[0]: follow_video: true or false"));
        QVERIFY2(parsed->problems[1].starts_with("transition: type 'spin' is unknown: choose from "
                                                 "cut, fade, swipe, slide, fade_to_color"),
                 parsed->problems[1].c_str());
        // validate() names the field and what is allowed.
        TransitionSpec s;
        s.type = TransitionType::Slide;
        s.direction = "diagonal";
        QCOMPARE(QString::fromStdString(validate(s, {}).error().message()),
                 QString("direction 'diagonal' is unknown: choose from left, right, up, down"));
        s.type = TransitionType::LumaWipe;
        s.image = "nope";
        QCOMPARE(QString::fromStdString(validate(s, {"clock", "iris"}).error().message()),
                 QString("image 'nope' is unknown: choose from clock, iris"));
        s.type = TransitionType::Stinger;
        s.path = "/nonexistent/sting.mp4";
        QVERIFY(validate(s, {}).error().message().starts_with("path: /nonexistent/sting.mp4"));
        QCOMPARE(parseColour("#ff8000").value(), 0xff8000U);
        QVERIFY(!parseColour("orange").has_value());
    }

    void badEntriesAreNamedAndTheRestLoads() {
        auto parsed = parseCollection(R"({"version":1,
            "inputs":[{"stream":"live/ok","volume":0.5},{"stream":"no-slash"},
                      {"stream":"live/loud","volume":9}],
            "program":{"layout":"pip","main":"live/ok","inset":"live/ok","corner":"middle"},
            "preview":{"layout":"full","main":"live/ok"},
            "transition_ms":"soon"})");
        QVERIFY(parsed.has_value());
        const auto& c = parsed->collection;
        QCOMPARE(c.inputs.size(), std::size_t(1));
        QCOMPARE(c.inputs[0].stream, std::string("live/ok"));
        QCOMPARE(c.inputs[0].volume, 0.5);
        QVERIFY(!c.program.has_value());
        QVERIFY(c.preview.has_value());
        QCOMPARE(c.transition, std::chrono::milliseconds(1000));
        QStringList problems;
        for (const auto& p : parsed->problems) {
            problems << QString::fromStdString(p);
        }
        QCOMPARE(problems.size(), 4);
        QVERIFY2(problems[0].startsWith("inputs[1]: stream: "), qPrintable(problems[0]));
        QCOMPARE(problems[1], QString("inputs[2]: volume: a number 0..4"));
        QVERIFY2(problems[2].startsWith("program: corner 'middle' is unknown"),
                 qPrintable(problems[2]));
        QCOMPARE(problems[3], QString("transition_ms: a number 0..60000"));
    }

    void newerVersionIsRefused() {
        auto parsed = parseCollection(R"({"version":2,"inputs":[]})");
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().message(),
                 std::string("version 2 is newer than this Stagecast reads (1)"));
        QVERIFY(!parseCollection("[1,2]"));
        QVERIFY(!parseCollection("{\"inputs\":[]}"));
    }

    void fileRoundTripAndMissingFile() {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("director/scenes.json").toStdString();
        auto missing = loadCollection(file);
        QVERIFY(missing.has_value());
        QVERIFY(missing->collection == SceneCollection{});
        QVERIFY(saveCollection(file, sample()).has_value());
        QVERIFY(!std::filesystem::exists(file.string() + ".tmp"));
        auto loaded = loadCollection(file);
        QVERIFY(loaded.has_value());
        QVERIFY(loaded->collection == sample());
        std::ofstream(file) << "{ not json";
        auto broken = loadCollection(file);
        QVERIFY(!broken);
        QVERIFY2(broken.error().message().find("scenes.json: not a JSON object") !=
                     std::string::npos,
                 broken.error().message().c_str());
    }
};

QTEST_APPLESS_MAIN(tst_SceneCollection)
#include "tst_SceneCollection.moc"
