#include "ApiMount.h"

#include "base/Hex.h"
#include "server/auth/SignedUrl.h"

namespace stagecast::server::api {

namespace {

std::optional<std::string> percentDecode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size()) {
            return std::nullopt;
        }
        int hi = base::hexValue(s[i + 1]);
        int lo = base::hexValue(s[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

} // namespace

std::vector<std::string_view> pathParts(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        auto slash = path.find('/');
        auto part = path.substr(0, slash);
        if (!part.empty()) {
            parts.push_back(part);
        }
        if (slash == std::string_view::npos) {
            break;
        }
        path.remove_prefix(slash + 1);
    }
    return parts;
}

std::optional<std::string> queryParam(std::string_view query, std::string_view name) {
    return auth::queryParam(query, name);
}

std::optional<std::vector<std::string>> splitSegments(std::string_view path) {
    std::vector<std::string> out;
    for (auto raw : pathParts(path)) {
        auto decoded = percentDecode(raw);
        if (!decoded) {
            return std::nullopt;
        }
        out.push_back(std::move(*decoded));
    }
    return out;
}

std::optional<int> matchScore(std::string_view pattern, const std::vector<std::string>& segments) {
    // Walks the pattern in place: this runs for every mount on every HTTP request.
    auto next = [&pattern]() -> std::optional<std::string_view> {
        while (!pattern.empty()) {
            const auto slash = pattern.find('/');
            const auto part = pattern.substr(0, slash);
            pattern =
                slash == std::string_view::npos ? std::string_view{} : pattern.substr(slash + 1);
            if (!part.empty()) {
                return part;
            }
        }
        return std::nullopt;
    };
    int score = 0;
    std::size_t i = 0;
    for (auto part = next(); part; part = next(), ++i) {
        if (*part == "**" && pattern.find_first_not_of('/') == std::string_view::npos) {
            return score; // the rest matches; no bonus, so exact patterns win
        }
        if (i >= segments.size()) {
            return std::nullopt;
        }
        if (*part == "*") {
            score += 1;
        } else if (*part == segments[i]) {
            score += 4;
        } else {
            return std::nullopt;
        }
    }
    if (i != segments.size()) {
        return std::nullopt;
    }
    return score + 2; // a full-length match beats a '**' prefix of the same literals
}

} // namespace stagecast::server::api
