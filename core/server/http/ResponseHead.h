#pragma once
/// The header block of a 200 answer whose body is already in memory (HLS playlists,
/// segments, parts, keys), written straight into a reused buffer: no header map, no
/// serializer, and head and body leave in one gathered write. The fields are those
/// HttpSession::respond() sends for the same answer.

#include <cstddef>
#include <string>
#include <string_view>

namespace stagecast::server::http {

struct OkHead {
    std::string_view version;      // Server: Stagecast/<version>
    std::string_view corsOrigin;   // Access-Control-Allow-Origin
    bool corsMethods = false;      // also Access-Control-Allow-Methods and -Headers
    std::string_view contentType;  // Content-Type
    std::string_view cacheControl; // Cache-Control
    std::size_t contentLength = 0;
    bool keepAlive = true; // false: Connection: close
};

/// Replaces `out` with the HTTP/1.1 200 header block (ending in the blank line); `out`'s
/// capacity is kept, so a connection's later answers do not allocate.
void writeOkHead(std::string& out, const OkHead& head);

} // namespace stagecast::server::http
