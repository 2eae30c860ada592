#include "UrlParts.h"

#include <chrono>

namespace stagecast::server {

std::pair<std::string_view, std::string_view> splitQuery(std::string_view s) {
    auto q = s.find('?');
    if (q == std::string_view::npos) {
        return {s, {}};
    }
    return {s.substr(0, q), s.substr(q + 1)};
}

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace stagecast::server
