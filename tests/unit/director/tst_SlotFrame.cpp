// The slot frame (libobs under Xvfb): a layout that places the frame of a canvas-sized scene
// shows that scene's picture scaled into the frame's box and nothing outside it; the frame
// keeps its scene alive and makes it active while the layout is on an output channel (so its
// inputs play and sound), and stops when the layout leaves.

#include <QtTest>

#include <chrono>
#include <thread>

#include "director/Engine.h"
#include "director/Layouts.h"
#include "director/SlotFrame.h"

using namespace stagecast::director;

namespace {

constexpr std::uint32_t kWidth = 160;
constexpr std::uint32_t kHeight = 90;

struct Rgba {
    int r, g, b, a;
};

/// Renders `source` into a canvas-sized texture on the graphics thread and reads it back.
std::vector<std::uint8_t> renderPixels(obs_source_t* source, std::uint32_t* stride) {
    std::vector<std::uint8_t> pixels;
    obs_enter_graphics();
    gs_texrender_t* target = gs_texrender_create(GS_RGBA, GS_ZS_NONE);
    gs_stagesurf_t* stage = gs_stagesurface_create(kWidth, kHeight, GS_RGBA);
    if (gs_texrender_begin(target, kWidth, kHeight)) {
        vec4 clear{};
        vec4_zero(&clear);
        gs_clear(GS_CLEAR_COLOR, &clear, 0.0F, 0);
        gs_ortho(0.0F, static_cast<float>(kWidth), 0.0F, static_cast<float>(kHeight), -100.0F,
                 100.0F);
        gs_blend_state_push();
        gs_blend_function(GS_BLEND_ONE, GS_BLEND_ZERO);
        obs_source_video_render(source);
        gs_blend_state_pop();
        gs_texrender_end(target);
        gs_stage_texture(stage, gs_texrender_get_texture(target));
        std::uint8_t* data = nullptr;
        if (gs_stagesurface_map(stage, &data, stride)) {
            pixels.assign(data, data + static_cast<std::size_t>(*stride) * kHeight);
            gs_stagesurface_unmap(stage);
        }
    }
    gs_stagesurface_destroy(stage);
    gs_texrender_destroy(target);
    obs_leave_graphics();
    return pixels;
}

Rgba at(const std::vector<std::uint8_t>& pixels, std::uint32_t stride, std::uint32_t x,
        std::uint32_t y) {
    const std::size_t i = static_cast<std::size_t>(y) * stride + x * 4U;
    return {pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]};
}

} // namespace

class tst_SlotFrame : public QObject {
    Q_OBJECT

    std::unique_ptr<Engine> engine_;
    QTemporaryDir config_;

private slots:
    void initTestCase() {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DISPLAY"), "run under xvfb-run (ctest does)");
        EngineOptions o;
        o.width = kWidth;
        o.height = kHeight;
        o.modules = {"image-source"};
        o.configDir = config_.filePath("obs-config").toStdString();
        auto engine = Engine::start(o);
        QVERIFY2(engine.has_value(), engine ? "" : engine.error().message().c_str());
        engine_ = std::move(*engine);
        registerSlotFrameSource();
    }

    void drawsTheSceneIntoItsBox() {
        // A slot-like scene: red over the whole canvas.
        SceneRef slot(obs_scene_create_private("slot"));
        SourceRef red = makeColourSource(0xFFFF0000, {0, 0, kWidth, kHeight}, "red");
        QVERIFY(red);
        fitItem(obs_scene_add(slot.get(), red.get()), {0, 0, kWidth, kHeight});
        SourceRef frame = makeSlotFrame(slot.get(), "frame");
        QVERIFY(frame);
        QCOMPARE(obs_source_get_width(frame.get()), kWidth);
        QCOMPARE(obs_source_get_height(frame.get()), kHeight);

        // The layout puts the frame in the bottom-right quadrant.
        SceneRef layout(obs_scene_create_private("layout"));
        fitItem(obs_scene_add(layout.get(), frame.get()),
                {kWidth / 2.0F, kHeight / 2.0F, kWidth / 2.0F, kHeight / 2.0F});
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // item transforms tick

        std::uint32_t stride = 0;
        const auto pixels = renderPixels(obs_scene_get_source(layout.get()), &stride);
        QVERIFY(!pixels.empty());
        const Rgba inside = at(pixels, stride, kWidth * 3 / 4, kHeight * 3 / 4);
        QVERIFY2(inside.r > 200 && inside.g < 50 && inside.b < 50 && inside.a > 200,
                 qPrintable(QString("bottom-right quadrant shows %1,%2,%3,%4, not red")
                                .arg(inside.r)
                                .arg(inside.g)
                                .arg(inside.b)
                                .arg(inside.a)));
        for (const auto& [x, y] :
             {std::pair{kWidth / 4, kHeight / 4}, std::pair{kWidth * 3 / 4, kHeight / 4},
              std::pair{kWidth / 4, kHeight * 3 / 4}}) {
            const Rgba outside = at(pixels, stride, x, y);
            QVERIFY2(outside.r < 20 && outside.a < 20,
                     qPrintable(QString("(%1,%2) outside the box shows %3,%4,%5,%6")
                                    .arg(x)
                                    .arg(y)
                                    .arg(outside.r)
                                    .arg(outside.g)
                                    .arg(outside.b)
                                    .arg(outside.a)));
        }
    }

    void keepsTheSceneAndActivatesIt() {
        SceneRef slot(obs_scene_create_private("slot"));
        SourceRef red = makeColourSource(0xFFFF0000, {0, 0, kWidth, kHeight}, "red");
        QVERIFY(red);
        obs_scene_add(slot.get(), red.get());
        SourceRef frame = makeSlotFrame(slot.get(), "frame");
        QVERIFY(frame);
        slot.reset(); // the frame holds the scene from here
        QCOMPARE(obs_source_get_width(frame.get()), kWidth);

        SceneRef layout(obs_scene_create_private("layout"));
        obs_scene_add(layout.get(), frame.get());
        QVERIFY(!obs_source_active(red.get()));
        obs_set_output_source(0, obs_scene_get_source(layout.get()));
        QVERIFY(obs_source_active(red.get()));
        obs_set_output_source(0, nullptr);
        QVERIFY(!obs_source_active(red.get()));
    }

    void noSceneNoFrame() { QVERIFY(!makeSlotFrame(nullptr, "frame")); }

    void cleanupTestCase() { engine_.reset(); }
};

QTEST_GUILESS_MAIN(tst_SlotFrame)
#include "tst_SlotFrame.moc"
