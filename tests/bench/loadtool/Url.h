#pragma once
/// The two URL forms the load tool speaks: rtmp://host[:port]/app/name[?query] and
/// http://host[:port]/path. Only what connecting and the RTMP connect command need.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::load {

struct RtmpUrl {
    std::string host;
    std::uint16_t port = 1935;
    std::string app;   // first path segment: the connect command's "app"
    std::string name;  // the rest, query included: the play/publish stream name
    std::string tcUrl; // rtmp://host:port/app
};

struct HttpUrl {
    std::string host;
    std::uint16_t port = 80;
    std::string target; // path and query, sent in the request line
};

base::Result<RtmpUrl> parseRtmpUrl(std::string_view url);
base::Result<HttpUrl> parseHttpUrl(std::string_view url);

} // namespace stagecast::load
