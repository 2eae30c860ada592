#pragma once
/// The demo scene `stagecast --demo` (the README's first command) builds on a first start,
/// when no scene collection is saved yet: test sources only, so a new user sees a working
/// program before any presenter pushes. Colour bars with a clock inset on program, a lower
/// third saying how to add a presenter (on) and a ticker (off) in the overlay layer, a
/// slate in preview. It is saved like any operator's work, so the next start restores it (or what
/// the operator made of it) rather than building it again.

#include <string>

#include "base/Result.h"
#include "director/Director.h"

namespace stagecast::app {

/// Builds the scene on `director`; `pushHint` is the lower third's title, under "Push
/// presenters to" (rtmp://HOST:1935/live/NAME). Fails naming the step that failed (the rest stays).
base::Status buildDemoScene(director::Director& director, const std::string& pushHint);

} // namespace stagecast::app
