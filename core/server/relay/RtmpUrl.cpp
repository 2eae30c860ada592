#include "RtmpUrl.h"

#include <charconv>

namespace stagecast::server::relay {

std::string RtmpUrl::redacted() const {
    auto q = streamName.find('?');
    auto name = q == std::string::npos ? streamName : streamName.substr(0, q) + "?…";
    return tcUrl + "/" + name;
}

base::Result<RtmpUrl> parseRtmpUrl(std::string_view url) {
    auto bad = [&](const std::string& why) {
        return base::fail("relay URL '" + std::string(url.substr(0, url.find('?'))) + "' " + why);
    };
    RtmpUrl out;
    std::string_view rest;
    if (url.starts_with("rtmp://")) {
        rest = url.substr(7);
    } else if (url.starts_with("rtmps://")) {
        rest = url.substr(8);
        out.tls = true;
        out.port = 443;
    } else {
        return bad("must start with rtmp:// or rtmps://");
    }
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) {
        return bad("needs /APP/NAME");
    }
    auto authority = rest.substr(0, slash);
    auto path = rest.substr(slash + 1);
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
        unsigned port = 0;
        auto digits = authority.substr(colon + 1);
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 ||
            port > 65535) {
            return bad("has an invalid port '" + std::string(digits) + "'");
        }
        out.port = static_cast<std::uint16_t>(port);
        authority = authority.substr(0, colon);
    }
    if (authority.empty()) {
        return bad("has no host");
    }
    out.host = std::string(authority);
    auto nameStart = path.find('/');
    if (nameStart == std::string_view::npos || nameStart == 0 || nameStart + 1 >= path.size()) {
        return bad("needs /APP/NAME");
    }
    out.app = std::string(path.substr(0, nameStart));
    out.streamName = std::string(path.substr(nameStart + 1));
    out.tcUrl = std::string(out.tls ? "rtmps://" : "rtmp://") + out.host + ":" +
                std::to_string(out.port) + "/" + out.app;
    return out;
}

} // namespace stagecast::server::relay
