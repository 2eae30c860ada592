#pragma once
/// One input as the layouts see it: a private scene holding the hub input's picture (fitted
/// to the canvas) under a standby slate (a grey field with "STANDBY" and the stream name).
/// The slate shows while the input is not live — its publisher left, or no picture came for
/// the stall threshold — and hides by itself when pictures return. Layouts place the slot
/// scene, so every layout an input is in switches to the slate together.
///
/// Threads: created, supervised and destroyed under the director's lock; figures from the
/// input's counters are atomic.
///
/// Layouts, overlays and backups place the slot's frame (SlotFrame), not the scene itself, so
/// libobs draws the slot straight into its box instead of through a canvas-sized texture.

#include <memory>
#include <optional>
#include <string>

#include "base/Result.h"
#include "director/HubInput.h"
#include "director/HubInputSource.h"
#include "director/LocalSource.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

class InputSlot {
public:
    /// Fails when the hub input cannot be created. A missing slate (image-source or
    /// text-freetype2 module) is logged; the input then works without standby.
    static base::Result<std::unique_ptr<InputSlot>>
    create(const std::string& stream, std::uint32_t width, std::uint32_t height);
    /// A director-defined input (LocalSource) in a slot with the same standby slate.
    static base::Result<std::unique_ptr<InputSlot>>
    createLocal(const InputSpec& spec, std::uint32_t width, std::uint32_t height);
    ~InputSlot();
    InputSlot(const InputSlot&) = delete;
    InputSlot& operator=(const InputSlot&) = delete;

    const std::string& stream() const { return stream_; }
    /// The slot's frame source (the slot scene drawn directly), for layouts, overlays, backups
    /// and thumbnails.
    obs_source_t* source() const { return frame_.get(); }
    /// The slot scene itself (input, slate, backup), for its sound's tap.
    obs_scene_t* scene() const { return scene_.get(); }
    HubInput* input() const { return hubInputOf(input_.get()); }
    obs_source_t* audioSource() const { return local_ ? local_->audio() : input_.get(); }
    /// The director-defined input, or nullptr for a hub stream.
    LocalSource* local() const { return local_.get(); }
    /// "live", "stalled" or "off" (hub inputs as HubInput says); `problem` gets the reason.
    std::string state(std::string* problem = nullptr) const;

    /// Shows or hides the slate from the input's state. Returns the new standby value when it
    /// changed.
    std::optional<bool> supervise();
    bool standby() const { return standby_; }

    /// A backup shown instead of the slate while this input is not live and the backup is
    /// (`backupLive` at each supervise). `slot` is the backup's slot scene source; nullptr
    /// removes the backup.
    void setBackup(const std::string& id, obs_source_t* slot);
    const std::string& backup() const { return backupId_; }
    /// Tells supervise() whether the backup is live now.
    void setBackupLive(bool live) { backupLive_ = live; }
    /// What the slot shows: "input", "backup" or "slate".
    const char* showing() const;

private:
    InputSlot() = default;
    base::Status makeFrame();

    std::string stream_;
    SourceRef input_;
    SourceRef picture_;                    // input_ drawn straight (SlotFrame.h); in scene_
    SourceRef slate_;                      // frame of the slate scene: grey field + text
    SceneRef scene_;                       // input + slate
    SourceRef frame_;                      // holds scene_; what layouts place
    obs_sceneitem_t* slateItem_ = nullptr; // owned by scene_
    bool standby_ = false;
    std::unique_ptr<LocalSource> local_;
    std::string backupId_;
    obs_sceneitem_t* backupItem_ = nullptr; // owned by scene_
    bool backupLive_ = false;
    bool showingBackup_ = false;
};

} // namespace stagecast::director
