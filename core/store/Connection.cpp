#include "store/Connection.h"

#include <sqlite3.h>

#include <limits>
#include <utility>

namespace stagecast::store {

Connection::Connection(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

Connection::~Connection() {
    // close_v2 defers the close if a statement is still alive instead of leaking the handle.
    sqlite3_close_v2(db_);
}

base::Result<Connection> Connection::open(const std::filesystem::path& path, OpenMode mode) {
    int flags = SQLITE_OPEN_NOMUTEX; // one thread per connection: no per-call mutex needed
    flags |= mode == OpenMode::ReadOnly ? SQLITE_OPEN_READONLY
                                        : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.string().c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        sqlite3_close_v2(db);
        return base::fail("cannot open database " + path.string() + ": " + reason);
    }
    sqlite3_extended_result_codes(db, 1);
    return Connection(db, path);
}

base::Status Connection::exec(std::string_view sql) {
    // sqlite3_exec needs a terminated string; SQL text is short next to the work it does.
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string reason = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        std::string shown = text.size() > 80 ? text.substr(0, 77) + "..." : text;
        return base::fail("\"" + shown + "\" failed: " + reason);
    }
    return {};
}

base::Result<Statement> Connection::prepare(std::string_view sql, bool persistent) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return base::fail("SQL text too long");
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, &tail);
    if (rc != SQLITE_OK) {
        return base::fail("cannot prepare \"" + std::string(sql) + "\": " + sqlite3_errmsg(db_));
    }
    if (stmt == nullptr) {
        return base::fail("cannot prepare \"" + std::string(sql) + "\": no statement in it");
    }
    return Statement(stmt);
}

base::Result<std::int64_t> Connection::queryInt64(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) {
        return base::fail(stmt.error());
    }
    auto row = stmt->step();
    if (!row) {
        return base::fail(row.error());
    }
    if (!*row) {
        return base::fail("\"" + std::string(sql) + "\" returned no row");
    }
    return stmt->int64(0);
}

base::Result<std::string> Connection::queryText(std::string_view sql) {
    auto stmt = prepare(sql);
    if (!stmt) {
        return base::fail(stmt.error());
    }
    auto row = stmt->step();
    if (!row) {
        return base::fail(row.error());
    }
    if (!*row) {
        return base::fail("\"" + std::string(sql) + "\" returned no row");
    }
    return stmt->text(0);
}

base::Status Connection::setBusyTimeout(std::chrono::milliseconds timeout) {
    auto ms = timeout.count();
    if (ms < 0 || ms > std::numeric_limits<int>::max()) {
        return base::fail("busy timeout " + std::to_string(ms) + " ms out of range 0..2147483647");
    }
    int rc = sqlite3_busy_timeout(db_, static_cast<int>(ms));
    if (rc != SQLITE_OK) {
        return base::fail(std::string("setting the busy timeout failed: ") + sqlite3_errstr(rc));
    }
    return {};
}

std::int64_t Connection::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(db_);
}

std::int64_t Connection::changes() const {
    return sqlite3_changes64(db_);
}

int Connection::lastErrorCode() const {
    return sqlite3_extended_errcode(db_);
}

bool Connection::inTransaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

} // namespace stagecast::store
