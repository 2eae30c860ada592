#pragma once
/// Small URL helpers shared by the sessions.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace stagecast::server {

/// "name?a=b" -> {"name", "a=b"}; no '?' -> {"name", ""}.
std::pair<std::string_view, std::string_view> splitQuery(std::string_view s);

/// The query as webhooks and hub events carry it (SRS's `param`): "?" + the query with the
/// value of every `auth_key` replaced by "redacted" (the signature is a credential: a receiver
/// or a log must not be able to replay it); "" for an empty query. Takes the query with or
/// without its leading '?'.
std::string redactedParam(std::string_view query);

/// `url` with its query redacted as redactedParam() does.
std::string redactedUrl(std::string_view url);

/// Seconds since the Unix epoch, for signed-URL expiry checks.
std::int64_t unixNow();

} // namespace stagecast::server
