#include "UrlParts.h"

#include <chrono>
#include <string>

namespace stagecast::server {

std::pair<std::string_view, std::string_view> splitQuery(std::string_view s) {
    auto q = s.find('?');
    if (q == std::string_view::npos) {
        return {s, {}};
    }
    return {s.substr(0, q), s.substr(q + 1)};
}

std::string redactedParam(std::string_view query) {
    if (query.starts_with('?')) {
        query.remove_prefix(1);
    }
    if (query.empty()) {
        return {};
    }
    std::string out = "?";
    bool first = true;
    while (true) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        if (!first) {
            out += '&';
        }
        first = false;
        if (pair.substr(0, pair.find('=')) == "auth_key") {
            out += "auth_key=redacted";
        } else {
            out += pair;
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return out;
}

std::string redactedUrl(std::string_view url) {
    auto q = url.find('?');
    if (q == std::string_view::npos) {
        return std::string(url);
    }
    return std::string(url.substr(0, q)) + redactedParam(url.substr(q + 1));
}

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace stagecast::server
