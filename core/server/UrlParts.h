#pragma once
/// Small URL helpers shared by the sessions.

#include <cstdint>
#include <string_view>
#include <utility>

namespace stagecast::server {

/// "name?a=b" -> {"name", "a=b"}; no '?' -> {"name", ""}.
std::pair<std::string_view, std::string_view> splitQuery(std::string_view s);

/// Seconds since the Unix epoch, for signed-URL expiry checks.
std::int64_t unixNow();

} // namespace stagecast::server
