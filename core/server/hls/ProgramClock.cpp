#include "ProgramClock.h"

#include <chrono>
#include <cstdlib>

namespace stagecast::server::hls {

std::int64_t ProgramClock::stamp(std::int64_t dtsMs, std::int64_t wallMs) {
    if (anchor_) {
        const auto onTimeline = anchor_->wallMs + (dtsMs - anchor_->dtsMs);
        if (std::llabs(onTimeline - wallMs) <= maxDriftMs_) {
            return onTimeline;
        }
        ++reanchors_;
    }
    anchor_ = Anchor{dtsMs, wallMs};
    return wallMs;
}

std::int64_t ProgramClock::nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace stagecast::server::hls
