#pragma once
/// Decides whether a client may publish or play a stream: the app's IP allow/deny lists, then
/// the signed URL when auth is on for that action. Thread-safe (immutable after start).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"
#include "server/auth/IpAcl.h"
#include "server/auth/SignedUrl.h"
#include "stream/StreamKey.h"

namespace stagecast::server {

enum class Action : std::uint8_t { Publish = 1, Play };

struct AccessOptions {
    auth::SigningKeys keys;
    bool publishAuth = true;
    bool playAuth = false;
    /// Per-app lists; "*" applies to every app that has no list of its own.
    std::map<std::string, auth::IpAcl> acls;
};

class AccessControl {
public:
    explicit AccessControl(AccessOptions options) : options_(std::move(options)) {}

    /// `uri` is the signed path ("/live/foo" for RTMP, "/live/foo.flv" for HTTP-FLV),
    /// `query` the URL's query string (where auth_key is looked up), `address` the peer's IP.
    /// The error says which check refused and why.
    base::Status check(Action action, const stream::StreamKey& key, std::string_view uri,
                       std::string_view query, std::string_view address,
                       std::int64_t nowUnix) const;

    const AccessOptions& options() const { return options_; }

private:
    AccessOptions options_;
};

} // namespace stagecast::server
