#include "store/Streams.h"

#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

StreamName splitStreamKey(std::string_view key) {
    auto slash = key.find('/');
    if (slash == std::string_view::npos) {
        return {std::string(), std::string(key)};
    }
    return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

base::Result<std::int64_t> Streams::ensure(WriteContext& context, std::string_view key) {
    StreamName name = splitStreamKey(key);
    // RETURNING yields no row when the insert is skipped, hence the second lookup.
    auto insert = context.statement(
        "INSERT INTO streams(app, name) VALUES(?1, ?2) ON CONFLICT(app, name) DO NOTHING "
        "RETURNING id");
    if (!insert) {
        return base::fail(insert.error());
    }
    (*insert)->bindAll(name.app, name.name);
    auto inserted = (*insert)->step();
    if (!inserted) {
        return base::fail(inserted.error().withContext("stream " + std::string(key)));
    }
    if (*inserted) {
        std::int64_t id = (*insert)->int64(0);
        // Finish the statement so the row counts as written before it is reset.
        if (auto done = (*insert)->step(); !done) {
            return base::fail(done.error());
        }
        return id;
    }
    auto select = context.statement("SELECT id FROM streams WHERE app = ?1 AND name = ?2");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bindAll(name.app, name.name);
    auto row = (*select)->step();
    if (!row) {
        return base::fail(row.error());
    }
    if (!*row) {
        return base::fail("stream " + std::string(key) + " vanished while being added");
    }
    return (*select)->int64(0);
}

base::Result<std::optional<std::int64_t>> Streams::find(StoreReader& reader, std::string_view key) {
    StreamName name = splitStreamKey(key);
    auto select = reader.statement("SELECT id FROM streams WHERE app = ?1 AND name = ?2");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bindAll(name.app, name.name);
    auto row = (*select)->step();
    if (!row) {
        return base::fail(row.error());
    }
    if (!*row) {
        return std::optional<std::int64_t>();
    }
    return std::optional<std::int64_t>((*select)->int64(0));
}

base::Result<std::vector<StreamRow>> Streams::list(StoreReader& reader) {
    auto select = reader.statement(
        "SELECT id, CASE WHEN app = '' THEN name ELSE app || '/' || name END FROM streams "
        "ORDER BY app, name");
    if (!select) {
        return base::fail(select.error());
    }
    std::vector<StreamRow> rows;
    for (;;) {
        auto row = (*select)->step();
        if (!row) {
            return base::fail(row.error());
        }
        if (!*row) {
            break;
        }
        rows.push_back({(*select)->int64(0), (*select)->text(1)});
    }
    return rows;
}

} // namespace stagecast::store
