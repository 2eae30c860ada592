#pragma once
/// Building blocks of the alert rules: a condition that must hold for a while before it
/// counts, and a window of recent values with its median. Not thread-safe: AlertEngine locks.

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <utility>

#include "store/Time.h"

namespace stagecast::monitor {

/// "True for at least `hold`": remembers when the condition became true.
class HeldCondition {
public:
    /// Feeds the condition's value at `now`; returns true once it has been true without a break
    /// for at least `hold` (at once when `hold` is zero).
    bool update(bool active, store::Time now, std::chrono::milliseconds hold);
    std::optional<store::Time> since() const { return since_; }
    void reset() { since_.reset(); }

private:
    std::optional<store::Time> since_;
};

/// Values of the last `window` (by time), for "below X% of its recent median" rules.
class RecentWindow {
public:
    void add(store::Time at, double value);
    /// Drops values older than `now - window`.
    void trim(store::Time now, std::chrono::milliseconds window);
    /// The median, or nullopt with fewer than `minValues` values (too little history to judge).
    std::optional<double> median(std::size_t minValues) const;
    std::size_t size() const { return values_.size(); }
    void clear() { values_.clear(); }

private:
    std::deque<std::pair<store::Time, double>> values_;
};

} // namespace stagecast::monitor
