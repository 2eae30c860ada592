#include "store/PublishSessions.h"

#include "store/SessionQuery.h"
#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

namespace {

std::optional<std::string_view> nonEmpty(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    return text;
}

} // namespace

base::Result<std::int64_t> PublishSessions::open(WriteContext& context, const PublishStart& start) {
    auto streamId = context.streamId(start.stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto insert = context.statement(
        "INSERT INTO publish_sessions(stream_id, client_id, protocol, address, started_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!insert) {
        return base::fail(insert.error());
    }
    (*insert)->bindAll(*streamId, static_cast<std::int64_t>(start.clientId), start.protocol,
                       start.address, start.at);
    if (auto ran = (*insert)->run(); !ran) {
        return base::fail(ran.error().withContext("publish session of " + start.stream));
    }
    return context.connection().lastInsertRowId();
}

base::Result<std::int64_t> PublishSessions::setMedia(WriteContext& context, std::string_view stream,
                                                     std::uint64_t clientId,
                                                     const PublishMedia& media) {
    auto streamId = context.streamId(stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto update = context.statement(
        "UPDATE publish_sessions SET video_codec = ?3, audio_codec = ?4, width = ?5, "
        "height = ?6 WHERE stream_id = ?1 AND client_id = ?2 AND ended_at IS NULL");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(*streamId, static_cast<std::int64_t>(clientId), nonEmpty(media.videoCodec),
                       nonEmpty(media.audioCodec), media.width, media.height);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::int64_t> PublishSessions::close(WriteContext& context, std::string_view stream,
                                                  std::uint64_t clientId, Time at,
                                                  std::string_view reason) {
    auto streamId = context.streamId(stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto update = context.statement(
        "UPDATE publish_sessions SET ended_at = ?3, end_reason = ?4 WHERE stream_id = ?1 AND "
        "client_id = ?2 AND ended_at IS NULL");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(*streamId, static_cast<std::int64_t>(clientId), at, reason);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::int64_t> PublishSessions::closeAllOpen(WriteContext& context, Time at,
                                                         std::string_view reason) {
    auto update = context.statement(
        "UPDATE publish_sessions SET ended_at = ?1, end_reason = ?2 WHERE ended_at IS NULL");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(at, reason);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::vector<PublishSession>> PublishSessions::list(StoreReader& reader,
                                                                const SessionFilter& filter) {
    auto where = buildSessionWhere(reader, filter);
    if (!where) {
        return base::fail(where.error());
    }
    auto select = reader.statement(
        std::string("SELECT t.id, ") + kStreamKeySql +
        ", t.client_id, t.protocol, t.address, t.video_codec, t.audio_codec, t.width, t.height, "
        "t.started_at, t.ended_at, t.end_reason FROM publish_sessions t JOIN streams s ON s.id "
        "= t.stream_id " +
        where->sql + " ORDER BY t.started_at DESC, t.id DESC LIMIT ? OFFSET ?");
    if (!select) {
        return base::fail(select.error());
    }
    where->bind(**select, filter);
    std::vector<PublishSession> sessions;
    auto done = forEachRow(**select, [&](const Statement& row) {
        PublishSession s;
        s.id = row.int64(0);
        s.stream = row.text(1);
        s.clientId = static_cast<std::uint64_t>(row.int64(2));
        s.protocol = row.text(3);
        s.address = row.text(4);
        s.media.videoCodec = row.text(5);
        s.media.audioCodec = row.text(6);
        s.media.width = row.optionalInt64(7);
        s.media.height = row.optionalInt64(8);
        s.startedAt = row.time(9);
        if (auto ended = row.optionalInt64(10)) {
            s.endedAt = fromUnixMs(*ended);
        }
        s.endReason = row.text(11);
        sessions.push_back(std::move(s));
    });
    if (!done) {
        return base::fail(done.error());
    }
    return sessions;
}

} // namespace stagecast::store
