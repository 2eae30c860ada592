#pragma once
/// Opening the store's one SQLite file: integrity check, pragmas, migrations.
///
/// open() runs `PRAGMA quick_check` first. A file that is not SQLite or is corrupt is never
/// overwritten: it is renamed to NAME.corrupt-YYYYmmdd-HHMMSS (with its -wal), a fresh
/// database is created, and the report says so for the app to log. A database that is busy
/// or unreadable for other reasons (permissions) is an error instead: moving it would not
/// help. Then WAL, foreign_keys=ON, synchronous=NORMAL, busy_timeout, and migrations.
///
/// Threads: Database is the writer's connection; hand it to StoreWriter (or use it from one
/// thread in tests). Readers call openReader() from anywhere, each for its own thread.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "base/Result.h"
#include "store/Connection.h"
#include "store/StoreReader.h"

namespace stagecast::store {

struct DatabaseOptions {
    std::filesystem::path path;
    std::chrono::milliseconds busyTimeout{5000};
};

/// What open() found and did.
struct OpenReport {
    std::filesystem::path path;
    bool created = false; // no usable file was there: a new database was made
    std::optional<std::filesystem::path> movedAsideTo; // the unusable file's new name
    std::string problem;                               // why it was unusable, in SQLite's words
    int schemaBefore = 0;                              // 0: empty
    int schemaAfter = 0;

    /// One line for the log, e.g. "database /d/stagecast.db was not usable (file is not a
    /// database); moved aside to /d/stagecast.db.corrupt-20261124-031546 and a new one created".
    std::string summary() const;
    /// True when the operator should be told (a file was moved aside).
    bool needsAttention() const { return movedAsideTo.has_value(); }
};

class Database {
public:
    static base::Result<Database> open(const DatabaseOptions& options);

    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;

    Connection& connection() { return connection_; }
    const OpenReport& report() const { return report_; }
    const std::filesystem::path& path() const { return options_.path; }
    base::Result<StoreReader> openReader() const {
        return StoreReader::open(options_.path, options_.busyTimeout);
    }

private:
    Database(Connection connection, OpenReport report, DatabaseOptions options)
        : connection_(std::move(connection)), report_(std::move(report)),
          options_(std::move(options)) {}

    Connection connection_;
    OpenReport report_;
    DatabaseOptions options_;
};

} // namespace stagecast::store
