#include "store/Audit.h"

#include "store/StoreReader.h"
#include "store/WriteContext.h"

namespace stagecast::store {

base::Result<std::int64_t> Audit::append(WriteContext& context, const AuditEntry& entry) {
    auto insert = context.statement(
        "INSERT INTO audit_log(at, actor, action, target, details) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!insert) {
        return base::fail(insert.error());
    }
    (*insert)->bindAll(entry.at, entry.actor, entry.action, entry.target, entry.details);
    if (auto ran = (*insert)->run(); !ran) {
        return base::fail(ran.error().withContext("audit " + entry.action));
    }
    return context.connection().lastInsertRowId();
}

base::Result<std::vector<AuditRecord>> Audit::list(StoreReader& reader, const AuditFilter& filter) {
    // NULL or '' parameters switch a condition off; one statement serves every filter.
    auto select = reader.statement("SELECT id, at, actor, action, target, details FROM audit_log "
                                   "WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2) "
                                   "AND (?3 = '' OR actor = ?3) AND (?4 = '' OR action = ?4) "
                                   "ORDER BY at DESC, id DESC LIMIT ?5 OFFSET ?6");
    if (!select) {
        return base::fail(select.error());
    }
    (*select)->bindAll(filter.from, filter.to, filter.actor, filter.action,
                       static_cast<std::int64_t>(filter.limit),
                       static_cast<std::int64_t>(filter.offset));
    std::vector<AuditRecord> records;
    auto done = forEachRow(**select, [&](const Statement& row) {
        AuditRecord r;
        r.id = row.int64(0);
        r.entry.at = row.time(1);
        r.entry.actor = row.text(2);
        r.entry.action = row.text(3);
        r.entry.target = row.text(4);
        r.entry.details = row.text(5);
        records.push_back(std::move(r));
    });
    if (!done) {
        return base::fail(done.error());
    }
    return records;
}

} // namespace stagecast::store
