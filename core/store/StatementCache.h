#pragma once
/// Prepared statements kept for reuse, keyed by their SQL text.
///
/// Preparing costs about as much as running a small INSERT, so the writer (tens of thousands
/// of rows per second) and readers prepare each distinct statement once. The cache does not
/// hold its connection: the owner passes it in, so owner and cache can move together.
/// Threads: the thread that uses the connection. Clear it before closing the connection.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/Result.h"
#include "store/Connection.h"
#include "store/Statement.h"

namespace stagecast::store {

class StatementCache {
public:
    /// The statement for `sql`, prepared on first use; reset when the lease ends.
    base::Result<CachedStatement> get(Connection& connection, std::string_view sql);
    void clear() { statements_.clear(); }
    std::size_t size() const { return statements_.size(); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, Statement, Hash, std::equal_to<>> statements_;
};

} // namespace stagecast::store
