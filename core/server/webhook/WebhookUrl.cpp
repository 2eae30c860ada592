#include "WebhookUrl.h"

#include <algorithm>
#include <charconv>

namespace stagecast::server::webhook {

base::Result<WebhookUrl> parseWebhookUrl(std::string_view url) {
    const auto shown = std::string(url.substr(0, url.find('?')));
    const auto bad = [&](const std::string& why) {
        return base::fail("webhook URL '" + shown + "' " + why);
    };
    const bool controlChars = std::any_of(url.begin(), url.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
    });
    if (controlChars) {
        return bad("contains spaces or control characters");
    }
    const bool tls = url.starts_with("https://");
    if (!tls && !url.starts_with("http://")) {
        return bad("must start with http:// or https://");
    }
    auto rest = url.substr(tls ? 8 : 7);
    const auto pathStart = rest.find_first_of("/?");
    const auto authority = rest.substr(0, pathStart);
    WebhookUrl out;
    out.target = pathStart == std::string_view::npos ? "/" : std::string(rest.substr(pathStart));
    if (out.target.front() == '?') {
        out.target.insert(out.target.begin(), '/');
    }
    if (authority.find('@') != std::string_view::npos) {
        return bad("must not carry user:password@ (use the signature to authenticate)");
    }
    std::string_view host;
    std::string_view port;
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
        }
    } else {
        const auto colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
        }
    }
    if (host.empty()) {
        return bad("has no host");
    }
    if (!port.empty()) {
        unsigned value = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
            return bad("has an invalid port '" + std::string(port) + "' (allowed 1..65535)");
        }
    }
    out.host = std::string(host);
    out.port = port.empty() ? (tls ? "443" : "80") : std::string(port);
    out.tls = tls;
    out.hostHeader = std::string(authority);
    out.display = (tls ? "https://" : "http://") + out.hostHeader +
                  out.target.substr(0, out.target.find('?'));
    return out;
}

} // namespace stagecast::server::webhook
