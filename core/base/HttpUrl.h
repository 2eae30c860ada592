#pragma once
/// An HTTP origin's address: http[s]://HOST[:PORT][/PATH]. Pure function, thread-safe.
/// Used by the config check (error named after the key) and by the clients that connect.

#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::base {

struct HttpUrl {
    bool tls = false;       // https
    std::string host;       // name or address; an IPv6 literal without its brackets
    std::string port;       // "80" / "443" unless given
    std::string path;       // "/path" without a trailing '/', "" for the root
    std::string hostHeader; // "host[:port]" as written in the URL
    /// scheme://host[:port]/path, for logs.
    std::string display() const { return (tls ? "https://" : "http://") + hostHeader + path; }
};

/// Errors say what is wrong ("has no host", "has an invalid port '0' (allowed 1..65535)").
/// No user:password@ (use a header), no query and no fragment: request paths are appended.
Result<HttpUrl> parseHttpUrl(std::string_view url);

} // namespace stagecast::base
