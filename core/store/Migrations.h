#pragma once
/// Versioned schema migrations: the ordered list of steps and the runner.
///
/// The current version is MAX(version) in table schema_version, one row per applied step.
/// Each step runs in its own transaction together with its schema_version row, so a failed
/// step leaves the database at the previous version. A database newer than the list stops
/// start-up rather than being touched.

#include <span>
#include <string_view>

#include "base/Result.h"
#include "store/Connection.h"
#include "store/Time.h"

namespace stagecast::store {

struct Migration {
    int version = 0; // 1, 2, 3 ... in order, no gaps
    std::string_view description;
    std::string_view sql; // one or more statements
};

/// Every step this build knows, oldest first. Defined in one place: Migrations.cpp.
std::span<const Migration> migrations();
/// The newest version this build knows (the last step's).
int knownSchemaVersion();

struct MigrationOutcome {
    int from = 0; // 0: the database was empty
    int to = 0;
};

/// Brings the database up to the last of `steps`. Refuses a database with a newer version
/// ("... upgrade Stagecast or use another data folder") and a non-empty database that has no
/// schema_version table (not a Stagecast database).
base::Result<MigrationOutcome> migrate(Connection& connection, Time now,
                                       std::span<const Migration> steps = migrations());

/// Fails with "database X has schema version 7; this Stagecast knows up to 3: ..." when the
/// database is newer than `steps`; writes nothing, so it is safe before any other pragma.
base::Status checkNotNewer(Connection& connection, std::span<const Migration> steps = migrations());

/// MAX(version) from schema_version; 0 if the table is missing or empty.
base::Result<int> schemaVersion(Connection& connection);

} // namespace stagecast::store
