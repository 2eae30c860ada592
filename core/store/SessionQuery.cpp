#include "store/SessionQuery.h"

#include "store/StoreReader.h"

namespace stagecast::store {

void SessionWhere::bind(Statement& statement, const SessionFilter& filter) const {
    int index = 1;
    for (std::int64_t p : params) {
        statement.bind(index++, p);
    }
    statement.bind(index++, static_cast<std::int64_t>(filter.limit));
    statement.bind(index, static_cast<std::int64_t>(filter.offset));
}

base::Result<SessionWhere> buildSessionWhere(StoreReader& reader, const SessionFilter& filter) {
    SessionWhere where;
    std::vector<std::string> conditions;
    if (!filter.stream.empty()) {
        auto id = reader.streamId(filter.stream);
        if (!id) {
            return base::fail(id.error());
        }
        conditions.emplace_back("t.stream_id = ?");
        where.params.push_back(id->value_or(0)); // unknown stream: matches nothing
    }
    if (filter.from) {
        conditions.emplace_back("t.started_at >= ?");
        where.params.push_back(toUnixMs(*filter.from));
    }
    if (filter.to) {
        conditions.emplace_back("t.started_at < ?");
        where.params.push_back(toUnixMs(*filter.to));
    }
    if (filter.openOnly) {
        conditions.emplace_back("t.ended_at IS NULL");
    }
    for (std::size_t i = 0; i < conditions.size(); ++i) {
        where.sql += (i == 0 ? "WHERE " : " AND ") + conditions[i];
    }
    return where;
}

} // namespace stagecast::store
