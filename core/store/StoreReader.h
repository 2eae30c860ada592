#pragma once
/// A read-only connection for queries, with its own prepared statements.
///
/// Every thread that reads (GUI models, the HTTP API, exports) opens its own; in WAL mode they
/// never wait for the writer, and each query sees the last committed state. Repository read
/// functions take a StoreReader&. Threads: one thread at a time; movable between uses.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "base/Result.h"
#include "store/Connection.h"
#include "store/StatementCache.h"

namespace stagecast::store {

class StoreReader {
public:
    /// The database must exist and be migrated (Database::open() first).
    static base::Result<StoreReader>
    open(const std::filesystem::path& path,
         std::chrono::milliseconds busyTimeout = std::chrono::milliseconds{5000});

    StoreReader(StoreReader&&) noexcept = default;
    StoreReader& operator=(StoreReader&&) noexcept = default;

    base::Result<CachedStatement> statement(std::string_view sql) {
        return statements_.get(connection_, sql);
    }
    Connection& connection() { return connection_; }

    /// Row id of "APP/STREAM", or nullopt if it was never seen.
    base::Result<std::optional<std::int64_t>> streamId(std::string_view streamKey);

private:
    explicit StoreReader(Connection connection) : connection_(std::move(connection)) {}

    Connection connection_;
    StatementCache statements_; // after the connection: destroyed first
};

} // namespace stagecast::store
