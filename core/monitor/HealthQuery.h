#pragma once
/// The health history query behind GET /api/v1/streams/{app}/{name}/health: its parameters
/// (from/to as Unix seconds or RFC 3339, points) and the downsampled series from the store.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "monitor/Downsample.h"
#include "store/Time.h"

namespace stagecast::store {
class StoreReader;
}

namespace stagecast::monitor {

struct HealthRange {
    store::Time from;
    store::Time to;
    std::size_t points = 300;
};

inline constexpr std::size_t kDefaultPoints = 300;
inline constexpr std::size_t kMaxPoints = 10'000;
inline constexpr std::chrono::minutes kDefaultRange{10};

/// "1767225600", "1767225600.5", "2026-01-01T00:00:00Z", "2026-01-01T08:00:00.250+08:00".
/// The error says which forms are accepted.
base::Result<store::Time> parseTimeParam(std::string_view text);

/// Missing `to`: now; missing `from`: `to` minus 10 minutes; missing `points`: 300. The
/// errors name the parameter: "points: 0 is out of range 1..10000".
base::Result<HealthRange> parseHealthRange(std::optional<std::string_view> from,
                                           std::optional<std::string_view> to,
                                           std::optional<std::string_view> points, store::Time now);

/// The series of `stream` over `range`, at most range.points points, each with min/avg/max.
/// Reads the store at up to one point per second (and at most 20 per output point), so the
/// min and max are those of raw samples for ranges up to a few hours, and of short averages
/// beyond.
base::Result<std::vector<SeriesPoint>>
queryHealth(store::StoreReader& reader, std::string_view stream, const HealthRange& range);

} // namespace stagecast::monitor
