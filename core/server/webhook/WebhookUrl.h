#pragma once
/// A receiver's address: http://HOST[:PORT][/PATH][?QUERY]. https:// is refused with a
/// message saying so (TLS to receivers is not built yet). Pure function, thread-safe.

#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::server::webhook {

struct WebhookUrl {
    std::string host;       // name or address; an IPv6 literal without its brackets
    std::string port;       // "80" unless given
    std::string target;     // "/path?query", at least "/"
    std::string hostHeader; // the Host header: "host[:port]" as written in the URL
    /// For logs: scheme, host, port and path, the query left out (it may hold a token).
    std::string display;
};

/// Errors name the URL (without its query) and what is wrong with it.
base::Result<WebhookUrl> parseWebhookUrl(std::string_view url);

} // namespace stagecast::server::webhook
