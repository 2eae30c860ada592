#pragma once
/// The hub's notion of "now", injectable so tests can drive time.

#include <chrono>
#include <functional>

namespace stagecast::stream {

using SteadyTime = std::chrono::steady_clock::time_point;
using Clock = std::function<SteadyTime()>;

inline Clock systemClock() {
    return [] { return std::chrono::steady_clock::now(); };
}

} // namespace stagecast::stream
