#include "server/http/ByteRange.h"

#include <charconv>
#include <optional>

namespace stagecast::server::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

/// Digits only (no sign, no spaces); nullopt when empty, not digits or over 2^64-1.
std::optional<std::uint64_t> number(std::string_view s) {
    if (s.empty()) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

RangeAnswer resolveRange(std::string_view header, std::uint64_t size) {
    constexpr std::string_view kUnit = "bytes=";
    header = trim(header);
    if (header.size() <= kUnit.size() || header.substr(0, kUnit.size()) != kUnit) {
        return {};
    }
    const auto spec = trim(header.substr(kUnit.size()));
    if (spec.find(',') != std::string_view::npos) {
        return {}; // several ranges: the whole file (a multipart answer is not worth it)
    }
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) {
        return {};
    }
    const auto firstText = trim(spec.substr(0, dash));
    const auto lastText = trim(spec.substr(dash + 1));
    RangeAnswer answer;
    if (firstText.empty()) {
        // "-N": the last N bytes.
        const auto suffix = number(lastText);
        if (!suffix) {
            return {};
        }
        if (*suffix == 0 || size == 0) {
            return {RangeKind::Unsatisfiable};
        }
        answer.first = *suffix >= size ? 0 : size - *suffix;
        answer.last = size - 1;
    } else {
        const auto first = number(firstText);
        if (!first) {
            return {};
        }
        std::optional<std::uint64_t> last;
        if (!lastText.empty()) {
            last = number(lastText);
            if (!last || *last < *first) {
                return {}; // malformed: ignored
            }
        }
        if (*first >= size) {
            return {RangeKind::Unsatisfiable};
        }
        answer.first = *first;
        answer.last = last && *last < size ? *last : size - 1;
    }
    answer.kind = RangeKind::Partial;
    return answer;
}

} // namespace stagecast::server::http
