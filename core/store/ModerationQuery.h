#pragma once
/// Turns a ModerationFilter into SQL; shared by the list, count and CSV export so the three
/// always agree. Internal to core/store.
///
/// Queue order is arrival order (id). Pages are found on indexes alone, as ids, and only then
/// joined to the rows ("deferred join"): sorting whole rows (with their text) for a page of 50
/// cost tens of ms at 1M items. With several states, each state is its own LIMITed branch on
/// its index and the branches are merged, instead of sorting every matching row.
///
/// Text search: 3 or more characters go through the FTS5 trigram index (substring match, any
/// script); shorter text, which trigrams cannot index, falls back to LIKE over the rows the
/// other filters leave.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/Result.h"
#include "store/Moderation.h"
#include "store/Statement.h"

namespace stagecast::store {

struct SqlQuery {
    std::string sql;
    std::vector<std::variant<std::int64_t, std::string>> params;

    /// Binds the parameters to ?1, ?2, ... ; returns the next free index.
    int bind(Statement& statement) const;
};

/// "WHERE ..." (or "") over alias `i` for every filter field. A stream the store has never
/// seen matches nothing (ids start at 1; it binds 0).
base::Result<SqlQuery> buildWhere(StoreReader& reader, const ModerationFilter& filter);

/// A query returning one column `id` in the filter's order; with `paged`, only the filter's
/// page (limit, offset).
base::Result<SqlQuery> selectIds(StoreReader& reader, const ModerationFilter& filter, bool paged);

/// "ORDER BY <column> DESC" (or ASC).
std::string orderBy(SortOrder order, const char* column);

/// FTS5 query for a literal substring: one quoted phrase, quotes doubled.
std::string ftsPhrase(std::string_view text);
/// LIKE pattern for a literal substring with '\' as the escape character.
std::string likeContains(std::string_view text);

} // namespace stagecast::store
