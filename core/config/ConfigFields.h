#pragma once
/// Reading TOML values into the configuration: typed readers that name the key and what was
/// expected in their errors, and Field/readFields, which refuse unknown keys. Used by
/// Config.cpp and the per-section readers (ModerationSection.cpp).

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "base/Result.h"

namespace stagecast::config::detail {

using base::fail;
using base::Result;
using base::Status;

std::string_view typeName(const toml::node& node);
/// The dotted path of `key` under `prefix`, quoting keys that are not bare.
std::string join(std::string_view prefix, std::string_view key);
tl::unexpected<base::Error> wrongType(const std::string& path, std::string_view expected,
                                      const toml::node& node);
Result<bool> readBool(const toml::node& node, const std::string& path);
Result<std::int64_t> readInt(const toml::node& node, const std::string& path, std::int64_t min,
                             std::int64_t max);
Result<std::string> readString(const toml::node& node, const std::string& path);
/// Refuses spaces and control characters (pasted secrets).
Status checkSecret(const std::string& value, const std::string& path);

// The value handler for one key; `path` is the dotted key for messages.
using Reader = std::function<Status(const toml::node& node, const std::string& path)>;

struct Field {
    std::string_view name;
    Reader read;
};

Status readFields(const toml::table& table, const std::string& prefix,
                  const std::vector<Field>& fields);
Field boolField(std::string_view name, bool& target);
Field stringField(std::string_view name, std::string& target,
                  std::function<Status(const std::string&, const std::string&)> check = {});

template <std::size_t N>
std::string choicesText(const std::array<std::string_view, N>& choices) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
        out += i == 0 ? "" : ", ";
        out += choices[i];
    }
    return out;
}

template <std::size_t N>
Result<std::size_t> readChoice(const toml::node& node, const std::string& path,
                               const std::array<std::string_view, N>& choices) {
    auto text = readString(node, path);
    if (!text) {
        return fail(text.error());
    }
    const auto it = std::find(choices.begin(), choices.end(), *text);
    if (it == choices.end()) {
        return fail(path + ": '" + *text + "' is not one of " + choicesText(choices));
    }
    return static_cast<std::size_t>(std::distance(choices.begin(), it));
}

template <typename T>
Field intField(std::string_view name, T& target, std::int64_t min, std::int64_t max) {
    return {name, [&target, min, max](const toml::node& node, const std::string& path) -> Status {
                auto value = readInt(node, path, min, max);
                if (!value) {
                    return fail(value.error());
                }
                if constexpr (requires(T t) { t.count(); }) {
                    target = T(*value);
                } else {
                    target = static_cast<T>(*value);
                }
                return {};
            }};
}

} // namespace stagecast::config::detail
