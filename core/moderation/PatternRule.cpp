#include "moderation/PatternRule.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "moderation/WordList.h"

namespace stagecast::moderation {

namespace {

std::string pcreMessage(int code) {
    PCRE2_UCHAR buffer[256];
    int n = pcre2_get_error_message(code, buffer, sizeof buffer);
    if (n < 0) {
        return "PCRE2 error " + std::to_string(code);
    }
    return std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

struct CodeDeleter {
    void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct MatchContextDeleter {
    void operator()(pcre2_match_context* context) const { pcre2_match_context_free(context); }
};
struct MatchDataDeleter {
    void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};

} // namespace

struct PatternRule::Compiled {
    std::unique_ptr<pcre2_code, CodeDeleter> code;
    std::unique_ptr<pcre2_match_context, MatchContextDeleter> context;
};

PatternRule::PatternRule(std::string name, Action action, std::shared_ptr<const Compiled> compiled)
    : name_(std::move(name)), action_(action), compiled_(std::move(compiled)) {}

base::Result<PatternRule> PatternRule::compile(std::string name, Action action,
                                               std::string_view regex, PatternLimits limits) {
    const std::string what = "pattern '" + name + "'";
    if (regex.empty()) {
        return base::fail(what + ": the regular expression is empty");
    }
    int error = 0;
    PCRE2_SIZE offset = 0;
    // UTF: the normalised text is valid UTF-8; UCP: \w, \d and \b know Unicode; CASELESS:
    // case folding is already done, but a pattern may still say [A-Z].
    auto* raw = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(regex.data()), regex.size(),
                              PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &error, &offset, nullptr);
    if (raw == nullptr) {
        return base::fail(what + ": bad regular expression at offset " + std::to_string(offset) +
                          ": " + pcreMessage(error));
    }
    auto compiled = std::make_shared<Compiled>();
    compiled->code.reset(raw);
    compiled->context.reset(pcre2_match_context_create(nullptr));
    if (!compiled->context) {
        return base::fail(what + ": out of memory");
    }
    pcre2_set_match_limit(compiled->context.get(), limits.matchLimit);
    pcre2_set_depth_limit(compiled->context.get(), limits.depthLimit);
    pcre2_set_heap_limit(compiled->context.get(), limits.heapLimitKiB);
    return PatternRule(std::move(name), action, std::move(compiled));
}

void PatternRule::match(std::string_view normalized, Verdict& verdict) const {
    std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(
        pcre2_match_data_create_from_pattern(compiled_->code.get(), nullptr));
    if (!data) {
        verdict.add({RuleKind::Pattern, name_, action_, "(out of memory)"});
        return;
    }
    // PCRE2 still checks the UTF-8 (cheap next to the match): a caller passing raw bytes
    // gets an error, treated below as a match, never undefined behaviour.
    int rc = pcre2_match(compiled_->code.get(), reinterpret_cast<PCRE2_SPTR>(normalized.data()),
                         normalized.size(), 0, 0, data.get(), compiled_->context.get());
    if (rc == PCRE2_ERROR_NOMATCH) {
        return;
    }
    if (rc < 0) {
        // Match, depth or heap limit (or another failure): treat as a match, see the header.
        verdict.add({RuleKind::Pattern, name_, action_, "(match limit reached)"});
        return;
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
    std::string_view whole;
    if (ovector[0] <= ovector[1] && ovector[1] <= normalized.size()) {
        whole = normalized.substr(ovector[0], ovector[1] - ovector[0]);
    }
    verdict.add({RuleKind::Pattern, name_, action_, excerptOf(whole)});
}

} // namespace stagecast::moderation
