#include "store/Csv.h"

namespace stagecast::store {

void appendCsvField(std::string& out, std::string_view field, CsvText kind) {
    // OWASP "CSV injection": these first characters start a formula in common spreadsheets.
    bool defuse = kind == CsvText::Untrusted && !field.empty() &&
                  std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos;
    bool quote = defuse || field.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) {
        out += field;
        return;
    }
    out += '"';
    if (defuse) {
        out += '\'';
    }
    for (char c : field) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    out += '"';
}

} // namespace stagecast::store
