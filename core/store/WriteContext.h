#pragma once
/// What repository writes run against: the writer's connection, its prepared statements and
/// a cache of stream ids.
///
/// StoreWriter owns one on its thread; tests make one over Database::connection() to call
/// repositories directly. Threads: one thread (the connection's).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/Result.h"
#include "store/Connection.h"
#include "store/StatementCache.h"

namespace stagecast::store {

class WriteContext {
public:
    /// `connection` must outlive this context and be read-write.
    explicit WriteContext(Connection& connection) : connection_(&connection) {}
    WriteContext(const WriteContext&) = delete;
    WriteContext& operator=(const WriteContext&) = delete;

    Connection& connection() { return *connection_; }
    base::Result<CachedStatement> statement(std::string_view sql) {
        return statements_.get(*connection_, sql);
    }

    /// Row id in `streams` for "APP/STREAM", inserted on first use and then cached.
    base::Result<std::int64_t> streamId(std::string_view streamKey);
    /// Like streamId(), but an empty key means "no stream" (SQL NULL).
    base::Result<std::optional<std::int64_t>> optionalStreamId(std::string_view streamKey);

    /// A rollback may have removed rows whose ids are cached: forget them all.
    void forgetCachedIds() { streamIds_.clear(); }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };

    Connection* connection_;
    StatementCache statements_;
    std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> streamIds_;
};

} // namespace stagecast::store
