// HLS over the HTTP session: /APP/STREAM.m3u8 (with viewer sessions) and /APP/STREAM/SEQ.ts.
//
// A first playlist request (signed when play auth is on) opens a viewer session and is
// redirected to the same playlist with ?hls_session=ID; the playlist's segment URIs carry the
// id too, so every later request is authorised by the session and counted to one viewer.

#include <algorithm>
#include <array>
#include <charconv>

#include <boost/asio/write.hpp>

#include "base/Log.h"
#include "server/UrlParts.h"
#include "server/auth/SignedUrl.h"
#include "server/hls/HlsService.h"
#include "server/http/HttpSession.h"
#include "server/http/ResponseHead.h"

namespace stagecast::server::http {

namespace bhttp = boost::beast::http;

namespace {

constexpr auto kPlaylistType = "application/vnd.apple.mpegurl";
constexpr auto kPollEvery = std::chrono::milliseconds(100);

std::string_view lastSegment(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace

hls::VariantQuery HttpSession::variantSigner(std::string_view query) const {
    const auto& access = ctx_.access.options();
    if (!access.playAuth) {
        return {};
    }
    // Each variant playlist is signed for its own path and expires when the URL of the
    // multi-variant playlist does: holding one never extends what the signer granted.
    auto authKey = auth::queryParam(query, "auth_key").value_or("");
    std::int64_t expires = 0;
    std::from_chars(authKey.data(), authKey.data() + authKey.size(), expires);
    return [keys = access.keys, expires](const stream::StreamKey& variant) {
        return "?auth_key=" +
               auth::makeAuthKey("/" + variant.str() + ".m3u8", expires, "0", "abr", keys);
    };
}

void HttpSession::serveHlsPlaylist(const Request& request, std::string_view path,
                                   std::string_view query) {
    auto& service = *ctx_.hls;
    if (auto source = hls::dvrPlaylistSource(path);
        source && (service.dvr() != nullptr || !service.dvrRefusal().empty())) {
        serveDvrPlaylist(request, *source, path, query); // /APP/STREAM_dvr.m3u8 (DVR on)
        return;
    }
    if (auto source = hls::multiVariantSource(path)) {
        // /APP/STREAM_abr.m3u8: the renditions' playlists, allowed like the source's own.
        auto allowed = ctx_.access.check(Action::Play, *source, path, query, address_, unixNow());
        auto text = allowed ? service.multiVariant().playlist(*source, variantSigner(query))
                            : base::Result<std::string>(base::fail(allowed.error()));
        respond(allowed ? (text ? 200 : 404) : 403, text ? kPlaylistType : "text/plain",
                text ? *text : text.error().message() + "\n");
        return;
    }
    // /APP/STREAM.m3u8, or /APP/STREAM/ll.m3u8 for LL-HLS
    // (names have no '/': "/live/ll.m3u8" is the MPEG-TS playlist of the stream live/ll)
    const bool ll = path.ends_with("/ll.m3u8") && std::count(path.begin(), path.end(), '/') == 3;
    auto key = stream::StreamKey::parse(path.substr(1, path.size() - 1 - (ll ? 8 : 5)));
    if (!key) {
        respond(404, "text/plain", "not found: " + key.error().message() + "\n");
        return;
    }
    if (ll && service.options().encrypt) {
        // fMP4 encryption (SAMPLE-AES/cbcs) is not built: never LL-HLS in the clear instead.
        respond(404, "text/plain",
                "LL-HLS is not served while hls.encrypt is on: play " + key->str() + ".m3u8\n");
        return;
    }
    auto sessionId = auth::queryParam(query, "hls_session");
    std::shared_ptr<ClientInfo> viewer;
    if (sessionId) {
        viewer = service.sessions().touch(*sessionId, *key);
        if (!viewer && ctx_.options.access.playAuth) {
            respond(403, "text/plain",
                    "unknown or expired HLS session: request the signed playlist URL again\n");
            return;
        }
    }
    if (!viewer) {
        auto allowed = ctx_.access.check(Action::Play, *key, path, query, address_, unixNow());
        if (!allowed) {
            auto reason = "play refused: " + allowed.error().message();
            base::log(base::LogLevel::Warning, "hls",
                      "client " + std::to_string(client_->id) + " (" + address_ + ") " +
                          key->str() + ": " + reason);
            ctx_.hub.report({stream::HubEventType::AuthDenied,
                             {},
                             key->str(),
                             client_->id,
                             "hls",
                             address_,
                             reason});
            respond(403, "text/plain", reason + "\n");
            return;
        }
        auto started = service.acquire(*key);
        if (!started) {
            respond(404, "text/plain",
                    "no HLS for " + key->str() + ": " + started.error().message() + "\n");
            return;
        }
        auto opened =
            service.sessions().open(*key, address_, std::string(request[bhttp::field::user_agent]));
        if (!opened) {
            respond(503, "text/plain", opened.error().message() + "\n");
            return;
        }
        // Relative, so it works behind a reverse proxy that adds a path prefix.
        auto location = std::string(lastSegment(path)) + "?hls_session=" + *opened;
        respond(302, "text/plain", "HLS session opened: " + location + "\n", true,
                {{bhttp::field::location, location}});
        return;
    }
    auto stream = service.acquire(*key);
    if (!stream) {
        respond(404, "text/plain",
                "no HLS for " + key->str() + ": " + stream.error().message() + "\n");
        return;
    }
    (*stream)->touch();
    if (ll) {
        serveLlPlaylist(*stream, *sessionId, query);
        return;
    }
    auto wait =
        std::chrono::milliseconds(service.options().segmentTarget * 3) + std::chrono::seconds(2);
    waitForHlsPlaylist(*stream, *sessionId, std::chrono::steady_clock::now() + wait);
}

void HttpSession::waitForHlsPlaylist(std::shared_ptr<hls::HlsStream> stream, std::string sessionId,
                                     std::chrono::steady_clock::time_point deadline) {
    // A packager that just started has no segment yet: wait (without blocking the thread)
    // until two are complete, so a player does not start on the live edge and stall.
    auto now = std::chrono::steady_clock::now();
    auto enough = std::min<std::size_t>(2, ctx_.hls->options().windowSegments);
    if (stream->completeSegments() < enough && now < deadline && !stream->ended()) {
        if (!hlsWait_) {
            hlsWait_.emplace(stream_.get_executor());
        }
        hlsWait_->expires_after(kPollEvery);
        hlsWait_->async_wait([self = shared_from_this(), stream, sessionId = std::move(sessionId),
                              deadline](const boost::system::error_code& ec) mutable {
            if (ec || self->closed_) {
                return;
            }
            self->waitForHlsPlaylist(std::move(stream), std::move(sessionId), deadline);
        });
        return;
    }
    auto name = stream->key().name();
    // Reloads between two segments on this connection send the same spliced text again.
    auto text =
        playlistCache_.get(stream->playlist(std::string(name) + "/"), "?hls_session=" + sessionId);
    if (!text) {
        respond(503, "text/plain",
                "HLS for " + stream->key().str() + " has no segment yet (is a keyframe arriving?" +
                    (ctx_.hls->options().encrypt ? " are its keys being stored? see the log" : "") +
                    "): retry shortly\n",
                true, {{bhttp::field::retry_after, "2"}});
        return;
    }
    auto body = boost::asio::buffer(*text);
    respondHeld(std::move(text), body, kPlaylistType, "no-cache", true);
}

void HttpSession::serveHlsSegment(std::string_view path, std::string_view query) {
    auto& service = *ctx_.hls;
    // /APP/STREAM/SEQ.ts
    auto file = lastSegment(path);
    auto keyText = path.substr(1, path.size() - 1 - file.size() - 1);
    auto key = stream::StreamKey::parse(keyText);
    std::uint64_t sequence = 0;
    auto digits = file.substr(0, file.size() - 3);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
    if (!key || digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        respond(404, "text/plain", "not found: " + std::string(path) + "\n");
        return;
    }
    std::shared_ptr<ClientInfo> viewer;
    if (!hlsViewer(*key, query, "segment", viewer)) {
        return;
    }
    auto stream = service.find(*key);
    auto segment = stream ? stream->segment(sequence) : nullptr;
    if (!segment) {
        respond(404, "text/plain",
                "segment " + std::to_string(sequence) + " of " + key->str() +
                    " is not available (it left the live window or does not exist yet)\n");
        return;
    }
    stream->touch();
    if (viewer) {
        viewer->bytesOut += segment->data->size();
    }
    respondSegment(std::move(segment));
}

bool HttpSession::hlsViewer(const stream::StreamKey& key, std::string_view query,
                            std::string_view what, std::shared_ptr<ClientInfo>& viewer) {
    auto sessionId = auth::queryParam(query, "hls_session");
    viewer = sessionId ? ctx_.hls->sessions().touch(*sessionId, key) : nullptr;
    if (!viewer && ctx_.options.access.playAuth) {
        respond(403, "text/plain",
                std::string(what) + " of " + key.str() +
                    " needs a valid hls_session: request the signed playlist URL again\n");
        return false;
    }
    return true;
}

void HttpSession::respondSegment(std::shared_ptr<const hls::HlsSegment> segment) {
    // A segment never changes once listed: caches and players may keep it.
    respondBytes(segment->data, "video/mp2t", "public, max-age=3600, immutable");
}

void HttpSession::respondBytes(std::shared_ptr<const std::vector<std::uint8_t>> data,
                               std::string_view contentType, std::string_view cacheControl) {
    auto body = boost::asio::buffer(*data);
    respondHeld(std::move(data), body, contentType, cacheControl, false);
}

void HttpSession::respondHeld(std::shared_ptr<const void> hold, boost::asio::const_buffer body,
                              std::string_view contentType, std::string_view cacheControl,
                              bool corsMethods) {
    const bool keep = parser_ && parser_->get().keep_alive();
    writeOkHead(head_, {ctx_.options.version, ctx_.options.corsOrigin, corsMethods, contentType,
                        cacheControl, body.size(), keep});
    bodyHold_ = std::move(hold);
    const std::array<boost::asio::const_buffer, 2> buffers{boost::asio::buffer(head_), body};
    stream_.expires_after(std::chrono::seconds(30));
    // Everything left in each write (asio's default completion condition stops every write
    // at 64 KiB: ten round trips through the reactor for a 650 KB segment).
    const auto total = head_.size() + body.size();
    boost::asio::async_write(
        stream_, buffers,
        [total](const boost::system::error_code& ec, std::size_t sent) -> std::size_t {
            return ec ? 0 : total - sent;
        },
        [self = shared_from_this(), keep](const boost::system::error_code& ec, std::size_t n) {
            self->onWritten(ec, n, keep);
        });
}

} // namespace stagecast::server::http
