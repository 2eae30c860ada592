#include "SrtUrl.h"

#include <charconv>

#include "server/auth/SignedUrl.h"

namespace stagecast::server::relay {

std::string SrtUrl::redacted() const {
    auto text = "srt://" + host + ":" + std::to_string(port);
    if (!streamId.empty() || !passphrase.empty()) {
        text += "?…";
    }
    return text;
}

base::Result<SrtUrl> parseSrtUrl(std::string_view url) {
    auto bad = [&](const std::string& why) {
        return base::fail("relay URL '" + std::string(url.substr(0, url.find('?'))) + "' " + why);
    };
    if (!url.starts_with("srt://")) {
        return bad("must start with srt://");
    }
    auto rest = url.substr(6);
    auto queryStart = rest.find('?');
    auto authority = rest.substr(0, queryStart);
    auto query =
        queryStart == std::string_view::npos ? std::string_view{} : rest.substr(queryStart + 1);
    if (!authority.empty() && authority.back() == '/') {
        authority.remove_suffix(1);
    }
    auto colon = authority.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return bad("needs HOST:PORT");
    }
    SrtUrl out;
    auto host = authority.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    out.host = std::string(host);
    unsigned port = 0;
    auto digits = authority.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535) {
        return bad("has an invalid port '" + std::string(digits) + "'");
    }
    out.port = static_cast<std::uint16_t>(port);
    out.streamId = auth::queryParam(query, "streamid").value_or("");
    out.passphrase = auth::queryParam(query, "passphrase").value_or("");
    if (!out.passphrase.empty() && (out.passphrase.size() < 10 || out.passphrase.size() > 79)) {
        return bad("has a passphrase of " + std::to_string(out.passphrase.size()) +
                   " characters: SRT needs 10 to 79");
    }
    if (auto latency = auth::queryParam(query, "latency")) {
        int ms = 0;
        auto [e, err] = std::from_chars(latency->data(), latency->data() + latency->size(), ms);
        if (err != std::errc() || e != latency->data() + latency->size() || ms < 0 || ms > 60000) {
            return bad("has an invalid latency '" + *latency + "' (milliseconds, 0..60000)");
        }
        out.latency = std::chrono::milliseconds(ms);
    }
    if (out.streamId.size() > 512) {
        return bad("has a streamid over 512 characters");
    }
    return out;
}

} // namespace stagecast::server::relay
