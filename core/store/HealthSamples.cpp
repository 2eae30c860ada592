#include "store/HealthSamples.h"

#include <algorithm>

#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

base::Status HealthSamples::insert(WriteContext& context, const HealthSample& sample) {
    auto streamId = context.streamId(sample.stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto insert =
        context.statement("INSERT INTO health_samples(stream_id, at, video_kbps, audio_kbps, fps, "
                          "keyframe_interval_s, viewers, dropped_bytes, extras) "
                          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!insert) {
        return base::fail(insert.error());
    }
    std::optional<std::string_view> extras;
    if (!sample.extrasJson.empty()) {
        extras = sample.extrasJson;
    }
    (*insert)->bindAll(*streamId, sample.at, sample.videoKbps, sample.audioKbps, sample.fps,
                       sample.keyframeIntervalS, sample.viewers, sample.droppedBytes, extras);
    if (auto ran = (*insert)->run(); !ran) {
        return base::fail(ran.error().withContext("health sample of " + sample.stream));
    }
    return {};
}

base::Status HealthSamples::insertBatch(WriteContext& context,
                                        std::span<const HealthSample> samples) {
    for (const HealthSample& sample : samples) {
        if (auto inserted = insert(context, sample); !inserted) {
            return inserted;
        }
    }
    return {};
}

base::Result<std::vector<HealthPoint>> HealthSamples::query(StoreReader& reader,
                                                            std::string_view stream, Time from,
                                                            Time to, std::size_t maxPoints) {
    std::vector<HealthPoint> points;
    if (maxPoints == 0 || to <= from) {
        return points;
    }
    // No chart needs more; it also keeps (at - from) * n far from int64 overflow.
    maxPoints = std::min<std::size_t>(maxPoints, 100'000);
    auto streamId = reader.streamId(stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    if (!*streamId) {
        return points;
    }
    // Raw rows weigh 1, rolled-up minutes weigh their sample count; a figure's average only
    // counts rows where it was measured (`* 1.0`: viewers is INTEGER and must not be divided
    // as one). Bucket b = (at - from) * n / span in integers, so 0 <= b < n.
    auto select = reader.statement(R"sql(
        WITH src(at, w, video, audio, fps, kf, viewers, dropped) AS (
            SELECT at, 1, video_kbps, audio_kbps, fps, keyframe_interval_s, viewers,
                   ifnull(dropped_bytes, 0)
            FROM health_samples WHERE stream_id = ?1 AND at >= ?2 AND at < ?3
            UNION ALL
            SELECT minute, samples, video_kbps_avg, audio_kbps_avg, fps_avg,
                   keyframe_interval_s_avg, viewers_avg, dropped_bytes_sum
            FROM health_minutes WHERE stream_id = ?1 AND minute >= ?2 AND minute < ?3
        )
        SELECT (at - ?2) * ?4 / (?3 - ?2) AS bucket, sum(w),
               sum(video * w * 1.0) / sum(iif(video IS NULL, 0, w)),
               sum(audio * w * 1.0) / sum(iif(audio IS NULL, 0, w)),
               sum(fps * w * 1.0) / sum(iif(fps IS NULL, 0, w)),
               sum(kf * w * 1.0) / sum(iif(kf IS NULL, 0, w)),
               sum(viewers * w * 1.0) / sum(iif(viewers IS NULL, 0, w)),
               sum(dropped)
        FROM src GROUP BY bucket ORDER BY bucket)sql");
    if (!select) {
        return base::fail(select.error());
    }
    std::int64_t fromMs = toUnixMs(from);
    std::int64_t spanMs = toUnixMs(to) - fromMs;
    auto n = static_cast<std::int64_t>(maxPoints);
    (*select)->bindAll(**streamId, from, to, n);
    auto done = forEachRow(**select, [&](const Statement& row) {
        HealthPoint p;
        std::int64_t bucket = row.int64(0);
        // Start of bucket b: the smallest t with (t - from) * n / span == b.
        p.at = fromUnixMs(fromMs + (bucket * spanMs + n - 1) / n);
        p.samples = row.int64(1);
        p.videoKbps = row.optionalReal(2);
        p.audioKbps = row.optionalReal(3);
        p.fps = row.optionalReal(4);
        p.keyframeIntervalS = row.optionalReal(5);
        p.viewers = row.optionalReal(6);
        p.droppedBytes = row.isNull(7) ? 0 : row.int64(7);
        points.push_back(p);
    });
    if (!done) {
        return base::fail(done.error());
    }
    return points;
}

base::Result<std::int64_t> HealthSamples::countRaw(StoreReader& reader, std::string_view stream,
                                                   Time from, Time to) {
    auto streamId = reader.streamId(stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto select = reader.statement(
        "SELECT count(*) FROM health_samples WHERE stream_id = ?1 AND at >= ?2 AND at < ?3");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bindAll(streamId->value_or(0), from, to);
    auto row = (*select)->step();
    if (!row) {
        return base::fail(row.error());
    }
    return (*select)->int64(0);
}

} // namespace stagecast::store
