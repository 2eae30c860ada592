#pragma once
/// Repository for `audit_log`: who did what to what, and when (operator actions, moderation
/// decisions, configuration changes).
///
/// Append through StoreWriter::submitDurable so an entry is on disk before the action is
/// reported done. Moderation::transition writes its own entry in the same savepoint.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"
#include "store/Time.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

struct AuditEntry {
    Time at;
    std::string actor;   // "operator:alice", "api:token-1", "system"
    std::string action;  // dotted verb: "stream.kick", "moderation.decide", "config.change"
    std::string target;  // what it acted on: "stream:live/cam1", "moderation_item:12"
    std::string details; // free text or JSON
};

struct AuditRecord {
    std::int64_t id = 0;
    AuditEntry entry;
};

struct AuditFilter {
    std::optional<Time> from; // at >= from
    std::optional<Time> to;   // at < to
    std::string actor;        // exact; empty: any
    std::string action;       // exact; empty: any
    std::size_t limit = 100;  // newest first
    std::size_t offset = 0;
};

class Audit {
public:
    Audit() = delete;

    static base::Result<std::int64_t> append(WriteContext& context, const AuditEntry& entry);
    static base::Result<std::vector<AuditRecord>> list(StoreReader& reader,
                                                       const AuditFilter& filter);
};

} // namespace stagecast::store
