#include "store/Alerts.h"

#include "store/EnumNames.h"
#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

namespace {

constexpr EnumNames<AlertSeverity, 3> kSeverities{{
    {AlertSeverity::Info, "info"},
    {AlertSeverity::Warning, "warning"},
    {AlertSeverity::Critical, "critical"},
}};

} // namespace

const char* toString(AlertSeverity severity) {
    return enumName(kSeverities, severity);
}

std::optional<AlertSeverity> parseAlertSeverity(std::string_view text) {
    return enumParse(kSeverities, text);
}

base::Result<std::int64_t> Alerts::open(WriteContext& context, const AlertOpen& alert) {
    auto streamId = context.optionalStreamId(alert.stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    // The conflict target is the partial unique index alerts_one_open.
    auto upsert =
        context.statement("INSERT INTO alerts(stream_id, kind, severity, opened_at, details) "
                          "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(ifnull(stream_id, 0), kind) "
                          "WHERE closed_at IS NULL DO UPDATE SET severity = excluded.severity, "
                          "details = excluded.details RETURNING id");
    if (!upsert) {
        return base::fail(upsert.error());
    }
    (*upsert)->bindAll(*streamId, alert.kind, toString(alert.severity), alert.at, alert.details);
    auto row = (*upsert)->step();
    if (!row) {
        return base::fail(row.error().withContext("alert " + alert.kind));
    }
    if (!*row) {
        return base::fail("alert " + alert.kind + ": the upsert returned no row");
    }
    std::int64_t id = (*upsert)->int64(0);
    if (auto done = (*upsert)->step(); !done) {
        return base::fail(done.error());
    }
    return id;
}

base::Result<std::int64_t> Alerts::close(WriteContext& context, std::string_view stream,
                                         std::string_view kind, Time at) {
    auto streamId = context.optionalStreamId(stream);
    if (!streamId) {
        return base::fail(streamId.error());
    }
    auto update = context.statement(
        "UPDATE alerts SET closed_at = ?3 WHERE ifnull(stream_id, 0) = ifnull(?1, 0) AND "
        "kind = ?2 AND closed_at IS NULL");
    if (!update) {
        return base::fail(update.error());
    }
    (*update)->bindAll(*streamId, kind, at);
    if (auto ran = (*update)->run(); !ran) {
        return base::fail(ran.error());
    }
    return context.connection().changes();
}

base::Result<std::vector<Alert>> Alerts::list(StoreReader& reader, const AlertFilter& filter) {
    std::string sql =
        "SELECT a.id, CASE WHEN s.id IS NULL THEN '' WHEN s.app = '' THEN s.name ELSE s.app || "
        "'/' || s.name END, a.kind, a.severity, a.opened_at, a.closed_at, a.details FROM alerts a "
        "LEFT JOIN streams s ON s.id = a.stream_id WHERE 1";
    std::vector<std::int64_t> params;
    if (!filter.stream.empty()) {
        auto id = reader.streamId(filter.stream);
        if (!id) {
            return base::fail(id.error());
        }
        sql += " AND a.stream_id = ?";
        params.push_back(id->value_or(0));
    }
    if (filter.openOnly) {
        sql += " AND a.closed_at IS NULL";
    }
    if (filter.from) {
        sql += " AND a.opened_at >= ?";
        params.push_back(toUnixMs(*filter.from));
    }
    if (filter.to) {
        sql += " AND a.opened_at < ?";
        params.push_back(toUnixMs(*filter.to));
    }
    sql += " ORDER BY a.opened_at DESC, a.id DESC LIMIT ? OFFSET ?";
    params.push_back(static_cast<std::int64_t>(filter.limit));
    params.push_back(static_cast<std::int64_t>(filter.offset));
    auto select = reader.statement(sql);
    if (!select) {
        return base::fail(select.error());
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        (*select)->bind(static_cast<int>(i) + 1, params[i]);
    }
    std::vector<Alert> alerts;
    auto done = forEachRow(**select, [&](const Statement& row) {
        Alert a;
        a.id = row.int64(0);
        a.stream = row.text(1);
        a.kind = row.text(2);
        a.severity = parseAlertSeverity(row.text(3)).value_or(AlertSeverity::Warning);
        a.openedAt = row.time(4);
        if (auto closed = row.optionalInt64(5)) {
            a.closedAt = fromUnixMs(*closed);
        }
        a.details = row.text(6);
        alerts.push_back(std::move(a));
    });
    if (!done) {
        return base::fail(done.error());
    }
    return alerts;
}

} // namespace stagecast::store
