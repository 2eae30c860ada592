#include "config/ModerationSection.h"

#include <algorithm>

namespace stagecast::config::detail {

namespace {

// In RuleAction order, from 1.
constexpr std::array<std::string_view, 4> kRuleActions = {"off", "label", "hold", "reject"};

// A list word is matched after normalisation; an entry this long is a pasted paragraph.
constexpr std::size_t kMaxWordBytes = 200;
constexpr std::size_t kMaxInlineWords = 10000;

Field actionField(std::string_view name, RuleAction& target) {
    return {name, [&target](const toml::node& node, const std::string& path) -> Status {
                auto index = readChoice(node, path, kRuleActions);
                if (!index) {
                    return fail(index.error());
                }
                target = static_cast<RuleAction>(*index + 1);
                return {};
            }};
}

Field wordsField(std::string_view name, std::vector<std::string>& target) {
    return {name, [&target](const toml::node& node, const std::string& path) -> Status {
                const auto* array = node.as_array();
                if (array == nullptr) {
                    return wrongType(path, "an array of words or phrases", node);
                }
                if (array->size() > kMaxInlineWords) {
                    return fail(path + ": more than " + std::to_string(kMaxInlineWords) +
                                " entries: put long lists in the word-list file");
                }
                std::vector<std::string> out;
                for (std::size_t i = 0; i < array->size(); ++i) {
                    const std::string itemPath = path + "[" + std::to_string(i) + "]";
                    auto word = readString(*array->get(i), itemPath);
                    if (!word) {
                        return fail(word.error());
                    }
                    const bool blank = std::all_of(word->begin(), word->end(),
                                                   [](char c) { return c == ' ' || c == '\t'; });
                    if (blank || word->size() > kMaxWordBytes) {
                        return fail(itemPath + ": must be a word or phrase of 1.." +
                                    std::to_string(kMaxWordBytes) + " bytes");
                    }
                    out.push_back(std::move(*word));
                }
                target = std::move(out);
                return {};
            }};
}

Status checkFileName(const std::string& value, const std::string& path) {
    if (value.find('\0') != std::string::npos || value.find('\n') != std::string::npos) {
        return fail(path + ": must be a file name or path");
    }
    return {};
}

} // namespace

std::vector<Field> moderationFields(ModerationConfig& m) {
    return {
        boolField("pre_moderation", m.preModeration),
        boolField("allow_anonymous", m.allowAnonymous),
        stringField("word_list_file", m.wordListFile, checkFileName),
        wordsField("words_hold", m.wordsHold),
        wordsField("words_reject", m.wordsReject),
        actionField("personal_data", m.personalData),
        actionField("links", m.links),
        intField("rate_messages", m.rateMessages, 1, 1000),
        intField("rate_window_seconds", m.rateWindow, 1, 86400),
        intField("repeat_window_seconds", m.repeatWindow, 0, 86400),
        intField("max_message_chars", m.maxMessageChars, 1, 10000),
        boolField("detector_items", m.detectorItems),
    };
}

} // namespace stagecast::config::detail
