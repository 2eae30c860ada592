#pragma once
/// A receiver's address: http[s]://HOST[:PORT][/PATH][?QUERY]. Pure function, thread-safe.

#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::server::webhook {

struct WebhookUrl {
    std::string host;       // name or address; an IPv6 literal without its brackets
    std::string port;       // "80" ("443" for https) unless given
    bool tls = false;       // https: TLS, the certificate checked against `host`
    std::string target;     // "/path?query", at least "/"
    std::string hostHeader; // the Host header: "host[:port]" as written in the URL
    /// For logs: scheme, host, port and path, the query left out (it may hold a token).
    std::string display;
};

/// Errors name the URL (without its query) and what is wrong with it.
base::Result<WebhookUrl> parseWebhookUrl(std::string_view url);

} // namespace stagecast::server::webhook
