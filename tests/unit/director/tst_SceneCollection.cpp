// The director's scene collection JSON: a round trip keeps every field; a bad entry is left
// out and named while the rest loads; a newer version or a non-JSON file is refused whole;
// the file is replaced through a rename.

#include <algorithm>

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "director/LayoutJson.h"
#include "director/SceneCollection.h"

using namespace stagecast::director;

namespace {

SceneCollection sample() {
    SceneCollection c;
    c.inputs = {{"live/red", 0.5, false, ""}, {"live/blue", 1.0, true, ""}};
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
    OverlaySpec box;
    box.id = "box";
    box.kind = OverlayKind::Colour;
    box.colour = 0xffffffff;
    box.box = {0.4, 0.4, 0.2, 0.2};
    box.on = true;
    c.overlays = {box};
    return c;
}

/// JSON written with single quotes (easier to read in a test), as JSON.
std::string quoted(std::string text) {
    std::replace(text.begin(), text.end(), '\'', '"');
    return text;
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
        QVERIFY(QByteArray::fromStdString(toJson(c)).contains("\"version\": 3"));
    }

    // The transition and the audio routing are kept; every transition type's fields survive.
    void transitionAndRoutingRoundTrip() {
        auto c = sample();
        c.inputs[0].followVideo = false;
        c.inputs[1].monitor = true;
        c.inputs[1].syncOffsetMs = -120;
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
        TransitionSpec matte = sting;
        matte.matte = "vertical";
        matte.invertMatte = true;
        TransitionSpec swipe;
        swipe.type = TransitionType::Swipe;
        swipe.direction = "up";
        swipe.duration = std::chrono::milliseconds(800);
        for (const auto& t : {wipe, black, sting, matte, swipe}) {
            c.transitionSpec = t;
            auto parsed = parseCollection(toJson(c));
            QVERIFY(parsed.has_value());
            QVERIFY(parsed->problems.empty());
            QVERIFY2(parsed->collection == c, toJson(c).c_str());
        }
        // swipe has no colour: the field is left out of the saved transition
        QVERIFY(!nlohmann::json::parse(toJson(c)).at("transition").contains("color"));
    }

    // Saved layouts keep their layout and transition override; what is in preview and on
    // program keeps the name of the saved layout it was recalled from.
    void savedLayoutsRoundTrip() {
        auto c = sample();
        SavedLayout panel;
        panel.name = "panel-2x2";
        auto quad = layoutFromJson(nlohmann::json::parse(
            quoted("{'layout':'2x2','slots':['live/a',null,'live/c','live/d']}")));
        QVERIFY(quad.has_value());
        panel.layout = *quad; // the preset's boxes filled in, as a saved file has them
        panel.layout.name = panel.name;
        TransitionSpec swipe;
        swipe.type = TransitionType::Swipe;
        swipe.direction = "right";
        panel.transition = swipe;
        SavedLayout welcome;
        welcome.name = "welcome";
        welcome.layout.main = "pattern:bars";
        welcome.layout.name = welcome.name;
        c.layouts = {panel, welcome};
        c.preview->name = "welcome";
        c.multiview.on = true;
        c.multiview.fps = 5;
        c.multiview.stream = "live/mv";
        auto parsed = parseCollection(toJson(c));
        QVERIFY(parsed.has_value());
        QVERIFY2(parsed->problems.empty(),
                 parsed->problems.empty() ? "" : parsed->problems.front().c_str());
        QCOMPARE(parsed->collection.layouts.size(), std::size_t(2));
        QCOMPARE(parsed->collection.layouts[0].layout.slotList.size(), std::size_t(4));
        QVERIFY(parsed->collection.layouts[0].transition.has_value());
        QCOMPARE(QString::fromStdString(parsed->collection.layouts[0].transition->direction),
                 QString("right"));
        QCOMPARE(QString::fromStdString(parsed->collection.preview->name), QString("welcome"));
        QVERIFY2(parsed->collection == c, toJson(c).c_str());
    }

