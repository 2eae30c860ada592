#pragma once
/// Owning handle for one SQLite connection (sqlite3*).
///
/// Move-only; closed on destruction (statements prepared from it must be destroyed first).
/// Threads: one thread at a time. The store gives the writer thread one read-write connection
/// and every reader its own read-only one (WAL lets them run side by side).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/Result.h"
#include "store/Statement.h"

struct sqlite3;

namespace stagecast::store {

enum class OpenMode : std::uint8_t {
    ReadWriteCreate = 1, // the writer: creates the file if missing
    ReadOnly,            // readers: never write, never create
};

class Connection {
public:
    /// Opens `path` (no URI interpretation). Errors name the path and SQLite's reason.
    static base::Result<Connection> open(const std::filesystem::path& path, OpenMode mode);

    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    /// Runs SQL with no parameters and ignores result rows (pragmas, DDL, BEGIN/COMMIT).
    base::Status exec(std::string_view sql);
    /// Compiles one statement. `persistent` hints that it will be reused many times.
    base::Result<Statement> prepare(std::string_view sql, bool persistent = false);
    /// First column of the first row (e.g. a pragma's answer); an error if there is no row.
    base::Result<std::int64_t> queryInt64(std::string_view sql);
    base::Result<std::string> queryText(std::string_view sql);

    base::Status setBusyTimeout(std::chrono::milliseconds timeout);
    std::int64_t lastInsertRowId() const;
    /// Rows changed by the most recent INSERT/UPDATE/DELETE.
    std::int64_t changes() const;
    /// false in autocommit mode; SQLite may also end a transaction itself after an I/O error.
    bool inTransaction() const;
    const std::filesystem::path& path() const { return path_; }
    /// SQLite's extended result code of the last failed call on this connection; lets the
    /// store tell "not a database"/"corrupt" from "busy" or "permission denied".
    int lastErrorCode() const;

private:
    Connection(sqlite3* db, std::filesystem::path path);

    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
};

} // namespace stagecast::store
