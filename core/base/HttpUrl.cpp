#include "HttpUrl.h"

#include <algorithm>
#include <charconv>

namespace stagecast::base {

Result<HttpUrl> parseHttpUrl(std::string_view url) {
    const auto bad = [&](const std::string& why) {
        return fail("'" + std::string(url) + "' " + why);
    };
    const bool controlChars = std::any_of(url.begin(), url.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
    if (controlChars) {
        return bad("contains spaces or control characters");
    }
    HttpUrl out;
    std::string_view rest;
    if (url.starts_with("http://")) {
        rest = url.substr(7);
    } else if (url.starts_with("https://")) {
        out.tls = true;
        rest = url.substr(8);
    } else {
        return bad("must start with http:// or https://");
    }
    if (rest.find_first_of("?#") != std::string_view::npos) {
        return bad("must not have a query or fragment (paths are appended to it)");
    }
    const auto pathStart = rest.find('/');
    const auto authority = rest.substr(0, pathStart);
    if (authority.find('@') != std::string_view::npos) {
        return bad("must not carry user:password@ (send credentials in a header)");
    }
    std::string_view host;
    std::string_view port;
    bool hasPort = false;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return bad("has an unterminated [IPv6] address");
        }
        host = authority.substr(1, close - 1);
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (!after.starts_with(':')) {
                return bad("has junk after the [IPv6] address");
            }
            port = after.substr(1);
            hasPort = true;
        }
    } else {
        const auto colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
            hasPort = true;
        }
    }
    if (host.empty()) {
        return bad("has no host");
    }
    if (hasPort) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
            return bad("has an invalid port '" + std::string(port) + "' (allowed 1..65535)");
        }
    }
    out.host = std::string(host);
    out.port = port.empty() ? (out.tls ? "443" : "80") : std::string(port);
    out.hostHeader = std::string(authority);
    out.path = pathStart == std::string_view::npos ? "" : std::string(rest.substr(pathStart));
    while (out.path.ends_with('/')) {
        out.path.pop_back();
    }
    return out;
}

} // namespace stagecast::base
