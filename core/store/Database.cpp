#include "store/Database.h"

#include <sqlite3.h>

#include <ctime>
#include <system_error>

#include "store/Migrations.h"

namespace stagecast::store {

namespace fs = std::filesystem;

namespace {

// The file itself is bad (moving it aside helps), as opposed to busy, read-only, missing
// permissions or out of memory (moving it aside would lose a good database).
bool meansUnusableFile(int extendedCode) {
    int primary = extendedCode & 0xff;
    return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT;
}

struct Check {
    bool usable = true;
    std::string problem;
};

// quick_check: O(N) like integrity_check but skips index-content cross-checks; seconds at
// most for the sizes a desktop store reaches.
base::Result<Check> checkIntegrity(Connection& connection) {
    auto stmt = connection.prepare("PRAGMA quick_check(5)");
    if (!stmt) {
        if (meansUnusableFile(connection.lastErrorCode())) {
            return Check{false, sqlite3_errstr(connection.lastErrorCode())};
        }
        return base::fail(stmt.error());
    }
    std::string findings;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            if (meansUnusableFile(connection.lastErrorCode())) {
                return Check{false, sqlite3_errstr(connection.lastErrorCode())};
            }
            return base::fail(row.error());
        }
        if (!*row) {
            break;
        }
        std::string line = stmt->text(0);
        if (line == "ok") {
            return Check{};
        }
        findings += findings.empty() ? line : "; " + line;
    }
    return Check{false, findings.empty() ? std::string("quick_check gave no answer") : findings};
}

std::string timestampForName() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
    return text;
}

fs::path withSuffix(const fs::path& path, const std::string& suffix) {
    fs::path result = path;
    result += suffix;
    return result;
}

// Renames the database (and its WAL, which belongs to it) out of the way; the shared-memory
// index is rebuilt from the WAL and is simply removed.
base::Result<fs::path> moveAside(const fs::path& path) {
    std::string base = ".corrupt-" + timestampForName();
    fs::path target = withSuffix(path, base);
    for (int n = 2; fs::exists(target); ++n) {
        target = withSuffix(path, base + "-" + std::to_string(n));
    }
    std::error_code error;
    fs::rename(path, target, error);
    if (error) {
        return base::fail("cannot move unusable database " + path.string() + " aside to " +
                          target.string() + ": " + error.message());
    }
    fs::path wal = withSuffix(path, "-wal");
    if (fs::exists(wal)) {
        fs::rename(wal, withSuffix(target, "-wal"), error);
        if (error) {
            return base::fail("cannot move " + wal.string() + " aside: " + error.message());
        }
    }
    fs::remove(withSuffix(path, "-shm"), error);
    return target;
}

base::Status configure(Connection& connection) {
    auto mode = connection.queryText("PRAGMA journal_mode=WAL");
    if (!mode) {
        return base::fail(mode.error());
    }
    if (*mode != "wal") {
        return base::fail("cannot switch " + connection.path().string() +
                          " to WAL (journal mode stays " + *mode +
                          "): the data folder must be on a local disk");
    }
    if (auto set = connection.exec("PRAGMA foreign_keys=ON"); !set) {
        return set;
    }
    // NORMAL in WAL mode: a commit survives a crash of the process, and the database stays
    // consistent after a power cut (it may lose the last commits). Decisions and audit
    // entries get FULL on their own commits (StoreWriter).
    return connection.exec("PRAGMA synchronous=NORMAL");
}

base::Result<Connection> openChecked(const DatabaseOptions& options, OpenReport& report) {
    auto connection = Connection::open(options.path, OpenMode::ReadWriteCreate);
    if (!connection) {
        return base::fail(connection.error());
    }
    if (auto set = connection->setBusyTimeout(options.busyTimeout); !set) {
        return base::fail(set.error());
    }
    auto check = checkIntegrity(*connection);
    if (!check) {
        return base::fail(check.error().withContext("checking database " + options.path.string()));
    }
    if (check->usable) {
        return connection;
    }
    report.problem = check->problem;
    // Close before renaming so no handle keeps the old inode or recreates its WAL.
    { Connection closing = std::move(*connection); }
    auto moved = moveAside(options.path);
    if (!moved) {
        return base::fail(moved.error());
    }
    report.movedAsideTo = *moved;
    report.created = true;
    auto fresh = Connection::open(options.path, OpenMode::ReadWriteCreate);
    if (!fresh) {
        return base::fail(fresh.error());
    }
    if (auto set = fresh->setBusyTimeout(options.busyTimeout); !set) {
        return base::fail(set.error());
    }
    return fresh;
}

} // namespace

std::string OpenReport::summary() const {
    std::string text = "database " + path.string();
    if (movedAsideTo) {
        return text + " was not usable (" + problem + "); moved aside to " +
               movedAsideTo->string() + " and a new one created at schema version " +
               std::to_string(schemaAfter);
    }
    if (created || schemaBefore == 0) {
        return text + " created at schema version " + std::to_string(schemaAfter);
    }
    if (schemaBefore != schemaAfter) {
        return text + " upgraded from schema version " + std::to_string(schemaBefore) + " to " +
               std::to_string(schemaAfter);
    }
    return text + " opened at schema version " + std::to_string(schemaAfter);
}

base::Result<Database> Database::open(const DatabaseOptions& options) {
    OpenReport report;
    report.path = options.path;
    std::error_code error;
    auto status = fs::status(options.path, error);
    if (fs::exists(status) && !fs::is_regular_file(status)) {
        return base::fail("database " + options.path.string() + " is not a regular file");
    }
    report.created = !fs::exists(status);
    auto connection = openChecked(options, report);
    if (!connection) {
        return base::fail(connection.error());
    }
    // Before any pragma that writes: a newer database is left exactly as it was.
    if (auto supported = checkNotNewer(*connection); !supported) {
        return base::fail(supported.error());
    }
    if (auto configured = configure(*connection); !configured) {
        return base::fail(configured.error().withContext("database " + options.path.string()));
    }
    auto now = toStoreTime(std::chrono::system_clock::now());
    auto migrated = migrate(*connection, now);
    if (!migrated) {
        return base::fail(migrated.error());
    }
    report.schemaBefore = migrated->from;
    report.schemaAfter = migrated->to;
    return Database(std::move(*connection), std::move(report), options);
}

} // namespace stagecast::store
