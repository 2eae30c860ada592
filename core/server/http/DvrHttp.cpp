// The DVR (time-shift) window over the HTTP session: /APP/STREAM_dvr.m3u8 and its segments
// /APP/STREAM/dvr/ID/SEQ.ts. Sessions and play auth as for the live playlist (HlsHttp.cpp):
// the first request (signed over /APP/STREAM_dvr.m3u8 when play auth is on) opens a viewer
// session of APP/STREAM and is redirected to ?hls_session=ID, which every segment URI carries.
// Segments still in memory are served from it; older ones are read from disk on the worker
// pool and written back on this session's thread.

#include <boost/asio/post.hpp>

#include "base/Log.h"
#include "server/UrlParts.h"
#include "server/auth/SignedUrl.h"
#include "server/hls/DvrStream.h"
#include "server/hls/HlsService.h"
#include "server/http/HttpSession.h"

namespace stagecast::server::http {

namespace bhttp = boost::beast::http;

namespace {

constexpr auto kPlaylistType = "application/vnd.apple.mpegurl";
// A DVR segment URL names one window (its id) and one segment: its bytes never change.
constexpr auto kSegmentCache = "public, max-age=86400, immutable";

std::string_view fileName(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace

void HttpSession::serveDvrPlaylist(const Request& request, const stream::StreamKey& key,
                                   std::string_view path, std::string_view query) {
    auto& service = *ctx_.hls;
    if (service.dvr() == nullptr) {
        respond(404, "text/plain",
                service.dvrRefusal() + ": play " + key.name() + ".m3u8 (the live window)\n");
        return;
    }
    auto sessionId = auth::queryParam(query, "hls_session");
    std::shared_ptr<ClientInfo> viewer;
    if (sessionId) {
        viewer = service.sessions().touch(*sessionId, key);
        if (!viewer && ctx_.options.access.playAuth) {
            respond(403, "text/plain",
                    "unknown or expired HLS session: request the signed playlist URL again\n");
            return;
        }
    }
    auto window = service.dvr()->find(key);
    if (!window) {
        respond(404, "text/plain",
                "no DVR window for " + key.str() +
                    ": it was not published since the studio started, or its window expired\n");
        return;
    }
    if (!viewer) {
        auto allowed = ctx_.access.check(Action::Play, key, path, query, address_, unixNow());
        if (!allowed) {
            auto reason = "play refused: " + allowed.error().message();
            base::log(base::LogLevel::Warning, "hls",
                      "client " + std::to_string(client_->id) + " (" + address_ + ") " + key.str() +
                          " DVR: " + reason);
            ctx_.hub.report({stream::HubEventType::AuthDenied,
                             {},
                             key.str(),
                             client_->id,
                             "hls",
                             address_,
                             reason});
            respond(403, "text/plain", reason + "\n");
            return;
        }
        auto opened =
            service.sessions().open(key, address_, std::string(request[bhttp::field::user_agent]));
        if (!opened) {
            respond(503, "text/plain", opened.error().message() + "\n");
            return;
        }
        auto location = std::string(fileName(path)) + "?hls_session=" + *opened;
        respond(302, "text/plain", "HLS session opened: " + location + "\n", true,
                {{bhttp::field::location, location}});
        return;
    }
    auto status = window->status();
    if (!status.recording) {
        respond(404, "text/plain", "DVR stopped for " + key.str() + ": " + status.reason + "\n");
        return;
    }
    auto text =
        window->playlist(key.name() + "/dvr/" + window->id() + "/", "?hls_session=" + *sessionId);
    if (!text) {
        respond(503, "text/plain", "the DVR window of " + key.str() + " has no segment yet\n", true,
                {{bhttp::field::retry_after, "2"}});
        return;
    }
    respond(200, kPlaylistType, std::move(*text)); // Cache-Control: no-cache
}

void HttpSession::serveDvrSegment(const hls::DvrSegmentPath& segment, std::string_view query) {
    auto* dvr = ctx_.hls->dvr();
    std::shared_ptr<ClientInfo> viewer;
    if (!hlsViewer(segment.key, query, "DVR segment", viewer)) {
        return;
    }
    auto window = dvr != nullptr ? dvr->find(segment.key) : nullptr;
    if (!window || window->id() != segment.id) {
        respond(404, "text/plain",
                "DVR window " + segment.id + " of " + segment.key.str() + " is not kept\n");
        return;
    }
    auto sequence = segment.sequence;
    const bool queued = window->read(sequence, [self = shared_from_this(), viewer, sequence,
                                                name = segment.key.str()](auto data) {
        // Called here (from memory) or on a worker thread (from disk): answer on our own.
        boost::asio::post(self->stream_.get_executor(), [self, viewer, sequence, name, data] {
            if (self->closed_) {
                return;
            }
            if (!data) {
                self->respond(404, "text/plain",
                              "DVR segment " + std::to_string(sequence) + " of " + name +
                                  " is not in the window (it left it, or does not exist yet)\n");
                return;
            }
            if (viewer) {
                viewer->bytesOut += data->size();
            }
            self->respondBytes(data, "video/mp2t", kSegmentCache);
        });
    });
    if (!queued) {
        respond(503, "text/plain",
                "DVR segment " + std::to_string(sequence) + " of " + segment.key.str() + ": " +
                    std::to_string(hls::DvrStream::kMaxQueuedReads) +
                    " disk reads of this window are queued already; try again\n",
                true, {{boost::beast::http::field::retry_after, "1"}});
    }
}

} // namespace stagecast::server::http
