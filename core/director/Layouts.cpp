#include "director/Layouts.h"

#include <algorithm>
#include <string>

namespace stagecast::director {

void fitItem(obs_sceneitem_t* item, const Box& box) {
    if (item == nullptr) {
        return;
    }
    obs_sceneitem_set_alignment(item, OBS_ALIGN_LEFT | OBS_ALIGN_TOP);
    obs_sceneitem_set_bounds_type(item, OBS_BOUNDS_SCALE_INNER);
    obs_sceneitem_set_bounds_alignment(item, OBS_ALIGN_CENTER);
    vec2 bounds{};
    vec2_set(&bounds, box.width, box.height);
    obs_sceneitem_set_bounds(item, &bounds);
    vec2 pos{};
    vec2_set(&pos, box.x, box.y);
    obs_sceneitem_set_pos(item, &pos);
}

Box insetBox(const LayoutSpec& spec, std::uint32_t width, std::uint32_t height) {
    const auto w = static_cast<float>(width);
    const auto h = static_cast<float>(height);
    const auto margin = static_cast<float>(spec.margin);
    Box box;
    box.width = std::clamp(static_cast<float>(spec.size) * w, 1.0F, w);
    box.height = box.width * h / w;
    const bool left = spec.corner == Corner::TopLeft || spec.corner == Corner::BottomLeft;
    const bool top = spec.corner == Corner::TopLeft || spec.corner == Corner::TopRight;
    box.x = left ? margin : w - margin - box.width;
    box.y = top ? margin : h - margin - box.height;
    box.x = std::clamp(box.x, 0.0F, w - box.width);
    box.y = std::clamp(box.y, 0.0F, h - box.height);
    return box;
}

SceneRef buildLayout(const LayoutSpec& spec, obs_source_t* main, obs_source_t* inset,
                     std::uint32_t width, std::uint32_t height) {
    const std::string name = std::string(toString(spec.kind)) + ": " + spec.main +
                             (spec.kind == LayoutKind::PictureInPicture ? " + " + spec.inset : "");
    SceneRef scene(obs_scene_create_private(name.c_str()));
    if (main != nullptr) {
        fitItem(obs_scene_add(scene.get(), main),
                {0, 0, static_cast<float>(width), static_cast<float>(height)});
    }
    if (spec.kind == LayoutKind::PictureInPicture && inset != nullptr) {
        fitItem(obs_scene_add(scene.get(), inset), insetBox(spec, width, height));
    }
    return scene;
}

} // namespace stagecast::director
