#include "config/TranscodeSection.h"

#include <algorithm>
#include <array>

#include "config/ConfigFields.h"

namespace stagecast::config::detail {

namespace {

constexpr std::size_t kMaxRules = 64;
// The template names of core/media/transcode/Ladder.cpp (config cannot depend on media; the
// app checks the rules against the real templates again when it starts the transcoder).
constexpr std::array<std::string_view, 4> kTemplates = {"1080p", "720p", "480p", "360p"};
constexpr std::array<std::string_view, 2> kModes = {"fixed", "narrowband"};
constexpr std::array<std::string_view, 10> kPresets = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo"};

Status checkPattern(const std::string& value, const std::string& path) {
    const auto slash = value.find('/');
    const bool shaped = slash != std::string::npos && slash > 0 && slash + 1 < value.size() &&
                        value.find('/', slash + 1) == std::string::npos;
    const bool clean = std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.' || c == '/' || c == '*';
    });
    if (!shaped || !clean) {
        return fail(path + ": '" + value +
                    "' must be APP/STREAM with '*' wildcards, e.g. \"live/*\"");
    }
    return {};
}

Field renditionsField(std::vector<std::string>& target) {
    return {"renditions", [&target](const toml::node& node, const std::string& path) -> Status {
                const auto* array = node.as_array();
                if (array == nullptr || array->empty()) {
                    return wrongType(path, "a non-empty array of template names", node);
                }
                std::vector<std::string> out;
                for (std::size_t i = 0; i < array->size(); ++i) {
                    const auto itemPath = path + "[" + std::to_string(i) + "]";
                    auto index = readChoice(*array->get(i), itemPath, kTemplates);
                    if (!index) {
                        return fail(index.error());
                    }
                    out.emplace_back(kTemplates[*index]);
                }
                target = std::move(out);
                return {};
            }};
}

Status readRules(const toml::node& node, const std::string& path,
                 std::vector<TranscodeRuleConfig>& rules) {
    const auto* array = node.as_array();
    if (array == nullptr) {
        return wrongType(path, "an array of [[transcode.rule]] tables", node);
    }
    if (array->size() > kMaxRules) {
        return fail(path + ": at most " + std::to_string(kMaxRules) + " rules");
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto rulePath = path + "[" + std::to_string(i) + "]";
        const auto* table = array->get(i)->as_table();
        if (table == nullptr) {
            return wrongType(rulePath, "a table with pattern and renditions", *array->get(i));
        }
        TranscodeRuleConfig rule;
        auto ok = readFields(*table, rulePath,
                             {stringField("pattern", rule.pattern, checkPattern),
                              renditionsField(rule.renditions),
                              {"mode", [&rule](const toml::node& n, const std::string& p) {
                                   auto index = readChoice(n, p, kModes);
                                   if (!index) {
                                       return Status(fail(index.error()));
                                   }
                                   rule.mode = std::string(kModes[*index]);
                                   return Status{};
                               }}});
        if (!ok) {
            return ok;
        }
        if (rule.pattern.empty() || rule.renditions.empty()) {
            return fail(rulePath + ": needs pattern and renditions");
        }
        rules.push_back(std::move(rule));
    }
    return {};
}

} // namespace

base::Status readTranscode(const toml::node& node, const std::string& path,
                           TranscodeConfig& transcode) {
    const auto* table = node.as_table();
    if (table == nullptr) {
        return wrongType(path, "a table", node);
    }
    return readFields(*table, path,
                      {{"preset",
                        [&transcode](const toml::node& n, const std::string& p) -> Status {
                            auto index = readChoice(n, p, kPresets);
                            if (!index) {
                                return fail(index.error());
                            }
                            transcode.preset = std::string(kPresets[*index]);
                            return {};
                        }},
                       intField("threads", transcode.threads, 1, 16),
                       intField("max_transcodes", transcode.maxTranscodes, 1, 64),
                       intField("queue_ms", transcode.queue, 100, 10000),
                       {"rule", [&transcode](const toml::node& n, const std::string& p) {
                            return readRules(n, p, transcode.rules);
                        }}});
}

} // namespace stagecast::config::detail
