#pragma once
/// The WHERE clause both session tables share (stream, start-time range, open only).
/// Internal to core/store.

#include <cstdint>
#include <string>
#include <vector>

#include "base/Result.h"
#include "store/PublishSessions.h"
#include "store/Statement.h"

namespace stagecast::store {

struct SessionWhere {
    std::string sql; // "" or "WHERE ..." over alias `t`
    std::vector<std::int64_t> params;

    /// Binds ?1.. then limit and offset; returns nothing (errors surface at step()).
    void bind(Statement& statement, const SessionFilter& filter) const;
};

base::Result<SessionWhere> buildSessionWhere(StoreReader& reader, const SessionFilter& filter);

/// "APP/STREAM" from the joined streams row `s`.
inline constexpr const char* kStreamKeySql =
    "CASE WHEN s.app = '' THEN s.name ELSE s.app || '/' || s.name END";

} // namespace stagecast::store
