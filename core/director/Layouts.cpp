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

SourceRef makeColourSource(std::uint32_t argb, const Box& box, const char* name) {
    DataRef settings(obs_data_create());
    obs_data_set_int(settings.get(), "color", toObsColour(argb));
    obs_data_set_int(settings.get(), "width", std::max(1, static_cast<int>(box.width + 0.5F)));
    obs_data_set_int(settings.get(), "height", std::max(1, static_cast<int>(box.height + 0.5F)));
    return SourceRef(obs_source_create_private("color_source_v3", name, settings.get()));
}

SceneRef buildLayout(const LayoutSpec& spec, const SourceLookup& lookup, std::uint32_t width,
                     std::uint32_t height) {
    std::string name = std::string(toString(spec.kind)) + ":";
    for (const auto& input : inputsOf(spec)) {
        name += " " + input;
    }
    SceneRef scene(obs_scene_create_private(name.c_str()));
    for (const auto& placed : place(spec, width, height)) {
        if (placed.colour) {
            // The scene item holds its own reference to the colour source.
            SourceRef colour = makeColourSource(*placed.colour, placed.box, "layout colour");
            if (colour) {
                fitItem(obs_scene_add(scene.get(), colour.get()), placed.box);
            }
            continue;
        }
        if (obs_source_t* source = lookup(placed.input)) {
            fitItem(obs_scene_add(scene.get(), source), placed.box);
        }
    }
    return scene;
}

} // namespace stagecast::director
