#include "Url.h"

#include <charconv>

namespace stagecast::load {

namespace {

struct Authority {
    std::string host;
    std::uint16_t port = 0;
    std::string_view rest; // from the first '/' on
};

/// Splits "host[:port]/rest" after the scheme. IPv6 literals are not needed for a loopback
/// benchmark and are refused rather than misparsed.
base::Result<Authority> splitAuthority(std::string_view url, std::string_view scheme,
                                       std::uint16_t defaultPort) {
    if (url.substr(0, scheme.size()) != scheme) {
        return base::fail("url '" + std::string(url) + "' does not start with " +
                          std::string(scheme));
    }
    url.remove_prefix(scheme.size());
    auto slash = url.find('/');
    auto authority = url.substr(0, slash);
    Authority out;
    out.rest = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
    if (authority.empty() || authority.front() == '[') {
        return base::fail("url host '" + std::string(authority) +
                          "' not supported: use a name or an IPv4 address");
    }
    auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    out.port = defaultPort;
    if (colon != std::string_view::npos) {
        auto digits = authority.substr(colon + 1);
        unsigned value = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec != std::errc() || end != digits.data() + digits.size() || value == 0 ||
            value > 65535) {
            return base::fail("url port '" + std::string(digits) + "' invalid, allowed 1..65535");
        }
        out.port = static_cast<std::uint16_t>(value);
    }
    return out;
}

} // namespace

base::Result<RtmpUrl> parseRtmpUrl(std::string_view url) {
    auto authority = splitAuthority(url, "rtmp://", 1935);
    if (!authority) {
        return base::fail(authority.error());
    }
    auto path = authority->rest;
    if (!path.empty()) {
        path.remove_prefix(1);
    }
    auto slash = path.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == path.size()) {
        return base::fail("rtmp url '" + std::string(url) + "' needs /app/stream");
    }
    RtmpUrl out;
    out.host = authority->host;
    out.port = authority->port;
    out.app = std::string(path.substr(0, slash));
    out.name = std::string(path.substr(slash + 1));
    out.tcUrl = "rtmp://" + out.host + ":" + std::to_string(out.port) + "/" + out.app;
    return out;
}

base::Result<HttpUrl> parseHttpUrl(std::string_view url) {
    auto authority = splitAuthority(url, "http://", 80);
    if (!authority) {
        return base::fail(authority.error());
    }
    HttpUrl out;
    out.host = authority->host;
    out.port = authority->port;
    out.target = authority->rest.empty() ? std::string("/") : std::string(authority->rest);
    return out;
}

} // namespace stagecast::load
