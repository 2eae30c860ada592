#pragma once
/// Studio mode: a preview scene the operator lines up and a program scene on air, joined by
/// one fade transition that is libobs' output channel 0 (what the canvas renders, encodes
/// and mixes). Cut swaps program to the preview at once; Auto fades over a duration.
/// A take swaps like OBS studio mode: the preview then holds what was on program (the first
/// take, with nothing on program before, leaves the preview as it was, now also on program).
/// A preview listener (the preview output) is told each source the preview shows.
///
/// Thread: used under the director's lock.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "base/Result.h"
#include "director/DirectorTypes.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

class Studio {
public:
    /// Fails when the transitions module is missing.
    static base::Result<std::unique_ptr<Studio>> create();
    ~Studio();
    Studio(const Studio&) = delete;
    Studio& operator=(const Studio&) = delete;

    void setPreview(SceneRef scene, LayoutSpec spec);
    /// Nothing in preview (the black empty scene shows there).
    void clearPreview();
    /// Fails when there is no preview yet.
    base::Status cut();
    /// A fade of `duration` (a zero duration cuts). Fails when there is no preview.
    base::Status autoTransition(std::chrono::milliseconds duration);

    /// Puts `transition` on output channel 0 in place of the current one, showing what is on
    /// program (a take in progress ends at its destination). No change when it is already there.
    void useTransition(SourceRef transition);

    /// Moves the transition by hand to `position` (0..1): the first move above 0 starts it
    /// towards the preview in libobs' manual mode, 1 completes the take, 0 cancels it.
    /// Fails when there is no preview, or it is already on program.
    base::Result<TbarMove> moveTbar(double position);
    double tbarPosition() const { return tbar_; }

    /// Called with the preview's source (the black empty scene while there is no preview) now
    /// and after every change of what the preview shows.
    void onPreviewShown(std::function<void(obs_source_t*)> listener);
    obs_source_t* previewSource() const;
    /// The transition on output channel 0 (what the program shows, mid-take included).
    obs_source_t* onAir() const { return transition_.get(); }

    const std::optional<LayoutSpec>& preview() const { return previewSpec_; }
    const std::optional<LayoutSpec>& program() const { return programSpec_; }
    bool transitioning() const;

private:
    Studio() = default;
    /// After a take: program = the former preview, preview = the former program (if any).
    void swapAfterTake();
    void previewChanged() const;

    SourceRef transition_;
    SceneRef empty_; // on program until the first take: a black canvas
    SceneRef preview_;
    SceneRef program_;
    std::optional<LayoutSpec> previewSpec_;
    std::optional<LayoutSpec> programSpec_;
    double tbar_ = 0.0; // 0: no manual take in progress
    std::function<void(obs_source_t*)> previewListener_;
};

} // namespace stagecast::director