    // A bad saved layout is named and left out; a duplicate name keeps the later one.
    void badSavedLayoutsAreNamed() {
        auto parsed = parseCollection(quoted(R"({'version':3,'layouts':[
            {'name':'ok','layout':{'input':'live/a'}},
            {'name':'bad name!','layout':{'input':'live/a'}},
            {'name':'nolayout'},
            {'name':'wide','layout':{'layout':'custom','slots':[{'input':'live/a','x':0.5,
             'y':0,'w':0.8,'h':1}]}},
            {'name':'sting','layout':{'input':'live/a'},'transition':{'type':'spin'}},
            {'name':'ok','layout':{'input':'live/b'}}]})"));
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->collection.layouts.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(parsed->collection.layouts[0].layout.main),
                 QString("live/b"));
        QCOMPARE(parsed->problems.size(), std::size_t(4));
        QVERIFY2(parsed->problems[0].starts_with("layouts[1]: name 'bad name!': 1 to 64"),
                 parsed->problems[0].c_str());
        QVERIFY2(parsed->problems[1].starts_with("layouts[2]: layout: required"),
                 parsed->problems[1].c_str());
        QVERIFY2(parsed->problems[2].starts_with("layouts[3]: layout: slots[0].w"),
                 parsed->problems[2].c_str());
        QVERIFY2(parsed->problems[3].starts_with("layouts[4]: transition: type 'spin'"),
                 parsed->problems[3].c_str());
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
        QCOMPARE(parsed->collection.inputs[0].syncOffsetMs, 0);
    }

    // A sync offset out of OBS' range, or not whole milliseconds, is named; the input is left
    // out and the others load.
    void badSyncOffsetIsNamed() {
        auto parsed = parseCollection(R"({"version":3,"inputs":[
            {"stream":"live/a","sync_offset_ms":25000},{"stream":"live/b","sync_offset_ms":1.5},
            {"stream":"live/c","sync_offset_ms":-950}],"preview":null,"program":null})");
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->problems.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(parsed->problems[0]),
                 QString("inputs[0]: sync_offset_ms: whole milliseconds -950..20000 "
                         "(positive delays the sound)"));
        QVERIFY(parsed->problems[1].starts_with("inputs[1]: sync_offset_ms"));
        QCOMPARE(parsed->collection.inputs.size(), std::size_t(1));
        QCOMPARE(parsed->collection.inputs[0].syncOffsetMs, -950);
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
        QCOMPARE(parseRgb("#ff8000").value(), 0xff8000U);
        QVERIFY(!parseRgb("orange").has_value());
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

    // Director inputs ("sources") and backups: kept through a round trip; an older file
    // without them loads; a bad source is named and skipped.
    void sourcesAndBackups() {
        auto c = sample();
        c.inputs[0].backup = "color:slate";
        c.inputs.push_back({"color:slate", 1.0, false, ""});
        auto spec = parseInputSpec(quoted("{'id':'color:slate','kind':'color','color':'#FFff00'}"));
        QVERIFY2(spec.has_value(), spec ? "" : spec.error().message().c_str());
        QCOMPARE(spec->color, 0xffff00U);
        c.sources.push_back(*spec);
        auto text =
            parseInputSpec(quoted("{'id':'text:news','kind':'text','mode':'ticker','text':'hi'}"));
        QVERIFY(text.has_value());
        c.sources.push_back(*text);
        auto bars =
            parseInputSpec(quoted("{'id':'pattern:lineup','kind':'pattern','tone_hz':1000}"));
        QVERIFY(bars.has_value());
        QCOMPARE(bars->toneHz, 1000.0);
        QCOMPARE(bars->toneDb, -20.0);
        c.sources.push_back(*bars);
        auto parsed = parseCollection(toJson(c));
        QVERIFY(parsed.has_value());
        QVERIFY(parsed->problems.empty());
        QVERIFY(parsed->collection == c);

        auto old = parseCollection(quoted("{'version':1,'inputs':[{'stream':'live/a'}]}"));
        QVERIFY(old.has_value() && old->problems.empty() && old->collection.sources.empty());

        auto bad = parseCollection(
            quoted("{'version':1,'sources':[{'id':'color:ok','kind':'color','color':'#000000'},"
                   "{'id':'media:x','kind':'media'},{'id':'lamp:x','kind':'lamp'}]}"));
        QVERIFY(bad.has_value());
        QCOMPARE(bad->collection.sources.size(), std::size_t(1));
        QCOMPARE(bad->problems.size(), std::size_t(2));
        QCOMPARE(bad->problems[0], std::string("sources[1]: file: is required"));
        QVERIFY2(bad->problems[1].find("sources[2]: kind \x27lamp\x27 is unknown") == 0,
                 bad->problems[1].c_str());
    }

    // Fields of another kind (a mode on colour bars, a text on a colour) and a tone level
    // without a tone are dropped, so what loads is what the next save writes (found by
    // fuzz_scene_collection: they were kept unseen and lost at the next save).
    void entriesKeepOnlyTheirKindsFields() {
        auto bars = parseInputSpec(quoted(
            "{'id':'pattern:bars','kind':'pattern','mode':'clock','text':'x','tone_db':-12}"));
        QVERIFY2(bars.has_value(), bars ? "" : bars.error().message().c_str());
        QCOMPARE(bars->mode, std::string("static"));
        QVERIFY(bars->text.empty());
        QCOMPARE(bars->toneDb, -20.0);
        auto colour = parseInputSpec(
            quoted("{'id':'color:a','kind':'color','color':'#102030','title':'t','loop':false}"));
        QVERIFY(colour.has_value());
        QVERIFY(colour->title.empty());
        QVERIFY(colour->loop);
        for (const auto& spec : {*bars, *colour}) {
            auto again = parseInputSpec(toJson(spec));
            QVERIFY(again.has_value());
            QVERIFY(*again == spec);
        }
        // The same for an overlay: a colour box keeps no input or image path.
        auto box = overlayFromJson(nlohmann::json::parse(
            quoted("{'id':'box','kind':'color','color':'#FF000000','input':'live/a',"
                   "'path':'/tmp/x.png','x':0,'y':0,'w':0.5,'h':0.5}")));
        QVERIFY2(box.has_value(), box ? "" : box.error().message().c_str());
        QVERIFY(box->input.empty() && box->path.empty());
        QVERIFY(overlayFromJson(overlayToJson(*box)).value() == *box);
    }

    void inputSpecsAreChecked_data() {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("error");
        QTest::newRow("wrong prefix") << R"({"id":"image:a","kind":"color","color":"#000000"})"
                                      << "id 'image:a': must be color:NAME for kind color";
        QTest::newRow("bad colour") << R"({"id":"color:a","kind":"color","color":"red"})"
                                    << "color: 'red' is not a colour #RRGGBB";
        QTest::newRow("relative file") << R"({"id":"media:a","kind":"media","file":"a.mp4"})"
                                       << "file: an absolute path is required";
        QTest::newRow("text mode") << R"({"id":"text:a","kind":"text","mode":"marquee"})"
                                   << "mode 'marquee' is unknown: choose from static, clock, "
                                      "countdown, ticker";
        QTest::newRow("countdown") << R"({"id":"text:a","kind":"text","mode":"countdown"})"
                                   << "countdown: give seconds (1..864000) or until (HH:MM or "
                                      "HH:MM:SS)";
        QTest::newRow("capture kind")
            << R"({"id":"capture:a","kind":"capture","capture":"scanner"})"
            << "capture 'scanner' is unknown: choose from screen, window, camera, microphone, "
               "desktop_audio";
        QTest::newRow("screen number")
            << R"({"id":"capture:a","kind":"capture","capture":"screen","device":"x1"})"
            << "device: a screen number from GET /api/v1/director/capture";
        QTest::newRow("tone range") << R"({"id":"pattern:a","kind":"pattern","tone_hz":25000})"
                                    << "tone_hz: a number 0..20000";
        QTest::newRow("tone level") << R"({"id":"pattern:a","kind":"pattern","tone_hz":1000,)"
                                       R"("tone_db":3})"
                                    << "tone_db: a number -60..0 (dBFS)";
        QTest::newRow("tone on colour")
            << R"({"id":"color:a","kind":"color","color":"#000000","tone_hz":1000})"
            << "tone_hz: only colour bars (kind pattern) carry a tone";
        QTest::newRow("name chars") << R"({"id":"color:a/b","kind":"color","color":"#000000"})"
                                    << "id 'color:a/b': NAME may hold letters, digits, '-', '_' "
                                       "and '.' only";
    }
    void inputSpecsAreChecked() {
        QFETCH(QString, body);
        QFETCH(QString, error);
        auto spec = parseInputSpec(body.toStdString());
        QVERIFY(!spec);
        QCOMPARE(QString::fromStdString(spec.error().message()), error);
    }

    // Version 2: slot layouts and overlays round-trip; version 1 files still load; a bad
    // overlay is named and left out.
    void slotsAndOverlaysAndVersionOne() {
        auto c = sample();
        LayoutSpec grid;
        grid.kind = LayoutKind::Grid2x2;
        grid.slotList = {{"live/red", {0, 0, 0.5, 0.5}},
                         {"", {0.5, 0, 0.5, 0.5}},
                         {"live/blue", {0, 0.5, 0.5, 0.5}},
                         {"live/red", {0.5, 0.5, 0.5, 0.5}}};
        c.preview = grid;
        auto parsed = parseCollection(toJson(c));
        QVERIFY(parsed.has_value() && parsed->problems.empty());
        QVERIFY(parsed->collection == c);

        auto v1 = parseCollection(R"({"version":1,"inputs":[{"stream":"live/a"}],
            "program":{"layout":"pip","main":"live/a","inset":"live/b","corner":"top-left",
                       "size":0.25,"margin":10},
            "preview":{"layout":"full","main":"live/b"},"transition_ms":500})");
        QVERIFY(v1.has_value());
        QVERIFY(v1->problems.empty());
        QCOMPARE(v1->collection.program->inset, std::string("live/b"));
        QCOMPARE(v1->collection.program->border, 0U);
        QVERIFY(v1->collection.overlays.empty());

        auto bad = parseCollection(R"({"version":2,"overlays":[
            {"id":"logo","kind":"image","path":"/nonexistent/logo.png"},
            {"id":"box","kind":"color","color":"\u0023FF0000","on":true}]})");
        QVERIFY(bad.has_value());
        QCOMPARE(bad->collection.overlays.size(), std::size_t(1));
        QCOMPARE(bad->problems.size(), std::size_t(1));
        QCOMPARE(bad->problems[0],
                 std::string("overlays[0]: path: /nonexistent/logo.png does not exist"));
    }

    void newerVersionIsRefused() {
        auto parsed = parseCollection(R"({"version":4,"inputs":[]})");
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().message(),
                 std::string("version 4 is newer than this Stagecast reads (3)"));
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
