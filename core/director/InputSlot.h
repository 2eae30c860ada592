#pragma once
/// One input as the layouts see it: a private scene holding the hub input's picture (fitted
/// to the canvas) under a standby slate (a grey field with "STANDBY" and the stream name).
/// The slate shows while the input is not live — its publisher left, or no picture came for
/// the stall threshold — and hides by itself when pictures return. Layouts place the slot
/// scene, so every layout an input is in switches to the slate together.
///
/// Threads: created, supervised and destroyed under the director's lock; figures from the
/// input's counters are atomic.

#include <memory>
#include <optional>
#include <string>

#include "base/Result.h"
#include "director/HubInput.h"
#include "director/HubInputSource.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

class InputSlot {
public:
    /// Fails when the hub input cannot be created. A missing slate (image-source or
    /// text-freetype2 module) is logged; the input then works without standby.
    static base::Result<std::unique_ptr<InputSlot>>
    create(const std::string& stream, std::uint32_t width, std::uint32_t height);
    ~InputSlot();
    InputSlot(const InputSlot&) = delete;
    InputSlot& operator=(const InputSlot&) = delete;

    const std::string& stream() const { return stream_; }
    /// The slot scene's source, for layouts.
    obs_source_t* source() const { return obs_scene_get_source(scene_.get()); }
    HubInput* input() const { return hubInputOf(input_.get()); }
    obs_source_t* audioSource() const { return input_.get(); }

    /// Shows or hides the slate from the input's state. Returns the new standby value when it
    /// changed.
    std::optional<bool> supervise();
    bool standby() const { return standby_; }

private:
    InputSlot() = default;

    std::string stream_;
    SourceRef input_;
    SceneRef slate_;                       // grey field + text
    SceneRef scene_;                       // input + slate
    obs_sceneitem_t* slateItem_ = nullptr; // owned by scene_
    bool standby_ = false;
};

} // namespace stagecast::director
