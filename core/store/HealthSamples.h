#pragma once
/// Repository for stream health: raw samples (`health_samples`) and, for charts, a range
/// query downsampled to at most N points.
///
/// Samples are the bulk of the store's writes: enqueue them with StoreWriter::enqueueSample
/// (the writer inserts them with a cached statement, and drops the oldest when its queue is
/// full). The query also reads the per-minute rollups that retention leaves behind, so a chart
/// spanning both periods has no hole.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "store/Time.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

struct HealthSample {
    std::string stream; // "APP/STREAM"
    Time at;
    std::optional<double> videoKbps;
    std::optional<double> audioKbps;
    std::optional<double> fps;
    std::optional<double> keyframeIntervalS;
    std::optional<std::int64_t> viewers;
    std::optional<std::int64_t> droppedBytes; // dropped since the previous sample
    std::string extrasJson;                   // a JSON object, or empty for none
};

/// One point of a downsampled series: the figures averaged over its bucket [at, next).
struct HealthPoint {
    Time at;                  // bucket start
    std::int64_t samples = 0; // raw samples behind the point (a rolled-up minute counts its own)
    std::optional<double> videoKbps;
    std::optional<double> audioKbps;
    std::optional<double> fps;
    std::optional<double> keyframeIntervalS;
    std::optional<double> viewers;
    std::int64_t droppedBytes = 0; // summed over the bucket
};

class HealthSamples {
public:
    HealthSamples() = delete;

    static base::Status insert(WriteContext& context, const HealthSample& sample);
    /// Inserts all of them; stops at the first failure (the caller's transaction decides).
    static base::Status insertBatch(WriteContext& context, std::span<const HealthSample> samples);

    /// Samples of `stream` in [from, to) cut into at most `maxPoints` equal time buckets,
    /// averaged per bucket; empty buckets give no point. Ordered by time.
    static base::Result<std::vector<HealthPoint>>
    query(StoreReader& reader, std::string_view stream, Time from, Time to, std::size_t maxPoints);
    /// Raw samples of `stream` in [from, to) (no downsampling), for exports and tests.
    static base::Result<std::int64_t> countRaw(StoreReader& reader, std::string_view stream,
                                               Time from, Time to);
};

} // namespace stagecast::store
