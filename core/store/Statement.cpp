#include "store/Statement.h"

#include <sqlite3.h>

#include <utility>

namespace stagecast::store {

Statement::Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), bindError_(std::move(other.bindError_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
        bindError_ = std::move(other.bindError_);
    }
    return *this;
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

namespace {

std::string describeBind(sqlite3_stmt* stmt, int index, int rc) {
    return "binding parameter " + std::to_string(index) + " of \"" + sqlite3_sql(stmt) +
           "\" failed: " + sqlite3_errstr(rc);
}

} // namespace

void Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK && !bindError_) {
        bindError_ = describeBind(stmt_, index, rc);
    }
}

void Statement::bind(int index, double value) {
    int rc = sqlite3_bind_double(stmt_, index, value);
    if (rc != SQLITE_OK && !bindError_) {
        bindError_ = describeBind(stmt_, index, rc);
    }
}

void Statement::bind(int index, std::string_view text) {
    // A null data pointer would bind SQL NULL; an empty string must stay ''.
    static const char empty = '\0';
    const char* data = text.data() != nullptr ? text.data() : &empty;
    int rc = sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK && !bindError_) {
        bindError_ = describeBind(stmt_, index, rc);
    }
}

void Statement::bind(int index, std::nullptr_t) {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK && !bindError_) {
        bindError_ = describeBind(stmt_, index, rc);
    }
}

base::Error Statement::stepError(int rc) const {
    sqlite3* db = sqlite3_db_handle(stmt_);
    // sqlite3_errmsg carries the detail ("UNIQUE constraint failed: streams.app"); errstr
    // is the fallback when the connection's message belongs to another call.
    const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return base::Error(std::string("\"") + sqlite3_sql(stmt_) + "\" failed: " + detail);
}

base::Result<bool> Statement::step() {
    if (bindError_) {
        return base::fail(*bindError_);
    }
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return base::fail(stepError(rc));
}

base::Status Statement::run() {
    auto row = step();
    if (!row) {
        return base::fail(row.error());
    }
    return {};
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bindError_.reset();
}

int Statement::columnCount() const {
    return sqlite3_column_count(stmt_);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
    const unsigned char* data = sqlite3_column_text(stmt_, column);
    if (data == nullptr) {
        return {};
    }
    auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
    return std::string(reinterpret_cast<const char*>(data), size);
}

std::optional<std::int64_t> Statement::optionalInt64(int column) const {
    if (isNull(column)) {
        return std::nullopt;
    }
    return int64(column);
}

std::optional<double> Statement::optionalReal(int column) const {
    if (isNull(column)) {
        return std::nullopt;
    }
    return real(column);
}

std::string_view Statement::sql() const {
    const char* sql = sqlite3_sql(stmt_);
    return sql != nullptr ? std::string_view(sql) : std::string_view();
}

} // namespace stagecast::store
