#include "store/ModerationQuery.h"

#include <algorithm>

#include "store/StoreReader.h"

namespace stagecast::store {

namespace {

std::size_t codePoints(std::string_view utf8) {
    std::size_t count = 0;
    for (char c : utf8) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++count;
        }
    }
    return count;
}

template <typename Enum>
void addIn(SqlQuery& where, std::vector<std::string>& conditions, const char* column,
           const std::vector<Enum>& values) {
    if (values.empty()) {
        return;
    }
    std::string sql = std::string(column) + " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) {
        sql += i == 0 ? "?" : ", ?";
        where.params.emplace_back(std::string(toString(values[i])));
    }
    conditions.push_back(sql + ")");
}

void append(SqlQuery& to, const SqlQuery& from) {
    to.params.insert(to.params.end(), from.params.begin(), from.params.end());
}

} // namespace

int SqlQuery::bind(Statement& statement) const {
    int index = 1;
    for (const auto& param : params) {
        std::visit([&](const auto& value) { statement.bind(index, value); }, param);
        ++index;
    }
    return index;
}

std::string ftsPhrase(std::string_view text) {
    std::string phrase = "\"";
    for (char c : text) {
        phrase += c;
        if (c == '"') {
            phrase += '"';
        }
    }
    return phrase + "\"";
}

std::string likeContains(std::string_view text) {
    std::string pattern = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') {
            pattern += '\\';
        }
        pattern += c;
    }
    return pattern + "%";
}

std::string orderBy(SortOrder order, const char* column) {
    return std::string("ORDER BY ") + column + (order == SortOrder::OldestFirst ? " ASC" : " DESC");
}

base::Result<SqlQuery> buildWhere(StoreReader& reader, const ModerationFilter& filter) {
    SqlQuery where;
    std::vector<std::string> conditions;
    addIn(where, conditions, "i.state", filter.states);
    addIn(where, conditions, "i.kind", filter.kinds);
    if (!filter.stream.empty()) {
        auto id = reader.streamId(filter.stream);
        if (!id) {
            return base::fail(id.error());
        }
        conditions.emplace_back("i.stream_id = ?");
        where.params.emplace_back(id->value_or(0));
    }
    if (filter.from) {
        conditions.emplace_back("i.created_at >= ?");
        where.params.emplace_back(toUnixMs(*filter.from));
    }
    if (filter.to) {
        conditions.emplace_back("i.created_at < ?");
        where.params.emplace_back(toUnixMs(*filter.to));
    }
    if (filter.afterId) {
        conditions.emplace_back(filter.order == SortOrder::OldestFirst ? "i.id > ?" : "i.id < ?");
        where.params.emplace_back(*filter.afterId);
    }
    if (!filter.author.empty()) {
        conditions.emplace_back("i.author = ?");
        where.params.emplace_back(filter.author);
    }
    if (!filter.text.empty()) {
        if (codePoints(filter.text) >= 3) {
            conditions.emplace_back("i.id IN (SELECT rowid FROM moderation_items_fts WHERE "
                                    "moderation_items_fts MATCH ?)");
            where.params.emplace_back(ftsPhrase(filter.text));
        } else {
            conditions.emplace_back("i.text LIKE ? ESCAPE '\\'");
            where.params.emplace_back(likeContains(filter.text));
        }
    }
    for (std::size_t i = 0; i < conditions.size(); ++i) {
        where.sql += (i == 0 ? "WHERE " : " AND ") + conditions[i];
    }
    return where;
}

base::Result<SqlQuery> selectIds(StoreReader& reader, const ModerationFilter& filter, bool paged) {
    std::vector<ItemState> states = filter.states;
    std::sort(states.begin(), states.end());
    states.erase(std::unique(states.begin(), states.end()), states.end());
    auto limit = static_cast<std::int64_t>(filter.limit);
    auto offset = static_cast<std::int64_t>(filter.offset);

    SqlQuery query;
    if (!paged || states.size() <= 1) {
        auto where = buildWhere(reader, filter);
        if (!where) {
            return base::fail(where.error());
        }
        query.sql = "SELECT i.id AS id FROM moderation_items i " + where->sql + " " +
                    orderBy(filter.order, "i.id");
        append(query, *where);
    } else {
        // One branch per state, each reading at most one page's worth from its index.
        for (ItemState state : states) {
            ModerationFilter single = filter;
            single.states = {state};
            auto where = buildWhere(reader, single);
            if (!where) {
                return base::fail(where.error());
            }
            query.sql += query.sql.empty() ? "SELECT id FROM (" : " UNION ALL SELECT id FROM (";
            query.sql += "SELECT i.id AS id FROM moderation_items i " + where->sql + " " +
                         orderBy(filter.order, "i.id") + " LIMIT ?)";
            append(query, *where);
            query.params.emplace_back(limit + offset);
        }
        query.sql = "SELECT id FROM (" + query.sql + ") " + orderBy(filter.order, "id");
    }
    if (paged) {
        query.sql += " LIMIT ? OFFSET ?";
        query.params.emplace_back(limit);
        query.params.emplace_back(offset);
    }
    return query;
}

} // namespace stagecast::store
