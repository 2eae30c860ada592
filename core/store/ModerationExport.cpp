#include "store/ModerationExport.h"

#include <string>

#include "store/Csv.h"
#include "store/ModerationQuery.h"
#include "store/StoreReader.h"

namespace stagecast::store {

namespace {

// Column order of the SELECT below and of the header; kinds say which fields people typed.
struct Column {
    const char* header;
    CsvText kind;
};

constexpr Column kColumns[] = {
    {"item_id", CsvText::Data},     {"kind", CsvText::Data},        {"stream", CsvText::Untrusted},
    {"author", CsvText::Untrusted}, {"text", CsvText::Untrusted},   {"media_ts_ms", CsvText::Data},
    {"state", CsvText::Data},       {"created_at", CsvText::Data},  {"updated_at", CsvText::Data},
    {"upvotes", CsvText::Data},     {"labels", CsvText::Untrusted}, {"decision_id", CsvText::Data},
    {"from_state", CsvText::Data},  {"to_state", CsvText::Data},    {"actor", CsvText::Untrusted},
    {"reason", CsvText::Untrusted}, {"decided_at", CsvText::Data},
};

constexpr int kColumnCount = static_cast<int>(std::size(kColumns));

std::string isoTime(const char* column) {
    return std::string("strftime('%Y-%m-%dT%H:%M:%fZ', ") + column + " / 1000.0, 'unixepoch')";
}

std::string selectSql() {
    return "SELECT i.id, i.kind, CASE WHEN s.id IS NULL THEN '' WHEN s.app = '' THEN s.name "
           "ELSE s.app || '/' || s.name END, i.author, i.text, i.media_ts_ms, i.state, " +
           isoTime("i.created_at") + ", " + isoTime("i.updated_at") +
           ", i.upvotes, i.labels, d.id, d.from_state, d.to_state, d.actor, d.reason, " +
           isoTime("d.at") +
           " FROM moderation_items i LEFT JOIN streams s ON s.id = i.stream_id "
           "LEFT JOIN moderation_decisions d ON d.item_id = i.id ";
}

} // namespace

base::Result<std::size_t> ModerationExport::writeCsv(StoreReader& reader,
                                                     const ModerationFilter& filter,
                                                     std::ostream& out, CsvExportOptions options) {
    // The export is complete: paging (limit, offset, afterId) does not apply.
    ModerationFilter all = filter;
    all.afterId.reset();
    auto ids = selectIds(reader, all, false);
    if (!ids) {
        return base::fail(ids.error());
    }
    auto select = reader.statement(selectSql() + "WHERE i.id IN (" + ids->sql + ") " +
                                   orderBy(filter.order, "i.id") + ", d.at, d.id");
    if (!select) {
        return base::fail(select.error());
    }
    ids->bind(**select);

    std::string line;
    if (options.byteOrderMark) {
        line += kUtf8Bom;
    }
    for (int c = 0; c < kColumnCount; ++c) {
        if (c > 0) {
            line += ',';
        }
        appendCsvField(line, kColumns[c].header);
    }
    line += "\r\n";
    out << line;

    std::size_t records = 0;
    auto done = forEachRow(**select, [&](const Statement& row) {
        line.clear();
        for (int c = 0; c < kColumnCount; ++c) {
            if (c > 0) {
                line += ',';
            }
            appendCsvField(line, row.text(c), kColumns[c].kind);
        }
        line += "\r\n";
        out << line;
        ++records;
    });
    if (!done) {
        return base::fail(done.error().withContext("exporting moderation items"));
    }
    if (!out) {
        return base::fail("exporting moderation items: writing the CSV failed");
    }
    return records;
}

} // namespace stagecast::store
