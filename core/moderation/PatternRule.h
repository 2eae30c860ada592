#pragma once
/// An operator's regular expression (PCRE2, UTF + Unicode properties + caseless), matched
/// against the normalised message (Normalize.h), so a pattern is written for lower-case,
/// half-width text: "vx[:：]?\w{5,}" also catches "ＶＸ：ａｂｃｄｅ".
///
/// ReDoS: messages are bounded in length (moderation.max_message_chars) and every match runs
/// under PCRE2 match, depth and heap limits; a match that hits a limit counts as a match of
/// the rule (excerpt "(match limit reached)"), so an input crafted to make a pattern backtrack
/// goes to the rule's action (normally a moderator) instead of through.
///
/// Immutable after compile(); match() is thread-safe (match data is per call).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/Result.h"
#include "moderation/Verdict.h"

namespace stagecast::moderation {

struct PatternLimits {
    std::uint32_t matchLimit = 100'000; // PCRE2 match_limit: backtracking steps
    std::uint32_t depthLimit = 1'000;   // PCRE2 depth_limit: nested backtracking frames
    std::uint32_t heapLimitKiB = 1'024; // PCRE2 heap_limit
};

class PatternRule {
public:
    /// Compiles `regex`; the error names the rule, the offset and PCRE2's words:
    /// "pattern 'spam': bad regular expression at offset 3: missing closing parenthesis".
    static base::Result<PatternRule> compile(std::string name, Action action,
                                             std::string_view regex, PatternLimits limits = {});

    /// Adds a RuleMatch when the pattern matches `normalized`.
    void match(std::string_view normalized, Verdict& verdict) const;

    const std::string& name() const { return name_; }
    Action action() const { return action_; }

private:
    struct Compiled;
    PatternRule(std::string name, Action action, std::shared_ptr<const Compiled> compiled);

    std::string name_;
    Action action_;
    std::shared_ptr<const Compiled> compiled_; // shared: copies of a rule set share the code
};

} // namespace stagecast::moderation
