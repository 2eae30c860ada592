#pragma once
/// The word-list file in the data folder (moderation.word_list_file), for lists too long or
/// too sensitive for the configuration file. UTF-8 text:
///
///     # comment lines start with '#'; blank lines are ignored
///     [banned reject]      <- "[NAME ACTION]" starts a list; ACTION: hold, reject or label
///     坏话
///     buy followers        <- one word or phrase per line
///     [watch label]
///     competitor
///
/// Lines before the first header form the list "file" with action hold. A bad header is
/// reported with its line number and its lines are skipped; the rest loads.
/// Pure function; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "moderation/TextRules.h"

namespace stagecast::moderation {

struct ParsedWordListFile {
    std::vector<WordListSpec> lists;
    std::vector<std::string> problems; // "words.txt:4: ..."
};

/// Largest file read (a word list is a few hundred kilobytes at most).
inline constexpr std::size_t kMaxWordListFileBytes = 4 * 1024 * 1024;

ParsedWordListFile parseWordListFile(std::string_view text, std::string_view sourceName);

} // namespace stagecast::moderation
