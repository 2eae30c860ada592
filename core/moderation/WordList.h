#pragma once
/// A named keyword and phrase list with one action ("banned", hold).
///
/// Entries and messages are compared in normalised form (Normalize.h). An entry containing
/// any CJK character matches as a substring (Chinese is written without spaces); any other
/// entry matches whole words only: the characters around it must not be letters or digits
/// of a space-separated script, so "bad" matches "so bad!" and "这是bad的" but not "badge".
/// Phrases are entries with spaces ("buy followers"); runs of spaces count as one.
///
/// Matching is a scan per entry, O(entries x message length); messages are bounded
/// (moderation.max_message_chars), and a few thousand entries cost well under a millisecond.
/// Immutable after construction; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "moderation/Verdict.h"

namespace stagecast::moderation {

class WordList {
public:
    /// Empty entries (after normalisation) are skipped; duplicates are kept once.
    WordList(std::string name, Action action, const std::vector<std::string>& entries);

    /// Adds one RuleMatch per entry found in `normalized` (the output of normalizeText).
    void match(std::string_view normalized, Verdict& verdict) const;

    const std::string& name() const { return name_; }
    Action action() const { return action_; }
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        std::string text; // normalised
        bool wordStart;   // starts with a word character: must not follow one
        bool wordEnd;     // ends with a word character: must not precede one
    };

    bool found(const Entry& entry, std::string_view normalized) const;

    std::string name_;
    Action action_;
    std::vector<Entry> entries_;
};

/// Cuts `text` to at most `maxBytes` on a UTF-8 boundary (for excerpts).
std::string excerptOf(std::string_view text, std::size_t maxBytes = 64);

} // namespace stagecast::moderation
