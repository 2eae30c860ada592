#include "store/StatementCache.h"

namespace stagecast::store {

base::Result<CachedStatement> StatementCache::get(Connection& connection, std::string_view sql) {
    auto found = statements_.find(sql);
    if (found == statements_.end()) {
        auto prepared = connection.prepare(sql, true);
        if (!prepared) {
            return base::fail(prepared.error());
        }
        found = statements_.emplace(std::string(sql), std::move(*prepared)).first;
    }
    return CachedStatement(found->second);
}

} // namespace stagecast::store
