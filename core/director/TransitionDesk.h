#pragma once
/// The transitions Auto and the T-bar use: the configured one (kept as one libobs transition
/// source, so a stinger's media stays loaded) and one-off ones built for a single take, from
/// libobs' obs-transitions module. Knows the module's bundled luma images (listed from its
/// data folder at start) and reports a type the module lacks by name.
///
/// Thread: used under the director's lock.

#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"
#include "director/ObsHandles.h"
#include "director/Studio.h"
#include "director/TransitionSpec.h"

namespace stagecast::director {

class TransitionDesk {
public:
    /// Starts with a fade of `duration` (built now: call on the director's owner thread).
    explicit TransitionDesk(std::chrono::milliseconds duration);

    const std::vector<std::string>& lumaImages() const { return lumaImages_; }
    const TransitionSpec& configured() const { return spec_; }

    /// Checks `spec` and builds its source; on failure the configured one stays.
    base::Status configure(const TransitionSpec& spec);
    /// Checks `spec` and builds its source without keeping it. Const and thread-safe: run it
    /// on the director's thread (libobs makes the transition's effects with graphics).
    base::Result<SourceRef> make(const TransitionSpec& spec) const;
    /// The saved transition at start (nothing: keep the fade); fails naming the problem.
    base::Status restore(const std::optional<TransitionSpec>& saved);
    /// Keeps `source` (from make(spec)) as the configured transition.
    void adopt(const TransitionSpec& spec, SourceRef source);

    /// Puts the take's transition on air in `studio`: `oneOff` (from make()) or, when empty,
    /// the configured one.
    void prepare(Studio& studio, SourceRef oneOff);
    /// The T-bar: checks `position` (0..1), puts `oneOff` (a saved layout's own, from make())
    /// or else the configured transition on air when a manual take starts, moves it and logs
    /// a completed or cancelled take.
    base::Result<TbarMove> moveTbar(Studio& studio, double position, SourceRef oneOff = {});

private:
    base::Result<SourceRef> build(const TransitionSpec& spec) const;

    std::vector<std::string> lumaImages_;
    TransitionSpec spec_;
    SourceRef source_;
};

} // namespace stagecast::director
