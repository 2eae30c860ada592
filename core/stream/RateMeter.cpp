#include "RateMeter.h"

#include <algorithm>

namespace stagecast::stream {

std::int64_t RateMeter::secondOf(SteadyTime t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

void RateMeter::add(std::uint64_t amount, SteadyTime now) {
    auto second = secondOf(now);
    if (firstSecond_ < 0) {
        firstSecond_ = second;
    }
    auto& bucket = buckets_[static_cast<std::size_t>(second) % buckets_.size()];
    if (bucket.second != second) {
        bucket.second = second;
        bucket.amount = 0;
    }
    bucket.amount += amount;
}

double RateMeter::perSecond(SteadyTime now) const {
    if (firstSecond_ < 0) {
        return 0.0;
    }
    auto current = secondOf(now);
    // Completed seconds in the window, not counting those before the first sample.
    auto from = std::max(current - kWindowSeconds, firstSecond_);
    auto seconds = current - from;
    if (seconds <= 0) {
        return 0.0;
    }
    std::uint64_t sum = 0;
    for (const auto& bucket : buckets_) {
        if (bucket.second >= from && bucket.second < current) {
            sum += bucket.amount;
        }
    }
    return static_cast<double>(sum) / static_cast<double>(seconds);
}

} // namespace stagecast::stream
