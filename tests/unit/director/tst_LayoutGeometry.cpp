// Layout geometry without libobs: the preset layouts' boxes (side-by-side, 2x2, 1+3), what a
// layout places in canvas pixels (empty slots black, the pip border behind the inset), custom
// slot validation naming the field, the layout and overlay JSON forms, colours, the multiview's
// boxes.

#include <QtTest>

#include "director/LayoutGeometry.h"
#include "director/LayoutJson.h"
#include "director/Multiview.h"

using namespace stagecast::director;

namespace {

LayoutSpec slotsLayout(LayoutKind kind, std::vector<LayoutSlot> list) {
    LayoutSpec s;
    s.kind = kind;
    s.slotList = std::move(list);
    return s;
}

bool near(float a, double b) {
    return std::abs(static_cast<double>(a) - b) < 0.01;
}

std::string errorOf(const stagecast::base::Status& ok) {
    return ok ? std::string() : ok.error().message();
}

} // namespace

class tst_LayoutGeometry : public QObject {
    Q_OBJECT

private slots:
    void presetBoxes() {
        const auto grid = stagecast::director::presetBoxes(LayoutKind::Grid2x2);
        QCOMPARE(grid.size(), std::size_t(4));
        QVERIFY((grid[0] == SlotBox{0, 0, 0.5, 0.5}));
        QVERIFY((grid[1] == SlotBox{0.5, 0, 0.5, 0.5}));
        QVERIFY((grid[2] == SlotBox{0, 0.5, 0.5, 0.5}));
        QVERIFY((grid[3] == SlotBox{0.5, 0.5, 0.5, 0.5}));
        const auto sbs = stagecast::director::presetBoxes(LayoutKind::SideBySide);
        QCOMPARE(sbs.size(), std::size_t(2));
        QVERIFY((sbs[1] == SlotBox{0.5, 0, 0.5, 1}));
        const auto one3 = stagecast::director::presetBoxes(LayoutKind::OnePlusThree);
        QCOMPARE(one3.size(), std::size_t(4));
        QVERIFY((one3[0] == SlotBox{0, 0, 0.75, 1}));
        for (std::size_t i = 1; i < 4; ++i) {
            QCOMPARE(one3[i].x, 0.75);
            QCOMPARE(one3[i].w, 0.25);
            QVERIFY(std::abs(one3[i].y - (static_cast<double>(i) - 1) / 3) < 1e-9);
            QVERIFY(std::abs(one3[i].h - 1.0 / 3) < 1e-9);
        }
        QVERIFY(stagecast::director::presetBoxes(LayoutKind::Custom).empty());
    }

    // Preview and program on top; up to eight inputs in rows of four quarter boxes, more in
    // rows of eight eighth boxes, 32 at most; nothing overlaps and all stay on the canvas.
    void multiviewBoxes() {
        const auto eight = stagecast::director::multiviewBoxes(1280, 720, 8);
        QCOMPARE(eight.size(), std::size_t(10));
        QVERIFY(near(eight[0].x, 0) && near(eight[0].width, 640) && near(eight[0].height, 360));
        QVERIFY(near(eight[1].x, 640) && near(eight[1].y, 0));
        QVERIFY(near(eight[2].y, 360) && near(eight[2].width, 320) && near(eight[2].height, 180));
        QVERIFY(near(eight[9].x, 960) && near(eight[9].y, 540));

        const auto eleven = stagecast::director::multiviewBoxes(1280, 720, 11);
        QCOMPARE(eleven.size(), std::size_t(13));
        QVERIFY(near(eleven[2].width, 160) && near(eleven[2].height, 90));
        QVERIFY(near(eleven[9].x, 1120) && near(eleven[9].y, 360)); // 8th input: row 0, col 7
        QVERIFY(near(eleven[10].x, 0) && near(eleven[10].y, 450));  // 9th: row 1, col 0

        const auto many = stagecast::director::multiviewBoxes(1280, 720, 50);
        QCOMPARE(many.size(), kMultiviewInputs + 2);
        for (std::size_t i = 0; i < many.size(); ++i) {
            const auto& a = many[i];
            QVERIFY(a.x >= 0 && a.y >= 0 && a.x + a.width <= 1280.01F && a.y + a.height <= 720.01F);
            QVERIFY(std::abs(a.width / a.height - 1280.0F / 720.0F) < 0.01F);
            for (std::size_t j = i + 1; j < many.size(); ++j) {
                const auto& b = many[j];
                const bool apart = a.x + a.width <= b.x + 0.01F || b.x + b.width <= a.x + 0.01F ||
                                   a.y + a.height <= b.y + 0.01F || b.y + b.height <= a.y + 0.01F;
                QVERIFY2(apart, qPrintable(QString("boxes %1 and %2 overlap").arg(i).arg(j)));
            }
        }
    }

