#include "config/ConfigFields.h"

#include <algorithm>

namespace stagecast::config::detail {

namespace {

// TOML bare keys (TOML v1.0 "Keys") print as-is; anything else is quoted so the path the
// user sees is one they could paste back into the file.
std::string keyText(std::string_view key) {
    const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
    return bare ? std::string(key) : "\"" + std::string(key) + "\"";
}

} // namespace

std::string_view typeName(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a floating-point number";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

std::string join(std::string_view prefix, std::string_view key) {
    return prefix.empty() ? keyText(key) : std::string(prefix) + "." + keyText(key);
}

tl::unexpected<base::Error> wrongType(const std::string& path, std::string_view expected,
                                      const toml::node& node) {
    return fail(path + ": expected " + std::string(expected) + ", got " +
                std::string(typeName(node)));
}

Result<bool> readBool(const toml::node& node, const std::string& path) {
    if (const auto* value = node.as_boolean()) {
        return value->get();
    }
    return wrongType(path, "true or false", node);
}

Result<std::int64_t> readInt(const toml::node& node, const std::string& path, std::int64_t min,
                             std::int64_t max) {
    const auto* value = node.as_integer();
    if (value == nullptr) {
        return wrongType(path, "an integer", node);
    }
    const std::int64_t v = value->get();
    if (v < min || v > max) {
        return fail(path + ": " + std::to_string(v) + " is out of range " + std::to_string(min) +
                    ".." + std::to_string(max));
    }
    return v;
}

Result<std::string> readString(const toml::node& node, const std::string& path) {
    if (const auto* value = node.as_string()) {
        return value->get();
    }
    return wrongType(path, "a string", node);
}

// Secrets are pasted from elsewhere; a stray space or newline would make every signed URL
// fail with a confusing signature mismatch, so refuse it here.
Status checkSecret(const std::string& value, const std::string& path) {
    const bool clean = std::none_of(value.begin(), value.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7f;
    });
    if (!clean) {
        return fail(path + ": must not contain spaces or control characters");
    }
    return {};
}

Status readFields(const toml::table& table, const std::string& prefix,
                  const std::vector<Field>& fields) {
    for (const auto& [key, node] : table) {
        // A named copy: clang 14 cannot capture a structured binding.
        const std::string_view name = key.str();
        const std::string path = join(prefix, name);
        const auto field = std::find_if(fields.begin(), fields.end(),
                                        [name](const Field& f) { return f.name == name; });
        if (field == fields.end()) {
            return fail("unknown key " + path);
        }
        if (auto ok = field->read(node, path); !ok) {
            return ok;
        }
    }
    return {};
}

Field boolField(std::string_view name, bool& target) {
    return {name, [&target](const toml::node& node, const std::string& path) -> Status {
                auto value = readBool(node, path);
                if (!value) {
                    return fail(value.error());
                }
                target = *value;
                return {};
            }};
}

Field stringField(std::string_view name, std::string& target,
                  std::function<Status(const std::string&, const std::string&)> check) {
    return {name, [&target, check](const toml::node& node, const std::string& path) -> Status {
                auto value = readString(node, path);
                if (!value) {
                    return fail(value.error());
                }
                if (check) {
                    if (auto ok = check(*value, path); !ok) {
                        return ok;
                    }
                }
                target = std::move(*value);
                return {};
            }};
}

} // namespace stagecast::config::detail
