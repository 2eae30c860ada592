#pragma once
/// rtmp[s]://HOST[:PORT]/APP/NAME[?query] split the way an RTMP client needs it: the app and the
/// tcUrl for connect, the stream name (with the query, where CDNs put their keys) for publish.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::server::relay {

struct RtmpUrl {
    std::string host;
    std::uint16_t port = 1935;
    std::string app;        // may contain '/' (e.g. "live/sub")? no: the first path segment
    std::string streamName; // NAME[?query]
    std::string tcUrl;      // rtmp[s]://HOST:PORT/APP
    bool tls = false;       // rtmps: RTMP over TLS, port 443 by default
    std::string caFile;     // rtmps: trust anchors (PEM) instead of the system store
    bool verifyTls = true;  // rtmps: check the chain and the host name

    /// The URL with the query replaced by "?…" so logs and the API never show a key.
    std::string redacted() const;
};

/// Errors say what is wrong ("relay URL 'rtmp://h' needs /APP/NAME").
base::Result<RtmpUrl> parseRtmpUrl(std::string_view url);

} // namespace stagecast::server::relay