    void placesInPixelsWithEmptySlotsBlack() {
        const auto spec =
            slotsLayout(LayoutKind::Grid2x2, {{"live/a", {}}, {"", {}}, {"live/c", {}}});
        const auto placed = place(spec, 640, 360);
        QCOMPARE(placed.size(), std::size_t(4)); // padded to four
        QCOMPARE(placed[0].input, std::string("live/a"));
        QVERIFY(!placed[0].colour);
        QVERIFY(near(placed[0].box.width, 320) && near(placed[0].box.height, 180));
        QVERIFY(placed[1].colour.has_value());
        QCOMPARE(*placed[1].colour, 0xff000000U);
        QVERIFY(near(placed[1].box.x, 320) && near(placed[1].box.y, 0));
        QVERIFY(near(placed[3].box.x, 320) && near(placed[3].box.y, 180));
        QVERIFY(placed[3].colour.has_value()); // not given: black
        QCOMPARE(inputsOf(spec), (std::vector<std::string>{"live/a", "live/c"}));
    }

    // An input being removed leaves a layout: slots emptied, a pip's inset dropped, nothing
    // left when it was the main input; the saved name goes with any change.
    void withoutAnInput() {
        auto grid = slotsLayout(LayoutKind::Grid2x2, {{"live/a", {}}, {"live/b", {}}});
        grid.name = "panel";
        const auto g = withoutInput(grid, "live/b");
        QVERIFY(g.has_value());
        QCOMPARE(inputsOf(*g), (std::vector<std::string>{"live/a"}));
        QCOMPARE(g->slotList.size(), std::size_t(2));
        QVERIFY(g->slotList[1].input.empty());
        QVERIFY(g->name.empty());
        QCOMPARE(*withoutInput(grid, "live/z"), grid); // not shown: unchanged

        LayoutSpec pip;
        pip.kind = LayoutKind::PictureInPicture;
        pip.main = "live/a";
        pip.inset = "live/b";
        const auto p = withoutInput(pip, "live/b");
        QVERIFY(p.has_value());
        QCOMPARE(p->kind, LayoutKind::Full);
        QCOMPARE(inputsOf(*p), (std::vector<std::string>{"live/a"}));
        QVERIFY(!withoutInput(pip, "live/a").has_value());
        LayoutSpec full;
        full.main = "live/a";
        QVERIFY(!withoutInput(full, "live/a").has_value());
    }

    void pipBorderSitsBehindTheInset() {
        LayoutSpec pip;
        pip.kind = LayoutKind::PictureInPicture;
        pip.main = "live/a";
        pip.inset = "live/b";
        pip.corner = Corner::TopRight;
        pip.size = 0.3;
        pip.border = 4;
        pip.borderColour = 0xffffffff;
        const auto placed = place(pip, 640, 360);
        QCOMPARE(placed.size(), std::size_t(4)); // main, frame, black, inset
        const Box inset = insetBox(pip, 640, 360);
        QVERIFY(near(inset.x, 640 - 32 - 192) && near(inset.y, 32) && near(inset.width, 192));
        QCOMPARE(*placed[1].colour, 0xffffffffU);
        QVERIFY(near(placed[1].box.x, inset.x - 4) && near(placed[1].box.width, 200));
        QCOMPARE(placed[3].input, std::string("live/b"));
        pip.border = 0;
        QCOMPARE(place(pip, 640, 360).size(), std::size_t(2));
    }

    void customValidationNamesTheField() {
        auto spec = slotsLayout(LayoutKind::Custom,
                                {{"live/a", {0, 0, 0.5, 0.5}}, {"live/b", {0.5, 0.5, 1.5, 0.2}}});
        QVERIFY2(errorOf(validate(spec)).find("slots[1].w: 1.5 is not a fraction 0..1") == 0,
                 errorOf(validate(spec)).c_str());
        spec.slotList[1].box = {0.6, 0.5, 0.5, 0.2};
        QVERIFY2(errorOf(validate(spec)).find("slots[1].w: x + w = 1.1") == 0,
                 errorOf(validate(spec)).c_str());
        spec.slotList[1].box = {0.5, 0.5, 0.5, 0.5};
        QVERIFY(validate(spec).has_value());
        spec.slotList[0].input = "no-slash";
        QVERIFY2(errorOf(validate(spec)).find("slots[0].input:") == 0,
                 errorOf(validate(spec)).c_str());
        spec.slotList.assign(10, LayoutSlot{"live/a", {0, 0, 0.1, 0.1}});
        QCOMPARE(errorOf(validate(spec)),
                 std::string("slots: custom takes at most 9 inputs (10 given)"));
        spec.slotList.clear();
        QVERIFY(errorOf(validate(spec)).find("slots: custom needs") == 0);
        auto grid = slotsLayout(LayoutKind::Grid2x2, std::vector<LayoutSlot>(5));
        QCOMPARE(errorOf(validate(grid)),
                 std::string("slots: 2x2 takes at most 4 inputs (5 given)"));
    }

