// LL-HLS over the HTTP session (rfc8216bis): /APP/STREAM/ll.m3u8 with blocking playlist
// reload (_HLS_msn, _HLS_part), and /APP/STREAM/ll/{init-V.mp4, MSN.m4s, MSN.PART.m4s}
// where a request for the part named by the preload hint is held until the part exists.
// Sessions and play auth as for MPEG-TS HLS (HlsHttp.cpp): the playlist is reached through
// the same signed first request and hls_session redirect.

#include <charconv>

#include <boost/asio/post.hpp>

#include "server/ServerContext.h"
#include "server/auth/SignedUrl.h"
#include "server/hls/HlsService.h"
#include "server/http/HttpSession.h"

namespace stagecast::server::http {

namespace bhttp = boost::beast::http;

namespace {

constexpr auto kPlaylistType = "application/vnd.apple.mpegurl";

template <typename T>
std::optional<T> number(std::string_view text) {
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

struct MediaName {
    enum class Kind : std::uint8_t { Init, Segment, Part } kind = Kind::Segment;
    std::uint64_t msn = 0;
    std::uint32_t part = 0;
    std::uint32_t version = 0;
};

/// "init-3.mp4", "12.m4s", "12.2.m4s".
std::optional<MediaName> parseName(std::string_view file) {
    MediaName n;
    if (file.starts_with("init-") && file.ends_with(".mp4")) {
        auto v = number<std::uint32_t>(file.substr(5, file.size() - 9));
        if (!v) {
            return std::nullopt;
        }
        n.kind = MediaName::Kind::Init;
        n.version = *v;
        return n;
    }
    if (!file.ends_with(".m4s")) {
        return std::nullopt;
    }
    file.remove_suffix(4);
    auto dot = file.find('.');
    auto msn = number<std::uint64_t>(file.substr(0, dot));
    if (!msn) {
        return std::nullopt;
    }
    n.msn = *msn;
    if (dot != std::string_view::npos) {
        auto part = number<std::uint32_t>(file.substr(dot + 1));
        if (!part) {
            return std::nullopt;
        }
        n.kind = MediaName::Kind::Part;
        n.part = *part;
    }
    return n;
}

} // namespace

void HttpSession::serveLlPlaylist(std::shared_ptr<hls::HlsStream> stream,
                                  const std::string& sessionId, std::string_view query) {
    if (!stream->lowLatency()) {
        respond(404, "text/plain", "LL-HLS is off (hls.low_latency = false)\n");
        return;
    }
    auto msnText = auth::queryParam(query, "_HLS_msn");
    auto partText = auth::queryParam(query, "_HLS_part");
    std::optional<std::uint64_t> msn;
    std::optional<std::uint32_t> part;
    if (msnText) {
        msn = number<std::uint64_t>(*msnText);
    }
    if (partText) {
        part = number<std::uint32_t>(*partText);
    }
    if ((msnText && !msn) || (partText && !part) || (part && !msn)) {
        respond(400, "text/plain",
                "_HLS_msn must be a segment number, _HLS_part a part number (and only with "
                "_HLS_msn)\n");
        return;
    }
    // A request more than two segments ahead of the live edge cannot be a player in step.
    if (msn && *msn > stream->llLiveMsn() + 2) {
        respond(400, "text/plain",
                "_HLS_msn=" + std::to_string(*msn) +
                    " is more than two segments after the live edge (" +
                    std::to_string(stream->llLiveMsn()) + ")\n");
        return;
    }
    const auto& options = ctx_.hls->options();
    // A blocking reload is held for up to three target durations (the spec's advice); a
    // first load waits for the first part of a packager that just started.
    const auto wait = msn ? options.segmentTarget * 3
                          : options.segmentTarget * 3 + std::chrono::milliseconds(2000);
    auto suffix = "?hls_session=" + sessionId;
    waitForLl(
        stream,
        [stream, msn, part] {
            return msn ? stream->llHas(*msn, part) : stream->llPlaylist("", "").has_value();
        },
        [this, stream, suffix] {
            auto text = stream->llPlaylist("ll/", suffix);
            if (!text) {
                respond(503, "text/plain",
                        "LL-HLS for " + stream->key().str() +
                            " has no part yet (is a keyframe arriving?): retry shortly\n",
                        true, {{bhttp::field::retry_after, "1"}});
                return;
            }
            respond(200, kPlaylistType, std::move(*text));
        },
        std::chrono::steady_clock::now() + wait);
}

void HttpSession::serveLlMedia(std::string_view path, std::string_view query) {
    auto& service = *ctx_.hls;
    // /APP/STREAM/ll/NAME
    auto slash = path.rfind('/');
    auto file = path.substr(slash + 1);
    auto keyText = path.substr(1, slash - 1 - 3); // without "/ll"
    auto key = stream::StreamKey::parse(keyText);
    auto name = parseName(file);
    if (!key || !name || !path.substr(0, slash).ends_with("/ll")) {
        respond(404, "text/plain", "not found: " + std::string(path) + "\n");
        return;
    }
    std::shared_ptr<ClientInfo> viewer;
    if (!hlsViewer(*key, query, "LL-HLS media", viewer)) {
        return;
    }
    auto stream = service.find(*key);
    if (!stream || !stream->lowLatency()) {
        respond(404, "text/plain", "no LL-HLS for " + key->str() + "\n");
        return;
    }
    stream->touch();
    auto send = [this, viewer](std::shared_ptr<const std::vector<std::uint8_t>> data,
                               std::string_view cache) {
        if (viewer) {
            viewer->bytesOut += data->size();
        }
        respondBytes(std::move(data), "video/mp4", cache);
    };
    constexpr auto kImmutable = "public, max-age=3600, immutable";
    if (name->kind == MediaName::Kind::Init) {
        if (auto init = stream->llInit(name->version)) {
            send(std::move(init), kImmutable);
            return;
        }
    } else if (name->kind == MediaName::Kind::Segment) {
        if (auto segment = stream->llSegment(name->msn)) {
            send(std::move(segment), kImmutable);
            return;
        }
    } else if (auto part = stream->llPart(name->msn, name->part)) {
        send(part->data, kImmutable);
        return;
    } else {
        // The part the preload hint names (the next one of the live segment, or the first of
        // the next segment) is held until it exists.
        const auto live = stream->llLiveMsn();
        const bool next = (name->msn == live && name->part == stream->llNextPart()) ||
                          (name->msn == live + 1 && name->part == 0);
        if (next) {
            const auto msn = name->msn;
            const auto index = name->part;
            waitForLl(
                stream, [stream, msn, index] { return stream->llHas(msn, index); },
                [this, stream, msn, index, send] {
                    if (auto ready = stream->llPart(msn, index)) {
                        send(ready->data, kImmutable);
                        return;
                    }
                    respond(404, "text/plain",
                            "part " + std::to_string(msn) + "." + std::to_string(index) + " of " +
                                stream->key().str() + " did not appear in time\n");
                },
                std::chrono::steady_clock::now() + service.options().segmentTarget * 3);
            return;
        }
    }
    respond(404, "text/plain",
            std::string(file) + " of " + key->str() +
                " is not available (it left the live window or does not exist yet)\n");
}

void HttpSession::waitForLl(std::shared_ptr<hls::HlsStream> stream, std::function<bool()> ready,
                            std::function<void()> answer,
                            std::chrono::steady_clock::time_point deadline) {
    // Register first, then look: a part made between the two still wakes us.
    const auto generation = ++llWaitGeneration_;
    std::weak_ptr<HttpSession> weak = shared_from_this();
    stream->whenChanged([weak, generation] {
        if (auto self = weak.lock()) {
            boost::asio::post(self->stream_.get_executor(), [self, generation] {
                if (self->llWaitGeneration_ == generation && self->hlsWait_) {
                    self->hlsWait_->cancel();
                }
            });
        }
    });
    if (ready() || std::chrono::steady_clock::now() >= deadline || stream->ended()) {
        ++llWaitGeneration_; // a late wake-up must not cancel a later wait
        answer();
        return;
    }
    if (!hlsWait_) {
        hlsWait_.emplace(stream_.get_executor());
    }
    hlsWait_->expires_at(deadline);
    hlsWait_->async_wait([self = shared_from_this(), stream = std::move(stream),
                          ready = std::move(ready), answer = std::move(answer),
                          deadline](const boost::system::error_code& ec) mutable {
        if (self->closed_ || (ec && ec != boost::asio::error::operation_aborted)) {
            return;
        }
        self->waitForLl(std::move(stream), std::move(ready), std::move(answer), deadline);
    });
}

} // namespace stagecast::server::http
