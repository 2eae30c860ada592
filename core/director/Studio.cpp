#include "director/Studio.h"

namespace stagecast::director {

base::Result<std::unique_ptr<Studio>> Studio::create() {
    std::unique_ptr<Studio> studio(new Studio());
    studio->transition_ =
        SourceRef(obs_source_create_private("fade_transition", "program transition", nullptr));
    if (!studio->transition_) {
        return base::fail("the fade transition is not available (OBS module obs-transitions)");
    }
    studio->empty_ = SceneRef(obs_scene_create_private("empty"));
    obs_transition_set(studio->transition_.get(), obs_scene_get_source(studio->empty_.get()));
    obs_set_output_source(0, studio->transition_.get());
    return studio;
}

Studio::~Studio() {
    obs_set_output_source(0, nullptr);
    if (transition_) {
        obs_transition_clear(transition_.get());
    }
}

void Studio::setPreview(SceneRef scene, LayoutSpec spec) {
    preview_ = std::move(scene);
    previewSpec_ = std::move(spec);
}

base::Status Studio::cut() {
    return autoTransition(std::chrono::milliseconds(0));
}

base::Status Studio::autoTransition(std::chrono::milliseconds duration) {
    if (!preview_) {
        return base::fail("nothing in preview: set a preview first");
    }
    obs_source_t* next = obs_scene_get_source(preview_.get());
    if (duration.count() <= 0) {
        obs_transition_set(transition_.get(), next);
    } else if (!obs_transition_start(transition_.get(), OBS_TRANSITION_MODE_AUTO,
                                     static_cast<std::uint32_t>(duration.count()), next)) {
        return base::fail("the transition did not start");
    }
    program_ = SceneRef(obs_scene_get_ref(preview_.get()));
    programSpec_ = previewSpec_;
    return {};
}

bool Studio::transitioning() const {
    const float t = obs_transition_get_time(transition_.get());
    return t > 0.0F && t < 1.0F;
}

} // namespace stagecast::director
