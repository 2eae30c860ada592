#pragma once
/// CSV writing as RFC 4180 describes it: fields separated by commas, records ended by CRLF, a
/// field holding a comma, quote, CR or LF enclosed in quotes with its quotes doubled. Text is
/// UTF-8, written as is.

#include <cstdint>
#include <string>
#include <string_view>

namespace stagecast::store {

enum class CsvText : std::uint8_t {
    Data = 1,  // numbers, times, enum names: written as they are
    Untrusted, // text people typed (chat, names): also defused for spreadsheets
};

/// Appends one field (no separator). Untrusted text starting with = + - @ TAB or CR gets a
/// leading apostrophe, so a spreadsheet shows "=HYPERLINK(...)" instead of evaluating it.
void appendCsvField(std::string& out, std::string_view field, CsvText kind = CsvText::Data);

/// The UTF-8 byte order mark; spreadsheet programs need it to read a CSV file as UTF-8.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

} // namespace stagecast::store
