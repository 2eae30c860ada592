#include "store/Rollup.h"

#include <array>
#include <string>

#include "store/Savepoint.h"
#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;

struct Figure {
    const char* sample; // column in health_samples
    const char* rollup; // prefix in health_minutes
};

constexpr std::array<Figure, 5> kFigures{{
    {"video_kbps", "video_kbps"},
    {"audio_kbps", "audio_kbps"},
    {"fps", "fps"},
    {"keyframe_interval_s", "keyframe_interval_s"},
    {"viewers", "viewers"},
}};

// One INSERT ... SELECT ... ON CONFLICT DO UPDATE for a stream's samples before the cutoff.
// On conflict (late samples for a minute already rolled up) averages merge weighted by sample
// count; scalar min()/max() return NULL if any argument is NULL, hence the coalesce pairs.
std::string rollupSql() {
    std::string columns = "stream_id, minute, samples";
    std::string select = "stream_id, at / 60000 * 60000, count(*)";
    std::string update = "samples = samples + excluded.samples";
    for (const Figure& f : kFigures) {
        std::string p = f.rollup;
        columns += ", " + p + "_avg, " + p + "_min, " + p + "_max";
        select +=
            std::string(", avg(") + f.sample + "), min(" + f.sample + "), max(" + f.sample + ")";
        update += ", " + p + "_avg = CASE WHEN " + p + "_avg IS NULL THEN excluded." + p +
                  "_avg WHEN excluded." + p + "_avg IS NULL THEN " + p + "_avg ELSE (" + p +
                  "_avg * samples + excluded." + p + "_avg * excluded.samples) / (samples + " +
                  "excluded.samples) END";
        for (const char* m : {"min", "max"}) {
            std::string c = p + "_" + m;
            update += ", " + c + " = " + m + "(coalesce(" + c + ", excluded." + c +
                      "), coalesce(excluded." + c + ", " + c + "))";
        }
    }
    columns += ", dropped_bytes_sum";
    select += ", sum(ifnull(dropped_bytes, 0))";
    update += ", dropped_bytes_sum = dropped_bytes_sum + excluded.dropped_bytes_sum";
    return "INSERT INTO health_minutes(" + columns + ") SELECT " + select +
           " FROM health_samples WHERE stream_id = ?1 AND at < ?2 GROUP BY at / 60000 "
           "ON CONFLICT(stream_id, minute) DO UPDATE SET " +
           update;
}

Time floorToMinute(Time t) {
    std::int64_t ms = toUnixMs(t);
    std::int64_t floored = ms - ((ms % kMinuteMs) + kMinuteMs) % kMinuteMs;
    return fromUnixMs(floored);
}

base::Result<std::vector<std::int64_t>> streamIds(WriteContext& context) {
    auto select = context.statement("SELECT id FROM streams ORDER BY id");
    if (!select) {
        return base::fail(select.error());
    }
    std::vector<std::int64_t> ids;
    auto done = forEachRow(**select, [&](const Statement& row) { ids.push_back(row.int64(0)); });
    if (!done) {
        return base::fail(done.error());
    }
    return ids;
}

base::Status runFor(WriteContext& context, std::int64_t streamId, Time cutoff,
                    RetentionResult& result) {
    static const std::string kRollup = rollupSql();
    auto rollup = context.statement(kRollup);
    if (!rollup) {
        return base::fail(rollup.error());
    }
    (*rollup)->bindAll(streamId, cutoff);
    if (auto ran = (*rollup)->run(); !ran) {
        return ran;
    }
    result.minutesWritten += context.connection().changes();
    auto erase = context.statement("DELETE FROM health_samples WHERE stream_id = ?1 AND at < ?2");
    if (!erase) {
        return base::fail(erase.error());
    }
    (*erase)->bindAll(streamId, cutoff);
    if (auto ran = (*erase)->run(); !ran) {
        return ran;
    }
    result.samplesRolledUp += context.connection().changes();
    return {};
}

} // namespace

base::Result<RetentionResult> Rollup::runRetention(WriteContext& context, Time now,
                                                   const RetentionPolicy& policy) {
    RetentionResult result;
    result.cutoff = floorToMinute(now - policy.rawSamples);
    auto savepoint = Savepoint::begin(context);
    if (!savepoint) {
        return base::fail(savepoint.error());
    }
    // Per stream, so each statement walks the (stream_id, at) index instead of the table.
    auto ids = streamIds(context);
    if (!ids) {
        return base::fail(ids.error());
    }
    for (std::int64_t id : *ids) {
        if (auto ran = runFor(context, id, result.cutoff, result); !ran) {
            return base::fail(ran.error().withContext("health retention"));
        }
    }
    if (policy.minutes.count() > 0) {
        auto erase = context.statement("DELETE FROM health_minutes WHERE minute < ?1");
        if (!erase) {
            return base::fail(erase.error());
        }
        (*erase)->bind(1, floorToMinute(now - policy.minutes));
        if (auto ran = (*erase)->run(); !ran) {
            return base::fail(ran.error().withContext("health retention"));
        }
        result.minutesDeleted = context.connection().changes();
    }
    if (auto released = savepoint->release(); !released) {
        return base::fail(released.error());
    }
    return result;
}

base::Result<std::vector<HealthMinute>>
Rollup::minutes(StoreReader& reader, std::string_view stream, Time from, Time to) {
    std::string columns = "minute, samples";
    for (const Figure& f : kFigures) {
        std::string p = f.rollup;
        columns += ", " + p + "_avg, " + p + "_min, " + p + "_max";
    }
    auto streamId = reader.streamId(stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto select = reader.statement("SELECT " + columns +
                                   ", dropped_bytes_sum FROM health_minutes WHERE stream_id = ?1 "
                                   "AND minute >= ?2 AND minute < ?3 ORDER BY minute");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bindAll(streamId->value_or(0), from, to);
    std::vector<HealthMinute> rows;
    auto done = forEachRow(**select, [&](const Statement& row) {
        HealthMinute m;
        m.minute = row.time(0);
        m.samples = row.int64(1);
        FigureStats* stats[] = {&m.videoKbps, &m.audioKbps, &m.fps, &m.keyframeIntervalS,
                                &m.viewers};
        int column = 2;
        for (FigureStats* s : stats) {
            s->avg = row.optionalReal(column++);
            s->min = row.optionalReal(column++);
            s->max = row.optionalReal(column++);
        }
        m.droppedBytes = row.int64(column);
        rows.push_back(m);
    });
    if (!done) {
        return base::fail(done.error());
    }
    return rows;
}

} // namespace stagecast::store
