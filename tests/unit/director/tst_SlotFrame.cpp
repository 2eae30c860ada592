// The slot frame (libobs under Xvfb): a layout that places the frame of a canvas-sized scene
// shows that scene's picture scaled into the frame's box and nothing outside it; the frame
// keeps its scene alive and makes it active while the layout is on an output channel (so its
// inputs play and sound), and stops when the layout leaves. The straight picture (how a hub
// input's pictures are drawn) puts an async source's frame into its box value for value, over
// whatever is below, and touches nothing outside the box.

#include <QtTest>

#include <array>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "director/Engine.h"
#include "director/Layouts.h"
#include "director/SlotFrame.h"

#include <util/platform.h>

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

/// A bare async video source: the test hands it frames with obs_source_output_video.
void registerTestAsyncSource() {
    obs_source_info info{};
    info.id = "test_async_picture";
    info.type = OBS_SOURCE_TYPE_INPUT;
    info.output_flags = OBS_SOURCE_ASYNC_VIDEO;
    info.get_name = [](void*) { return "test async picture"; };
    info.create = [](obs_data_t*, obs_source_t* source) -> void* { return source; };
    info.destroy = [](void*) {};
    obs_register_source(&info);
}

/// A BGRA picture of w x h in four quadrants: `colours` top-left, top-right, bottom-left,
/// bottom-right, each {b, g, r}.
std::vector<std::uint8_t> quadrants(std::uint32_t w, std::uint32_t h,
                                    const std::array<std::array<std::uint8_t, 3>, 4>& colours) {
    std::vector<std::uint8_t> bgra(static_cast<std::size_t>(w) * h * 4U);
    for (std::uint32_t y = 0; y < h; ++y) {
        for (std::uint32_t x = 0; x < w; ++x) {
            const auto& c = colours[(y < h / 2 ? 0U : 2U) + (x < w / 2 ? 0U : 1U)];
            std::uint8_t* p = &bgra[(static_cast<std::size_t>(y) * w + x) * 4U];
            p[0] = c[0];
            p[1] = c[1];
            p[2] = c[2];
            p[3] = 255;
        }
    }
    return bgra;
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
        registerTestAsyncSource();
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

    void straightPictureDrawsTheFrameAsItIs() {
        constexpr std::uint32_t w = 80;
        constexpr std::uint32_t h = 44;
        // Dark, mid and light values, where drawing through linear light and back would show
        // any rounding: {b, g, r}.
        const std::array<std::array<std::uint8_t, 3>, 4> colours{
            {{10, 20, 30}, {128, 64, 200}, {250, 5, 90}, {60, 180, 120}}};
        SourceRef picture(obs_source_create_private("test_async_picture", "picture", nullptr));
        QVERIFY(picture);
        SourceRef straight = makeStraightPicture(picture.get(), "straight");
        QVERIFY(straight);
        QVERIFY(!makeStraightPicture(nullptr, "none"));

        // Over a white field, 1:1 at (40, 20).
        SceneRef layout(obs_scene_create_private("layout"));
        SourceRef white = makeColourSource(0xFFFFFFFF, {0, 0, kWidth, kHeight}, "white");
        QVERIFY(white);
        fitItem(obs_scene_add(layout.get(), white.get()), {0, 0, kWidth, kHeight});
        obs_sceneitem_t* item = obs_scene_add(layout.get(), straight.get());
        vec2 pos{};
        vec2_set(&pos, 40.0F, 20.0F);
        obs_sceneitem_set_pos(item, &pos);
        obs_set_output_source(0, obs_scene_get_source(layout.get()));

        auto bgra = quadrants(w, h, colours);
        obs_source_frame frame{};
        frame.data[0] = bgra.data();
        frame.linesize[0] = w * 4;
        frame.width = w;
        frame.height = h;
        frame.format = VIDEO_FORMAT_BGRA;
        frame.full_range = true;
        frame.timestamp = os_gettime_ns();
        obs_source_output_video(picture.get(), &frame);
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // frame taken, sizes ticked
        QCOMPARE(obs_source_get_width(straight.get()), w);
        QCOMPARE(obs_source_get_height(straight.get()), h);

        std::uint32_t stride = 0;
        const auto pixels = renderPixels(obs_scene_get_source(layout.get()), &stride);
        obs_set_output_source(0, nullptr);
        QVERIFY(!pixels.empty());
        const std::array<std::pair<std::uint32_t, std::uint32_t>, 4> centres{
            {{40 + w / 4, 20 + h / 4},
             {40 + w * 3 / 4, 20 + h / 4},
             {40 + w / 4, 20 + h * 3 / 4},
             {40 + w * 3 / 4, 20 + h * 3 / 4}}};
        for (std::size_t i = 0; i < 4; ++i) {
            const Rgba got = at(pixels, stride, centres[i].first, centres[i].second);
            const auto& want = colours[i];
            QVERIFY2(std::abs(got.r - want[2]) <= 1 && std::abs(got.g - want[1]) <= 1 &&
                         std::abs(got.b - want[0]) <= 1,
                     qPrintable(QString("quadrant %1 shows %2,%3,%4, sent %5,%6,%7")
                                    .arg(i)
                                    .arg(got.r)
                                    .arg(got.g)
                                    .arg(got.b)
                                    .arg(want[2])
                                    .arg(want[1])
                                    .arg(want[0])));
        }
        for (const auto& [x, y] : {std::pair{20U, 10U}, std::pair{150U, 80U}}) {
            const Rgba outside = at(pixels, stride, x, y);
            QVERIFY2(outside.r > 250 && outside.g > 250 && outside.b > 250,
                     qPrintable(QString("(%1,%2) outside the picture shows %3,%4,%5, not white")
                                    .arg(x)
                                    .arg(y)
                                    .arg(outside.r)
                                    .arg(outside.g)
                                    .arg(outside.b)));
        }
    }

    void noSceneNoFrame() { QVERIFY(!makeSlotFrame(nullptr, "frame")); }

    void cleanupTestCase() { engine_.reset(); }
};

QTEST_GUILESS_MAIN(tst_SlotFrame)
#include "tst_SlotFrame.moc"
