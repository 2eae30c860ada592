#include "director/Multiview.h"

#include <algorithm>

#include "director/Layouts.h"
#include "director/TextSource.h"

namespace stagecast::director {

namespace {

constexpr std::uint32_t kProgramRed = 0xFFD01010;
constexpr std::uint32_t kPreviewGreen = 0xFF10B010;
constexpr std::uint32_t kIdleGrey = 0xFF303030;
constexpr std::uint32_t kBackground = 0xFF101010;

/// The name in a box: 1/30 of the canvas height in the preview, program and quarter-size
/// boxes, smaller in eighth-size ones.
SourceRef label(const std::string& text, std::uint32_t canvasHeight, float boxHeight) {
    const int size = std::max(
        10, std::min(static_cast<int>(canvasHeight / 30), static_cast<int>(boxHeight * 4 / 30)));
    return makeTextSource("multiview " + text, text, TextLook{size, true, 0xFFFFFFFF, true});
}

/// A framed box: the frame colour under the picture fitted inside it, the name at the
/// bottom left.
void addBox(obs_scene_t* scene, const Box& box, std::uint32_t frameArgb, obs_source_t* picture,
            obs_source_t* overlay, const std::string& name, float frame,
            std::uint32_t canvasHeight) {
    if (auto colour = makeColourSource(frameArgb, box, "multiview frame")) {
        fitItem(obs_scene_add(scene, colour.get()), box);
    }
    const Box inner{box.x + frame, box.y + frame, box.width - 2 * frame, box.height - 2 * frame};
    if (auto black = makeColourSource(kBackground, inner, "multiview box")) {
        fitItem(obs_scene_add(scene, black.get()), inner);
    }
    for (obs_source_t* layer : {picture, overlay}) {
        if (layer != nullptr) {
            fitItem(obs_scene_add(scene, layer), inner);
        }
    }
    if (auto text = label(name, canvasHeight, box.height)) {
        obs_sceneitem_t* item = obs_scene_add(scene, text.get());
        obs_sceneitem_set_alignment(item, OBS_ALIGN_LEFT | OBS_ALIGN_BOTTOM);
        vec2 pos{};
        vec2_set(&pos, inner.x + 2 * frame, inner.y + inner.height - frame);
        obs_sceneitem_set_pos(item, &pos);
    }
}

} // namespace

std::vector<Box> multiviewBoxes(std::uint32_t width, std::uint32_t height, std::size_t inputs) {
    const float w = static_cast<float>(width);
    const float h = static_cast<float>(height);
    std::vector<Box> boxes{{0, 0, w / 2, h / 2}, {w / 2, 0, w / 2, h / 2}};
    const std::size_t n = std::min(inputs, kMultiviewInputs);
    const std::size_t perRow = n <= 8 ? 4 : 8;
    const float cols = static_cast<float>(perRow);
    for (std::size_t i = 0; i < n; ++i) {
        const float col = static_cast<float>(i % perRow);
        const float row = static_cast<float>(i / perRow);
        boxes.push_back({col * w / cols, h / 2 + row * h / cols, w / cols, h / cols});
    }
    return boxes;
}

float multiviewFrame(std::uint32_t width) {
    return std::max(2.0F, static_cast<float>(width) / 160.0F);
}

SceneRef buildMultiview(obs_source_t* preview, bool previewLive, obs_source_t* program,
                        obs_source_t* overlay, const std::vector<MultiviewTile>& tiles,
                        std::uint32_t width, std::uint32_t height) {
    SceneRef scene(obs_scene_create_private("multiview"));
    if (!scene) {
        return scene;
    }
    const Box all{0, 0, static_cast<float>(width), static_cast<float>(height)};
    if (auto back = makeColourSource(kBackground, all, "multiview background")) {
        fitItem(obs_scene_add(scene.get(), back.get()), all);
    }
    const auto boxes = multiviewBoxes(width, height, tiles.size());
    const float frame = multiviewFrame(width);
    addBox(scene.get(), boxes[0], previewLive ? kPreviewGreen : kIdleGrey, preview, overlay,
           "PREVIEW", frame, height);
    addBox(scene.get(), boxes[1], kProgramRed, program, overlay, "PROGRAM", frame, height);
    for (std::size_t i = 0; i + 2 < boxes.size(); ++i) {
        const auto& t = tiles[i];
        const std::uint32_t colour =
            t.onProgram ? kProgramRed : (t.onPreview ? kPreviewGreen : kIdleGrey);
        addBox(scene.get(), boxes[i + 2], colour, t.source, nullptr, t.name, frame, height);
    }
    return scene;
}

} // namespace stagecast::director
