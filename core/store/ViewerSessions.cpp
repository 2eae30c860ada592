#include "store/ViewerSessions.h"

#include "store/SessionQuery.h"
#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

base::Result<std::int64_t> ViewerSessions::open(WriteContext& context, const ViewerStart& start) {
    auto streamId = context.streamId(start.stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto insert = context.statement(
        "INSERT INTO viewer_sessions(stream_id, client_id, protocol, address, user_agent, "
        "started_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert) {
        return base::fail(insert.error());
    }
    (*insert)->bindAll(*streamId, static_cast<std::int64_t>(start.clientId), start.protocol,
                       start.address, start.userAgent, start.at);
    if (auto ran = (*insert)->run(); !ran) {
        return base::fail(ran.error().withContext("viewer session of " + start.stream));
    }
    return context.connection().lastInsertRowId();
}

base::Result<std::int64_t> ViewerSessions::close(WriteContext& context, std::string_view stream,
                                                 std::uint64_t clientId, Time at,
                                                 std::int64_t bytes) {
    auto streamId = context.streamId(stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto update = context.statement(
        "UPDATE viewer_sessions SET ended_at = ?3, bytes = ?4 WHERE stream_id = ?1 AND "
        "client_id = ?2 AND ended_at IS NULL");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(*streamId, static_cast<std::int64_t>(clientId), at, bytes);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::int64_t> ViewerSessions::closeAllOpen(WriteContext& context, Time at) {
    auto update =
        context.statement("UPDATE viewer_sessions SET ended_at = ?1 WHERE ended_at IS NULL");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bind(1, at);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::vector<ViewerSession>> ViewerSessions::list(StoreReader& reader,
                                                              const SessionFilter& filter) {
    auto where = buildSessionWhere(reader, filter);
    if (!where) {
        return base::fail(where.error());
    }
    auto select = reader.statement(
        std::string("SELECT t.id, ") + kStreamKeySql +
        ", t.client_id, t.protocol, t.address, t.user_agent, t.started_at, t.ended_at, t.bytes "
        "FROM viewer_sessions t JOIN streams s ON s.id = t.stream_id " +
        where->sql + " ORDER BY t.started_at DESC, t.id DESC LIMIT ? OFFSET ?");
    if (!select) {
        return base::fail(select.error());
    }
    where->bind(**select, filter);
    std::vector<ViewerSession> sessions;
    auto done = forEachRow(**select, [&](const Statement& row) {
        ViewerSession s;
        s.id = row.int64(0);
        s.stream = row.text(1);
        s.clientId = static_cast<std::uint64_t>(row.int64(2));
        s.protocol = row.text(3);
        s.address = row.text(4);
        s.userAgent = row.text(5);
        s.startedAt = row.time(6);
        if (auto ended = row.optionalInt64(7)) {
            s.endedAt = fromUnixMs(*ended);
        }
        s.bytes = row.int64(8);
        sessions.push_back(std::move(s));
    });
    if (!done) {
        return base::fail(done.error());
    }
    return sessions;
}

base::Result<std::int64_t> ViewerSessions::countOpen(StoreReader& reader, std::string_view stream) {
    std::int64_t streamId = -1;
    if (!stream.empty()) {
        auto id = reader.streamId(stream);
        if (!id) {
            return base::fail(id.error());
        }
        streamId = id->value_or(0);
    }
    // ?1 = -1 means all streams.
    auto select = reader.statement("SELECT count(*) FROM viewer_sessions WHERE ended_at IS NULL "
                                   "AND (?1 = -1 OR stream_id = ?1)");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bind(1, streamId);
    auto row = (*select)->step();
    if (!row) {
        return base::fail(row.error());
    }
    return (*select)->int64(0);
}

} // namespace stagecast::store
