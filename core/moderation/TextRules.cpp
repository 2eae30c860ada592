#include "moderation/TextRules.h"

#include "moderation/Links.h"
#include "moderation/Normalize.h"
#include "moderation/PersonalData.h"

namespace stagecast::moderation {

TextRules::Built TextRules::build(const RulesSpec& spec) {
    Built built;
    auto& rules = built.rules;
    rules.personalData_ = spec.personalData;
    rules.links_ = spec.links;
    rules.maxInputBytes_ = spec.maxInputBytes;
    for (const auto& list : spec.wordLists) {
        WordList words(list.name, list.action, list.words);
        if (words.size() == 0) {
            built.problems.push_back("word list '" + list.name + "' has no words: left out");
            continue;
        }
        rules.wordLists_.push_back(std::move(words));
    }
    for (const auto& pattern : spec.patterns) {
        auto compiled =
            PatternRule::compile(pattern.name, pattern.action, pattern.regex, spec.patternLimits);
        if (!compiled) {
            built.problems.push_back(compiled.error().message() + ": left out");
            continue;
        }
        rules.patterns_.push_back(std::move(*compiled));
    }
    return built;
}

Verdict TextRules::check(std::string_view message) const {
    return checkNormalized(normalizeText(message.substr(0, maxInputBytes_)));
}

Verdict TextRules::checkNormalized(std::string_view normalized) const {
    Verdict verdict;
    for (const auto& list : wordLists_) {
        list.match(normalized, verdict);
    }
    for (const auto& pattern : patterns_) {
        pattern.match(normalized, verdict);
    }
    if (personalData_) {
        for (const auto& found : findPersonalData(normalized)) {
            verdict.add({RuleKind::PersonalData, toString(found.type), *personalData_,
                         maskMiddle(found.text)});
        }
    }
    if (links_) {
        for (const auto& link : findLinks(normalized)) {
            verdict.add({RuleKind::Link, "link", *links_, excerptOf(link)});
        }
    }
    return verdict;
}

} // namespace stagecast::moderation
