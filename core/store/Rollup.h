#pragma once
/// Retention for health data: raw samples older than a period are rolled up into one
/// `health_minutes` row per stream and minute (count, avg/min/max of each figure, dropped
/// bytes summed), then deleted; rollups older than a longer period are deleted too.
///
/// Run it through the writer now and then (hourly is plenty). The cutoff is rounded down to a
/// minute boundary so a minute is never split between two runs; samples that arrive late for
/// an already rolled-up minute are merged into it (weighted by count).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "store/Time.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

struct RetentionPolicy {
    std::chrono::days rawSamples{7}; // raw samples older than this are rolled up
    std::chrono::days minutes{365};  // rollups older than this are deleted; 0: keep forever
};

struct RetentionResult {
    Time cutoff; // raw samples before this were rolled up
    std::int64_t samplesRolledUp = 0;
    std::int64_t minutesWritten = 0; // inserted or merged
    std::int64_t minutesDeleted = 0;
};

struct FigureStats {
    std::optional<double> avg;
    std::optional<double> min;
    std::optional<double> max;
};

struct HealthMinute {
    Time minute;
    std::int64_t samples = 0;
    FigureStats videoKbps;
    FigureStats audioKbps;
    FigureStats fps;
    FigureStats keyframeIntervalS;
    FigureStats viewers;
    std::int64_t droppedBytes = 0;
};

class Rollup {
public:
    Rollup() = delete;

    /// All of it in one savepoint: on failure nothing is rolled up and nothing deleted.
    static base::Result<RetentionResult> runRetention(WriteContext& context, Time now,
                                                      const RetentionPolicy& policy = {});
    /// Rolled-up minutes of `stream` in [from, to), oldest first.
    static base::Result<std::vector<HealthMinute>>
    minutes(StoreReader& reader, std::string_view stream, Time from, Time to);
};

} // namespace stagecast::store