    void layoutJsonForms() {
        auto short_ = layoutFromJson(nlohmann::json::parse(R"({"input":"live/cam"})"));
        QVERIFY(short_.has_value());
        QVERIFY(short_->kind == LayoutKind::Full && short_->main == "live/cam");

        auto grid = layoutFromJson(nlohmann::json::parse(
            R"({"layout":"2x2","slots":["live/a",null,{"input":"live/c"}]})"));
        QVERIFY2(grid.has_value(), grid ? "" : grid.error().message().c_str());
        QCOMPARE(grid->slotList.size(), std::size_t(4));
        QCOMPARE(grid->slotList[2].input, std::string("live/c"));
        QVERIFY((grid->slotList[3].box == SlotBox{0.5, 0.5, 0.5, 0.5}));
        auto again = layoutFromJson(layoutToJson(*grid));
        QVERIFY(again.has_value() && *again == *grid);

        auto bad = layoutFromJson(nlohmann::json::parse(
            R"({"layout":"custom","slots":[{"input":"live/a","x":0,"y":0,"w":"wide","h":1}]})"));
        QVERIFY(!bad.has_value());
        QVERIFY2(bad.error().message().find("slots[0].w: a number") == 0,
                 bad.error().message().c_str());
        auto unknown = layoutFromJson(nlohmann::json::parse(R"({"layout":"3x3","slots":[]})"));
        QVERIFY(!unknown.has_value());
        QVERIFY(unknown.error().message().find("choose from full, pip, side-by-side, 2x2, 1+3, "
                                               "custom") != std::string::npos);

        auto pip = layoutFromJson(nlohmann::json::parse(
            R"({"layout":"pip","main":"live/a","inset":"live/b","border":6,"border_color":"\u002300FF00"})"));
        QVERIFY(pip.has_value());
        QCOMPARE(pip->border, 6U);
        QCOMPARE(pip->borderColour, 0xff00ff00U);
        auto pipAgain = layoutFromJson(layoutToJson(*pip));
        QVERIFY(pipAgain.has_value() && *pipAgain == *pip);
    }

    void overlayJson() {
        auto box = overlayFromJson(nlohmann::json::parse(
            R"({"id":"box","kind":"color","color":"\u0023FFFFFF","x":0.4,"y":0.4,"w":0.2,"h":0.2})"));
        QVERIFY2(box.has_value(), box ? "" : box.error().message().c_str());
        QCOMPARE(box->colour, 0xffffffffU);
        QVERIFY(!box->on);
        auto again = overlayFromJson(overlayToJson(*box));
        QVERIFY(again.has_value() && *again == *box);

        auto missing = overlayFromJson(nlohmann::json::parse(
            R"({"id":"logo","kind":"image","path":"/nonexistent/logo.png"})"));
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().message(),
                 std::string("path: /nonexistent/logo.png does not exist"));
        auto wide = overlayFromJson(
            nlohmann::json::parse(R"({"id":"b","kind":"color","color":"\u0023000000","w":2})"));
        QVERIFY(!wide.has_value());
        QVERIFY(wide.error().message().find("w: 2 is not a fraction") == 0);
        auto colour =
            overlayFromJson(nlohmann::json::parse(R"({"id":"b","kind":"color","color":"white"})"));
        QVERIFY(!colour.has_value());
        QVERIFY(colour.error().message().find("color: 'white' is not a colour") == 0);
    }

    void colours() {
        QCOMPARE(*parseColour("#102030"), 0xff102030U);
        QCOMPARE(*parseColour("#80102030"), 0x80102030U);
        QVERIFY(!parseColour("#12345").has_value());
        QCOMPARE(colourText(0xff102030U), std::string("#FF102030"));
        QCOMPARE(toObsColour(0xff102030U), 0xff302010U);
    }
};

QTEST_GUILESS_MAIN(tst_LayoutGeometry)
#include "tst_LayoutGeometry.moc"
