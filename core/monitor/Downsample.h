#pragma once
/// Reduces a health series to at most N points for a chart: [from, to) is cut into N equal
/// buckets; each bucket's point has, per figure, the minimum, the sample-weighted average and
/// the maximum of the finer points that fall in it. Empty buckets give no point.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "store/HealthSamples.h"
#include "store/Time.h"

namespace stagecast::monitor {

struct FigureRange {
    std::optional<double> min;
    std::optional<double> avg;
    std::optional<double> max;
};

struct SeriesPoint {
    store::Time at;           // bucket start
    std::int64_t samples = 0; // raw samples behind the point
    FigureRange videoKbps;
    FigureRange audioKbps;
    FigureRange fps;
    FigureRange keyframeIntervalS;
    FigureRange viewers;
    std::int64_t droppedBytes = 0; // summed
};

/// `fine` must be ordered by time; points outside [from, to) are ignored.
std::vector<SeriesPoint> downsample(std::span<const store::HealthPoint> fine, store::Time from,
                                    store::Time to, std::size_t maxPoints);

} // namespace stagecast::monitor
