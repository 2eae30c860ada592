#include "moderation/WordListFile.h"

#include <optional>

namespace stagecast::moderation {

namespace {

std::string_view trim(std::string_view s) {
    constexpr std::string_view kBlank = " \t\r\n\f\v";
    auto begin = s.find_first_not_of(kBlank);
    if (begin == std::string_view::npos) {
        return {};
    }
    auto end = s.find_last_not_of(kBlank);
    return s.substr(begin, end - begin + 1);
}

} // namespace

ParsedWordListFile parseWordListFile(std::string_view text, std::string_view sourceName) {
    ParsedWordListFile out;
    const std::string source(sourceName);
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3); // a byte order mark, as Windows editors write it
    }
    // An index, not a pointer: lists grows.
    std::optional<std::size_t> current;
    bool skipping = false;
    std::size_t lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        auto newline = text.find('\n');
        auto line = trim(text.substr(0, newline));
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (line.front() == '[' && line.back() == ']') {
            auto inner = trim(line.substr(1, line.size() - 2));
            auto space = inner.find_last_of(" \t");
            auto where = source + ":" + std::to_string(lineNumber) + ": ";
            if (space == std::string_view::npos) {
                out.problems.push_back(where + "list header '" + std::string(line) +
                                       "' must be [NAME ACTION] (ACTION: hold, reject or label); "
                                       "its words are left out");
                skipping = true;
                continue;
            }
            auto name = trim(inner.substr(0, space));
            auto actionText = inner.substr(space + 1);
            auto action = parseAction(actionText);
            if (!action || name.empty()) {
                out.problems.push_back(where + "list header '" + std::string(line) + "': '" +
                                       std::string(actionText) +
                                       "' is not hold, reject or label; its words are left out");
                skipping = true;
                continue;
            }
            out.lists.push_back({std::string(name), *action, {}});
            current = out.lists.size() - 1;
            skipping = false;
            continue;
        }
        if (skipping) {
            continue;
        }
        if (!current) {
            out.lists.push_back({"file", Action::Hold, {}});
            current = out.lists.size() - 1;
        }
        out.lists[*current].words.emplace_back(line);
    }
    return out;
}

} // namespace stagecast::moderation
