#pragma once
/// The stateless text rules: keyword and phrase lists, regular expressions, personal data
/// and links, each with an action (Verdict.h). Built once from a RulesSpec (the app fills it
/// from the [moderation] config section and the data folder's word-list file); a bad entry
/// (a regular expression that does not compile, an unknown action) is reported by name in
/// `problems` and the rest loads.
///
/// check() takes a message as typed (any bytes, invalid UTF-8 included), normalises it
/// (Normalize.h) and runs every rule; the repeat and rate rules need per-viewer state and live
/// in ViewerLimits.h. Messages longer than `maxInputBytes` are checked on their first
/// `maxInputBytes` only (the service refuses longer ones before they get here).
///
/// Immutable after build(); check() is thread-safe.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "moderation/PatternRule.h"
#include "moderation/Verdict.h"
#include "moderation/WordList.h"

namespace stagecast::moderation {

struct WordListSpec {
    std::string name; // the label: "word:NAME"
    Action action = Action::Hold;
    std::vector<std::string> words;
};

struct PatternSpec {
    std::string name; // the label: "pattern:NAME"
    Action action = Action::Hold;
    std::string regex;
};

struct RulesSpec {
    std::vector<WordListSpec> wordLists;
    std::vector<PatternSpec> patterns;
    std::optional<Action> personalData = Action::Hold; // nullopt: rule off
    std::optional<Action> links = Action::Hold;        // nullopt: rule off
    PatternLimits patternLimits;
    std::size_t maxInputBytes = 16 * 1024;
};

class TextRules {
public:
    struct Built;

    /// Every rule that could be built; a bad one is left out and named in Built::problems.
    static Built build(const RulesSpec& spec);

    /// Rules over the normalised form of `message`.
    Verdict check(std::string_view message) const;
    /// Rules over text that is already normalised (normalizeText output).
    Verdict checkNormalized(std::string_view normalized) const;

    std::size_t wordListCount() const { return wordLists_.size(); }
    std::size_t patternCount() const { return patterns_.size(); }

private:
    std::vector<WordList> wordLists_;
    std::vector<PatternRule> patterns_;
    std::optional<Action> personalData_;
    std::optional<Action> links_;
    std::size_t maxInputBytes_ = 16 * 1024;
};

struct TextRules::Built {
    TextRules rules;
    std::vector<std::string> problems; // "pattern 'x': bad regular expression at offset 3: ..."
};

} // namespace stagecast::moderation
