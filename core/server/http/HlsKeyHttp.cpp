// HLS key delivery: /APP/STREAM/key/ID.key answers the 16 key bytes of an encrypted stream
// (hls.encrypt) to a viewer session of that stream (?hls_session=, as the playlist's key URIs
// carry it) or to a type-A signed URL (?auth_key= over the key's path or over
// /APP/STREAM.m3u8, so the playlist's token works), whether or not play auth is on; anyone
// else gets 403 with the reason. Keys are never logged.

#include <boost/beast/http/field.hpp>

#include "base/Log.h"
#include "server/UrlParts.h"
#include "server/auth/SignedUrl.h"
#include "server/hls/HlsService.h"
#include "server/http/HttpSession.h"

namespace stagecast::server::http {

namespace {

constexpr std::string_view kKeyDir = "/key/";
constexpr std::string_view kKeyExt = ".key";

} // namespace

void HttpSession::serveHlsKey(std::string_view path, std::string_view query) {
    auto& service = *ctx_.hls;
    // /APP/STREAM/key/ID.key
    const auto dir = path.rfind(kKeyDir);
    const auto id =
        path.substr(dir + kKeyDir.size(), path.size() - dir - kKeyDir.size() - kKeyExt.size());
    auto key = stream::StreamKey::parse(path.substr(1, dir == 0 ? 0 : dir - 1));
    if (!key || id.empty() || id.find('/') != std::string_view::npos) {
        respond(404, "text/plain", "not found: " + std::string(path) + "\n");
        return;
    }
    std::string refused;
    std::shared_ptr<ClientInfo> viewer;
    if (auto sessionId = auth::queryParam(query, "hls_session")) {
        viewer = service.sessions().touch(*sessionId, *key);
        if (!viewer) {
            refused = "unknown or expired hls_session: request the playlist again";
        }
    } else if (auth::queryParam(query, "auth_key")) {
        // The IP lists (and, with play auth on, the signature) as for a playlist; the
        // signature always, play auth on or off. Either signed path will do.
        const auto now = unixNow();
        const auto playlist = "/" + key->str() + ".m3u8";
        auto verify = [&](std::string_view uri) -> base::Status {
            if (auto ok = ctx_.access.check(Action::Play, *key, uri, query, address_, now); !ok) {
                return ok;
            }
            auto token = auth::queryParam(query, "auth_key");
            return auth::verifyAuthKey(uri, std::string_view(*token), now,
                                       ctx_.access.options().keys);
        };
        auto own = verify(path);
        if (!own && !verify(playlist)) {
            refused = own.error().message();
        }
    } else {
        refused = "needs the playlist's hls_session or a signed auth_key";
    }
    if (!refused.empty()) {
        base::log(base::LogLevel::Warning, "hls",
                  "client " + std::to_string(client_->id) + " (" + address_ + ") " + key->str() +
                      ": key refused: " + refused);
        respond(403, "text/plain", "HLS key of " + key->str() + " refused: " + refused + "\n");
        return;
    }
    auto stream = service.find(*key);
    auto found = stream ? stream->key(id) : nullptr;
    if (!found) {
        respond(404, "text/plain",
                "key " + std::string(id) + " of " + key->str() +
                    " is not available (its segments left the window, or HLS is not "
                    "encrypted)\n");
        return;
    }
    stream->touch();
    auto bytes =
        std::make_shared<const std::vector<std::uint8_t>>(found->bytes.begin(), found->bytes.end());
    if (viewer) {
        viewer->bytesOut += bytes->size();
    }
    respondBytes(std::move(bytes), "application/octet-stream", "no-store");
}

} // namespace stagecast::server::http
