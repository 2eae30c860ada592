#include "store/Migrations.h"

#include <string>

#include "store/SchemaV1.h"
#include "store/SchemaV2.h"
#include "store/Transaction.h"

namespace stagecast::store {

namespace {

// Append new steps at the end; never edit a step that has shipped.
constexpr Migration kMigrations[] = {
    {1, "streams, sessions, health, alerts, moderation, recordings, audit", kSchemaV1},
    {2, "moderation upvotes, one per viewer and item", kSchemaV2},
};

base::Result<bool> hasTable(Connection& connection, std::string_view table) {
    auto stmt =
        connection.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    if (!stmt) {
        return base::fail(stmt.error());
    }
    stmt->bind(1, table);
    auto row = stmt->step();
    if (!row) {
        return base::fail(row.error());
    }
    return stmt->int64(0) > 0;
}

base::Status checkSteps(std::span<const Migration> steps) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].version != static_cast<int>(i) + 1) {
            return base::fail("migration list out of order: step " + std::to_string(i + 1) +
                              " has version " + std::to_string(steps[i].version));
        }
    }
    return {};
}

// Creates schema_version in an empty database; refuses someone else's database.
base::Status bootstrap(Connection& connection) {
    auto transaction = Transaction::begin(connection);
    if (!transaction) {
        return base::fail(transaction.error());
    }
    auto has = hasTable(connection, "schema_version");
    if (!has) {
        return base::fail(has.error());
    }
    if (*has) {
        return {};
    }
    auto objects = connection.queryInt64(
        "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
    if (!objects) {
        return base::fail(objects.error());
    }
    if (*objects > 0) {
        return base::fail("database " + connection.path().string() +
                          " is not a Stagecast database (it has tables but no schema_version): "
                          "use another data folder");
    }
    if (auto created = connection.exec(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT "
            "NULL, description TEXT NOT NULL)");
        !created) {
        return created;
    }
    return transaction->commit();
}

base::Error tooNew(const Connection& connection, int found, int known) {
    return base::Error("database " + connection.path().string() + " has schema version " +
                       std::to_string(found) + "; this Stagecast knows up to " +
                       std::to_string(known) + ": upgrade Stagecast or use another data folder");
}

} // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}

int knownSchemaVersion() {
    return migrations().back().version;
}

base::Result<int> schemaVersion(Connection& connection) {
    auto has = hasTable(connection, "schema_version");
    if (!has) {
        return base::fail(has.error());
    }
    if (!*has) {
        return 0;
    }
    auto version = connection.queryInt64("SELECT ifnull(max(version), 0) FROM schema_version");
    if (!version) {
        return base::fail(version.error());
    }
    return static_cast<int>(*version);
}

base::Status checkNotNewer(Connection& connection, std::span<const Migration> steps) {
    int known = steps.empty() ? 0 : steps.back().version;
    auto version = schemaVersion(connection);
    if (!version) {
        return base::fail(version.error());
    }
    if (*version > known) {
        return base::fail(tooNew(connection, *version, known));
    }
    return {};
}

base::Result<MigrationOutcome> migrate(Connection& connection, Time now,
                                       std::span<const Migration> steps) {
    if (auto ok = checkSteps(steps); !ok) {
        return base::fail(ok.error());
    }
    if (auto ok = bootstrap(connection); !ok) {
        return base::fail(ok.error());
    }
    int known = steps.empty() ? 0 : steps.back().version;
    auto before = schemaVersion(connection);
    if (!before) {
        return base::fail(before.error());
    }
    if (*before > known) {
        return base::fail(tooNew(connection, *before, known));
    }
    MigrationOutcome outcome{*before, *before};
    for (const Migration& step : steps) {
        if (step.version <= outcome.to) {
            continue;
        }
        auto transaction = Transaction::begin(connection);
        if (!transaction) {
            return base::fail(transaction.error());
        }
        // Another process may have migrated between our read and our lock.
        auto current = schemaVersion(connection);
        if (!current) {
            return base::fail(current.error());
        }
        if (*current >= step.version) {
            outcome.to = *current;
            continue;
        }
        std::string context = "migration to schema version " + std::to_string(step.version) + " (" +
                              std::string(step.description) + ") failed";
        if (auto ran = connection.exec(step.sql); !ran) {
            return base::fail(ran.error().withContext(context));
        }
        auto record = connection.prepare(
            "INSERT INTO schema_version(version, applied_at, description) VALUES(?1, ?2, ?3)");
        if (!record) {
            return base::fail(record.error().withContext(context));
        }
        record->bindAll(step.version, now, step.description);
        if (auto ran = record->run(); !ran) {
            return base::fail(ran.error().withContext(context));
        }
        if (auto committed = transaction->commit(); !committed) {
            return base::fail(committed.error().withContext(context));
        }
        outcome.to = step.version;
    }
    return outcome;
}

} // namespace stagecast::store
