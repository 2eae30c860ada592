#pragma once
/// Routes that other modules add to the control API (monitoring, moderation, the director)
/// without core/server knowing them. A mount is matched on path segments; its handler runs
/// on the server's worker pool, never on a network thread, so it may read SQLite or wait on
/// a lock. The HTTP session authenticates the caller first (unless the mount is public).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stagecast::server::api {

struct ApiResponse {
    unsigned status = 200;
    std::string contentType = "application/json";
    std::string body;
    /// When set, the answer is this file (streamed from disk with Range support, see
    /// http::FileDownload) with `contentType`; `body` is unused. The handler must have checked
    /// that the path is one the caller may read.
    std::string filePath;
    std::string downloadName; // offered file name
};

struct ApiRequest {
    std::string method; // "GET", "POST", "DELETE", "PATCH"
    std::string path;   // "/api/v1/alerts", without the query
    std::string query;  // "from=1&to=2", without the '?'
    std::string body;
    std::string contentType;
    std::string address; // the peer's IP address
    std::string userAgent;
    std::vector<std::string> segments; // the path split on '/', percent-decoded
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

struct ApiMount {
    /// Segment pattern: "/api/v1/alerts", "/api/v1/streams/*/*/health", "/api/v1/public/**".
    /// '*' matches exactly one segment; a trailing '**' matches zero or more.
    std::string pattern;
    /// Methods answered ("GET", "POST"...); empty means any.
    std::vector<std::string> methods;
    ApiHandler handler;
    /// false: a public viewer endpoint (chat) — no bearer token, any address.
    bool requireToken = true;
    std::size_t maxBodyBytes = 64 * 1024;
};

/// Percent-decoded value of `name` in a query string ('+' as space), nullopt if absent.
std::optional<std::string> queryParam(std::string_view query, std::string_view name);

/// "/a/b/" -> {"a", "b"}: the raw (still percent-encoded) non-empty segments.
std::vector<std::string_view> pathParts(std::string_view path);

/// "/a/b%20c/" -> {"a", "b c"}; nullopt when a percent escape is malformed.
std::optional<std::vector<std::string>> splitSegments(std::string_view path);

/// How well `pattern` matches `segments`: nullopt for no match, else a score where a more
/// specific pattern (more literal segments, no '**') scores higher.
std::optional<int> matchScore(std::string_view pattern, const std::vector<std::string>& segments);

} // namespace stagecast::server::api
