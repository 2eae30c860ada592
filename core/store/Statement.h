#pragma once
/// Owning handle for one prepared statement (sqlite3_stmt).
///
/// Move-only; finalized on destruction. Made only by Connection::prepare(). Bind errors are
/// kept and reported by the next step(), so a sequence of bind() calls needs no checks.
/// Threads: used by the thread that uses its connection.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"
#include "store/Time.h"

struct sqlite3_stmt;

namespace stagecast::store {

class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    /// Parameters are 1-based, as in SQL (`?1`).
    void bind(int index, std::int64_t value);
    void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
    void bind(int index, double value);
    /// The text is copied (SQLITE_TRANSIENT): the caller's buffer may go away.
    void bind(int index, std::string_view text);
    void bind(int index, const char* text) { bind(index, std::string_view(text)); }
    void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
    void bind(int index, std::nullptr_t);
    void bind(int index, Time time) { bind(index, toUnixMs(time)); }
    template <typename T>
    void bind(int index, const std::optional<T>& value) {
        if (value) {
            bind(index, *value);
        } else {
            bind(index, nullptr);
        }
    }
    /// Binds the arguments to ?1, ?2, ... in order.
    template <typename... Args>
    void bindAll(const Args&... args) {
        int index = 1;
        (bind(index++, args), ...);
    }

    /// true: a row is ready to read; false: the statement has finished.
    base::Result<bool> step();
    /// Steps a statement that returns no rows (INSERT/UPDATE/DELETE) to completion.
    base::Status run();
    /// Ready to run again with new parameters (bindings cleared).
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::int64_t> optionalInt64(int column) const;
    std::optional<double> optionalReal(int column) const;
    Time time(int column) const { return fromUnixMs(int64(column)); }

    /// The SQL this statement was prepared from.
    std::string_view sql() const;

private:
    friend class Connection;
    explicit Statement(sqlite3_stmt* stmt);
    base::Error stepError(int rc) const;

    sqlite3_stmt* stmt_ = nullptr;
    std::optional<std::string> bindError_;
};

/// Steps `stmt` to its end, calling `onRow(stmt)` for each row.
template <typename OnRow>
base::Status forEachRow(Statement& stmt, OnRow&& onRow) {
    for (;;) {
        auto row = stmt.step();
        if (!row) {
            return base::fail(row.error());
        }
        if (!*row) {
            return {};
        }
        onRow(stmt);
    }
}

/// A cached statement lent for one use: reset (bindings cleared) when the lease ends, so the
/// next borrower starts clean. Move-only; must not outlive the cache it came from.
class CachedStatement {
public:
    explicit CachedStatement(Statement& statement) : statement_(&statement) {}
    CachedStatement(CachedStatement&& other) noexcept : statement_(other.statement_) {
        other.statement_ = nullptr;
    }
    CachedStatement& operator=(CachedStatement&&) = delete;
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;
    ~CachedStatement() {
        if (statement_ != nullptr) {
            statement_->reset();
        }
    }

    Statement* operator->() const { return statement_; }
    Statement& operator*() const { return *statement_; }

private:
    Statement* statement_;
};

} // namespace stagecast::store
