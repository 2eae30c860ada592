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
    if (tbar_ > 0.0) {
        (void)moveTbar(0.0); // a new preview cancels a manual take half-way
    }
    preview_ = std::move(scene);
    previewSpec_ = std::move(spec);
    previewChanged();
}

void Studio::clearPreview() {
    if (tbar_ > 0.0) {
        (void)moveTbar(0.0);
    }
    preview_.reset();
    previewSpec_.reset();
    previewChanged();
}

void Studio::onPreviewShown(std::function<void(obs_source_t*)> listener) {
    previewListener_ = std::move(listener);
    previewChanged();
}

obs_source_t* Studio::previewSource() const {
    return obs_scene_get_source(preview_ ? preview_.get() : empty_.get());
}

void Studio::previewChanged() const {
    if (previewListener_) {
        previewListener_(previewSource());
    }
}

void Studio::swapAfterTake() {
    SceneRef former = std::move(program_);
    auto formerSpec = std::move(programSpec_);
    program_ = SceneRef(obs_scene_get_ref(preview_.get()));
    programSpec_ = previewSpec_;
    if (former) {
        preview_ = std::move(former);
        previewSpec_ = std::move(formerSpec);
        previewChanged();
    }
}

base::Status Studio::cut() {
    return autoTransition(std::chrono::milliseconds(0));
}

base::Status Studio::autoTransition(std::chrono::milliseconds duration) {
    if (!preview_) {
        return base::fail("nothing in preview: set a preview first");
    }
    if (tbar_ > 0.0) {
        (void)moveTbar(0.0); // a take replaces a manual one half-way: start from program
    }
    obs_source_t* next = obs_scene_get_source(preview_.get());
    if (duration.count() <= 0) {
        obs_transition_set(transition_.get(), next);
    } else if (!obs_transition_start(transition_.get(), OBS_TRANSITION_MODE_AUTO,
                                     static_cast<std::uint32_t>(duration.count()), next)) {
        return base::fail(program_.get() == preview_.get()
                              ? "the preview is already on program: set a new preview first"
                              : "the transition did not start");
    }
    swapAfterTake();
    return {};
}

void Studio::useTransition(SourceRef transition) {
    if (!transition || transition.get() == transition_.get()) {
        return;
    }
    obs_source_t* onAir =
        program_ ? obs_scene_get_source(program_.get()) : obs_scene_get_source(empty_.get());
    obs_transition_set(transition.get(), onAir);
    obs_set_output_source(0, transition.get());
    obs_transition_clear(transition_.get());
    transition_ = std::move(transition);
    tbar_ = 0.0;
}

base::Result<TbarMove> Studio::moveTbar(double position) {
    TbarMove move;
    obs_source_t* tr = transition_.get();
    if (position <= 0.0) {
        if (tbar_ > 0.0) {
            obs_source_t* onAir = program_ ? obs_scene_get_source(program_.get())
                                           : obs_scene_get_source(empty_.get());
            obs_transition_set(tr, onAir); // back to program alone: the take is cancelled
            move.cancelled = true;
        }
        tbar_ = 0.0;
        return move;
    }
    if (!preview_) {
        return base::fail("nothing in preview: set a preview first");
    }
    if (tbar_ <= 0.0) {
        if (program_ && program_.get() == preview_.get()) {
            return base::fail("the preview is already on program: set a new preview first");
        }
        obs_transition_set_manual_torque(tr, 0.0F, 0.0F); // follow the bar exactly
        if (!obs_transition_start(tr, OBS_TRANSITION_MODE_MANUAL, 1000,
                                  obs_scene_get_source(preview_.get()))) {
            return base::fail("the transition did not start");
        }
    }
    obs_transition_set_manual_time(tr, static_cast<float>(position));
    tbar_ = position;
    if (position >= 1.0) {
        swapAfterTake();
        tbar_ = 0.0;
        move.completed = true;
    }
    move.position = tbar_;
    return move;
}

bool Studio::transitioning() const {
    const float t = obs_transition_get_time(transition_.get());
    return t > 0.0F && t < 1.0F;
}

} // namespace stagecast::director
