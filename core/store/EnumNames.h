#pragma once
/// Enum <-> stored text through one explicit table per enum. Internal to core/store.

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace stagecast::store {

template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<Enum, const char*>, N>;

template <typename Enum, std::size_t N>
const char* enumName(const EnumNames<Enum, N>& table, Enum value) {
    for (const auto& [e, name] : table) {
        if (e == value) {
            return name;
        }
    }
    return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> enumParse(const EnumNames<Enum, N>& table, std::string_view text) {
    for (const auto& [e, name] : table) {
        if (text == name) {
            return e;
        }
    }
    return std::nullopt;
}

} // namespace stagecast::store
