#include "store/Recordings.h"

#include "store/EnumNames.h"
#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

namespace {

constexpr EnumNames<RecordingState, 6> kStates{{
    {RecordingState::Recording, "recording"},
    {RecordingState::Complete, "complete"},
    {RecordingState::Failed, "failed"},
    {RecordingState::Interrupted, "interrupted"},
    {RecordingState::Deleted, "deleted"},
    {RecordingState::Recovered, "recovered"},
}};

constexpr std::string_view kColumns =
    "SELECT r.id, CASE WHEN s.app = '' THEN s.name ELSE s.app || '/' || s.name END, r.path, "
    "r.started_at, r.ended_at, r.duration_ms, r.size_bytes, r.codecs, r.state, r.reason "
    "FROM recordings r JOIN streams s ON s.id = r.stream_id ";

base::Result<std::vector<Recording>> readRows(Statement& select) {
    std::vector<Recording> recordings;
    std::optional<base::Error> bad;
    auto done = forEachRow(select, [&](const Statement& row) {
        Recording r;
        r.id = row.int64(0);
        r.stream = row.text(1);
        r.path = row.text(2);
        r.startedAt = row.time(3);
        if (auto ended = row.optionalInt64(4)) {
            r.endedAt = fromUnixMs(*ended);
        }
        if (auto duration = row.optionalInt64(5)) {
            r.duration = std::chrono::milliseconds{*duration};
        }
        r.sizeBytes = row.optionalInt64(6);
        r.codecs = row.text(7);
        auto parsed = parseRecordingState(row.text(8));
        if (!parsed) {
            bad = base::Error("recording " + r.path + " has unknown state '" + row.text(8) + "'");
            return;
        }
        r.state = *parsed;
        r.reason = row.text(9);
        recordings.push_back(std::move(r));
    });
    if (!done) {
        return base::fail(done.error());
    }
    if (bad) {
        return base::fail(*bad);
    }
    return recordings;
}

} // namespace

const char* toString(RecordingState state) {
    return enumName(kStates, state);
}

std::optional<RecordingState> parseRecordingState(std::string_view text) {
    return enumParse(kStates, text);
}

base::Result<std::int64_t> Recordings::insert(WriteContext& context,
                                              const NewRecording& recording) {
    auto streamId = context.streamId(recording.stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto insert =
        context.statement("INSERT INTO recordings(stream_id, path, started_at, codecs, state) "
                          "VALUES(?1, ?2, ?3, ?4, 'recording')");
    if (!insert) {
        return base::fail(insert.error());
    }
    (*insert)->bindAll(*streamId, recording.path, recording.startedAt, recording.codecs);
    if (auto ran = (*insert)->run(); !ran) {
        return base::fail(ran.error().withContext("recording " + recording.path));
    }
    return context.connection().lastInsertRowId();
}

base::Result<std::int64_t> Recordings::finish(WriteContext& context, std::string_view path,
                                              const RecordingEnd& end) {
    auto update = context.statement(
        "UPDATE recordings SET ended_at = ?2, duration_ms = ?3, size_bytes = ?4, state = ?5, "
        "reason = ?6, path = COALESCE(NULLIF(?7, ''), path) WHERE path = ?1");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(path, end.endedAt, static_cast<std::int64_t>(end.duration.count()),
                       end.sizeBytes, toString(end.state), end.reason, end.newPath);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::int64_t> Recordings::setState(WriteContext& context, std::string_view path,
                                                RecordingState state, std::string_view reason) {
    auto update =
        context.statement("UPDATE recordings SET state = ?2, reason = ?3 WHERE path = ?1");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(path, toString(state), reason);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::int64_t> Recordings::markInterrupted(WriteContext& context, Time at) {
    auto update = context.statement(
        "UPDATE recordings SET state = 'interrupted', ended_at = ?1, reason = 'Stagecast "
        "stopped while recording' WHERE state = 'recording'");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bind(1, at);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::vector<Recording>> Recordings::list(StoreReader& reader,
                                                      std::optional<RecordingState> state,
                                                      std::size_t limit, std::size_t offset) {
    return list(reader, RecordingFilter{state, std::nullopt, limit, offset});
}

base::Result<std::vector<Recording>> Recordings::list(StoreReader& reader,
                                                      const RecordingFilter& filter) {
    // ?1 / ?2 NULL: any state / any stream.
    auto select = reader.statement(
        std::string(kColumns) +
        "WHERE (?1 IS NULL OR r.state = ?1) AND (?2 IS NULL OR (CASE WHEN s.app = '' THEN "
        "s.name ELSE s.app || '/' || s.name END) = ?2) ORDER BY r.started_at DESC, r.id DESC "
        "LIMIT ?3 OFFSET ?4");
    if (!select) {
        return base::fail(select.error());
    }
    std::optional<std::string_view> stateName;
    if (filter.state) {
        stateName = toString(*filter.state);
    }
    std::optional<std::string_view> stream;
    if (filter.stream) {
        stream = *filter.stream;
    }
    (*select)->bindAll(stateName, stream, static_cast<std::int64_t>(filter.limit),
                       static_cast<std::int64_t>(filter.offset));
    return readRows(**select);
}

base::Result<std::optional<Recording>> Recordings::get(StoreReader& reader, std::int64_t id) {
    auto select = reader.statement(std::string(kColumns) + "WHERE r.id = ?1");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bind(1, id);
    auto rows = readRows(**select);
    if (!rows) {
        return base::fail(rows.error());
    }
    if (rows->empty()) {
        return std::optional<Recording>{};
    }
    return std::optional<Recording>{std::move(rows->front())};
}

} // namespace stagecast::store
