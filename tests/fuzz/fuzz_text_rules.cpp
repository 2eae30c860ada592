// Reads the input as a viewer's message (any bytes, invalid UTF-8 included) through the text
// rules with every rule family on, and as a word-list file. Nothing may crash or hang (PCRE2
// runs under match limits), a verdict's excerpts stay short, and a rule that matched has a
// label.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "moderation/TextRules.h"
#include "moderation/WordListFile.h"

namespace mod = stagecast::moderation;

namespace {

const mod::TextRules& rules() {
    static const mod::TextRules built = [] {
        mod::RulesSpec spec;
        spec.wordLists.push_back(
            {"banned", mod::Action::Reject, {"坏话", "buy followers", "spam"}});
        spec.wordLists.push_back({"watch", mod::Action::Label, {"competitor"}});
        spec.patterns.push_back({"code", mod::Action::Hold, "(?i)promo[- ]?code\\s*\\w+"});
        spec.patterns.push_back({"backtrack", mod::Action::Label, "(a+)+$"});
        return mod::TextRules::build(spec).rules;
    }();
    return built;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto verdict = rules().check(text);
    if (verdict.clean() == verdict.action().has_value()) {
        __builtin_trap();
    }
    for (const auto& match : verdict.matches()) {
        if (match.label().empty() || match.excerpt.size() > 256) {
            __builtin_trap();
        }
    }
    const auto parsed = mod::parseWordListFile(text, "fuzz.txt");
    for (const auto& list : parsed.lists) {
        if (list.name.empty()) {
            __builtin_trap();
        }
    }
    return 0;
}
