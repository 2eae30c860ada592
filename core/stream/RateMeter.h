#pragma once
/// Sums of a quantity (bytes, frames) over a sliding window of whole seconds, for
/// "bitrate over the last seconds" figures. Not thread-safe: the owner locks.

#include <array>
#include <chrono>
#include <cstdint>

#include "stream/Clock.h"

namespace stagecast::stream {

class RateMeter {
public:
    static constexpr int kWindowSeconds = 5;

    void add(std::uint64_t amount, SteadyTime now);
    /// Average per second over the completed seconds of the window (the current, partial
    /// second is left out so a rate does not dip at every second boundary).
    double perSecond(SteadyTime now) const;

private:
    static std::int64_t secondOf(SteadyTime t);
    struct Bucket {
        std::int64_t second = -1;
        std::uint64_t amount = 0;
    };
    std::array<Bucket, kWindowSeconds + 1> buckets_{};
    std::int64_t firstSecond_ = -1;
};

} // namespace stagecast::stream
