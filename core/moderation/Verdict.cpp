#include "moderation/Verdict.h"

#include <algorithm>
#include <array>
#include <utility>

namespace stagecast::moderation {

namespace {

constexpr std::array<std::pair<Action, const char*>, 3> kActions{{
    {Action::Label, "label"},
    {Action::Hold, "hold"},
    {Action::Reject, "reject"},
}};

constexpr std::array<std::pair<RuleKind, const char*>, 5> kKinds{{
    {RuleKind::Words, "word"},
    {RuleKind::Pattern, "pattern"},
    {RuleKind::PersonalData, "personal-data"},
    {RuleKind::Link, "link"},
    {RuleKind::Repeat, "repeat"},
}};

} // namespace

const char* toString(Action action) {
    for (const auto& [a, name] : kActions) {
        if (a == action) {
            return name;
        }
    }
    return "unknown";
}

std::optional<Action> parseAction(std::string_view text) {
    for (const auto& [a, name] : kActions) {
        if (text == name) {
            return a;
        }
    }
    return std::nullopt;
}

const char* toString(RuleKind kind) {
    for (const auto& [k, name] : kKinds) {
        if (k == kind) {
            return name;
        }
    }
    return "unknown";
}

std::string RuleMatch::label() const {
    // Links and repeats are one rule each: the family alone says it all.
    if (kind == RuleKind::Link || kind == RuleKind::Repeat) {
        return toString(kind);
    }
    return std::string(toString(kind)) + ":" + rule;
}

void Verdict::add(RuleMatch match) {
    if (!action_ || match.action > *action_) {
        action_ = match.action;
    }
    matches_.push_back(std::move(match));
}

void Verdict::merge(const Verdict& other) {
    for (const auto& m : other.matches_) {
        add(m);
    }
}

std::vector<std::string> Verdict::labels() const {
    std::vector<std::string> out;
    for (const auto& m : matches_) {
        auto label = m.label();
        if (std::find(out.begin(), out.end(), label) == out.end()) {
            out.push_back(std::move(label));
        }
    }
    return out;
}

std::string Verdict::reason() const {
    std::string out;
    for (const auto& m : matches_) {
        if (m.action != action_) {
            continue;
        }
        if (!out.empty()) {
            out += "; ";
        }
        out += m.label();
        if (!m.excerpt.empty()) {
            out += " matched '" + m.excerpt + "'";
        }
    }
    return out;
}

} // namespace stagecast::moderation
