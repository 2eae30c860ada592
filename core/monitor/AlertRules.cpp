#include "monitor/AlertRules.h"

#include <algorithm>
#include <vector>

namespace stagecast::monitor {

bool HeldCondition::update(bool active, store::Time now, std::chrono::milliseconds hold) {
    if (!active) {
        since_.reset();
        return false;
    }
    if (!since_) {
        since_ = now;
    }
    return now - *since_ >= hold;
}

void RecentWindow::add(store::Time at, double value) {
    // Windows are bounded by configuration (at most an hour of 1 s samples); this bound only
    // guards against a sampler fed far faster than once a second.
    constexpr std::size_t kMaxValues = 10'000;
    if (values_.size() >= kMaxValues) {
        values_.pop_front();
    }
    values_.emplace_back(at, value);
}

void RecentWindow::trim(store::Time now, std::chrono::milliseconds window) {
    while (!values_.empty() && values_.front().first < now - window) {
        values_.pop_front();
    }
}

std::optional<double> RecentWindow::median(std::size_t minValues) const {
    if (values_.empty() || values_.size() < minValues) {
        return std::nullopt;
    }
    std::vector<double> sorted;
    sorted.reserve(values_.size());
    for (const auto& [at, value] : values_) {
        sorted.push_back(value);
    }
    std::sort(sorted.begin(), sorted.end());
    const std::size_t mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

} // namespace stagecast::monitor
