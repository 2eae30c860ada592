#pragma once
/// What the text rules decided about one message: every rule that matched (the evidence) and
/// the strongest action among them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stagecast::moderation {

/// What a matching rule does, weakest first: the strongest action of all matches wins.
enum class Action : std::uint8_t {
    Label = 1, // keep the label as evidence; the message goes on as if clean
    Hold,      // into the queue for a moderator, whatever pre-moderation says
    Reject,    // stored as rejected (with the reason) and never shown
};

const char* toString(Action action);
/// "label", "hold" or "reject"; nullopt for anything else.
std::optional<Action> parseAction(std::string_view text);

/// The family a rule belongs to; the first part of its label ("word:banned").
enum class RuleKind : std::uint8_t {
    Words = 1,    // keyword and phrase lists
    Pattern,      // an operator's regular expression
    PersonalData, // phone numbers, e-mail addresses, ID-card numbers
    Link,         // URLs and domain names
    Repeat,       // the same text from the same viewer again within the window
};

const char* toString(RuleKind kind);

struct RuleMatch {
    RuleKind kind = RuleKind::Words;
    std::string rule; // the rule's name: "banned", "phone", "email", "id-card", "link"...
    Action action = Action::Hold;
    std::string excerpt; // what matched, from the normalised text (at most ~64 bytes)

    /// "word:banned", "pattern:spam-code", "personal-data:phone", "link", "repeat".
    std::string label() const;
};

class Verdict {
public:
    void add(RuleMatch match);
    /// Adds every match of `other`.
    void merge(const Verdict& other);

    /// The strongest action of all matches; nullopt when nothing matched.
    std::optional<Action> action() const { return action_; }
    const std::vector<RuleMatch>& matches() const { return matches_; }
    bool clean() const { return matches_.empty(); }
    /// Each distinct label once, in match order (evidence kept on the item).
    std::vector<std::string> labels() const;
    /// For the operator: the matches that carry the winning action, e.g.
    /// "word:banned matched 'bad'; personal-data:phone matched '138****5678'".
    std::string reason() const;

private:
    std::vector<RuleMatch> matches_;
    std::optional<Action> action_;
};

} // namespace stagecast::moderation
