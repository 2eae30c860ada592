#pragma once
/// CSV export of moderation items with their decisions, for review outside Stagecast.
///
/// One record per decision, carrying its item's columns; an item without decisions gives one
/// record with empty decision columns. Items come in the filter's order (limit and offset are
/// ignored: the export is complete), each item's decisions oldest first. Times are UTC ISO
/// 8601 with milliseconds. Threads: the reader's thread; rows are streamed, not held.

#include <cstddef>
#include <ostream>

#include "base/Result.h"
#include "store/Moderation.h"

namespace stagecast::store {

class StoreReader;

struct CsvExportOptions {
    bool byteOrderMark = true; // so spreadsheets read Chinese and other non-ASCII text right
};

class ModerationExport {
public:
    ModerationExport() = delete;

    /// Writes a header record and the records; returns how many records (header excluded).
    static base::Result<std::size_t> writeCsv(StoreReader& reader, const ModerationFilter& filter,
                                              std::ostream& out, CsvExportOptions options = {});
};

} // namespace stagecast::store
