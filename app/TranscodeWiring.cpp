#include "app/TranscodeWiring.h"

#include <cmath>

#include "base/Log.h"
#include "server/api/ApiRouter.h"

namespace stagecast::app {

namespace tc = media::transcode;
namespace api = server::api;
using nlohmann::json;

namespace {

api::ApiResponse jsonResponse(unsigned status, const json& value) {
    api::ApiResponse r;
    r.status = status;
    r.body = value.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

/// RFC 6381 name of the source's AAC (passed through to every rendition).
std::string audioCodecs(const stream::AudioTrackInfo& audio) {
    if (audio.codec != "aac") {
        return {};
    }
    if (audio.profile == "HE-AAC") {
        return "mp4a.40.5";
    }
    if (audio.profile == "HE-AACv2") {
        return "mp4a.40.29";
    }
    return "mp4a.40.2";
}

std::string joinCodecs(const std::string& video, const std::string& audio) {
    if (video.empty() || audio.empty()) {
        return video.empty() ? audio : video;
    }
    return video + "," + audio;
}

} // namespace

tc::TranscodeManagerOptions transcodeOptions(const config::TranscodeConfig& config) {
    tc::TranscodeManagerOptions o;
    o.transcoder.preset = config.preset;
    o.transcoder.threads = static_cast<int>(config.threads);
    o.transcoder.queue = config.queue;
    o.maxTranscodes = config.maxTranscodes;
    for (const auto& r : config.rules) {
        o.rules.push_back(
            {r.pattern, r.renditions, tc::parseRateMode(r.mode).value_or(tc::RateMode::Fixed)});
    }
    return o;
}

json transcodeJson(const tc::TranscoderStatus& s) {
    auto renditions = json::array();
    for (const auto& r : s.renditions) {
        renditions.push_back({{"name", r.name},
                              {"stream", r.stream},
                              {"width", r.width},
                              {"height", r.height},
                              {"live", r.live},
                              {"codecs", r.codecs},
                              {"video_kbps", r.tmpl.videoKbps},
                              {"maxrate_kbps", r.tmpl.maxrateKbps},
                              {"profile", r.tmpl.profile},
                              {"fps", std::round(r.fps * 100) / 100},
                              {"speed", std::round(r.speed * 100) / 100},
                              {"encoded_frames", r.encodedFrames},
                              {"dropped_frames", r.droppedFrames},
                              {"dropped_gops", r.droppedGops},
                              {"queued_frames", r.queuedFrames},
                              {"last_error", r.lastError}});
    }
    auto skipped = json::array();
    for (const auto& k : s.skipped) {
        skipped.push_back({{"name", k.name}, {"reason", k.reason}});
    }
    return {{"stream", s.source},
            {"origin", s.origin},
            {"mode", tc::toString(s.mode)},
            {"state", s.state},
            {"requested", s.requested},
            {"source",
             {{"width", s.sourceWidth},
              {"height", s.sourceHeight},
              {"fps", s.sourceFrameRate},
              {"codecs", s.sourceCodecs}}},
            {"renditions", renditions},
            {"skipped", skipped},
            {"decoded_frames", s.decodedFrames},
            {"decode_errors", s.decodeErrors},
            {"source_skips", s.sourceSkips},
            {"behind", s.behind},
            {"behind_events", s.behindEvents},
            {"last_error", s.lastError},
            {"multivariant", "/" + s.source + "_abr.m3u8"}};
}

Transcodes::Transcodes(const config::TranscodeConfig& config, server::Server& server,
                       monitor::AlertEngine& alerts)
    : server_(server),
      manager_(server.hub(), transcodeOptions(config),
               [&server, &alerts](const tc::TranscodeEvent& e) {
                   if (e.type == "transcode_behind") {
                       alerts.raise(e.stream, monitor::AlertKind::TranscodeBehind, e.detail);
                   } else if (e.type == "transcode_caught_up" || e.type == "transcode_ended") {
                       alerts.clear(e.stream, monitor::AlertKind::TranscodeBehind);
                   }
                   server.events().publish(
                       "transcodes",
                       json{{"event", e.type}, {"stream", e.stream}, {"detail", e.detail}}.dump(
                           -1, ' ', false, json::error_handler_t::replace));
               }) {}

Transcodes::~Transcodes() {
    stop();
}

void Transcodes::mount() {
    auto& router = server_.api();
    router.mount(
        {"/api/v1/transcodes", {"GET"}, [this](const api::ApiRequest&) { return list(); }});
    router.mount(
        {"/api/v1/transcodes", {"POST"}, [this](const api::ApiRequest& r) { return create(r); }});
    router.mount({"/api/v1/transcodes/*/*", {"GET", "DELETE"}, [this](const api::ApiRequest& r) {
                      return remove(r);
                  }});
    server_.hls().multiVariant().setProvider(
        [this](const stream::StreamKey& source) { return variants(source); });
    server_.hub().addListener(this);
    listening_ = true;
}

void Transcodes::stop() {
    if (listening_) {
        server_.hub().removeListener(this);
        listening_ = false;
    }
    manager_.stopAll();
}

void Transcodes::onHubEvent(const stream::HubEvent& event) {
    if (event.type == stream::HubEventType::Published) {
        manager_.onPublished(event.stream, event.protocol);
    }
}

api::ApiResponse Transcodes::list() const {
    auto all = json::array();
    for (const auto& s : manager_.status()) {
        all.push_back(transcodeJson(s));
    }
    return jsonResponse(200, {{"transcodes", all}});
}

api::ApiResponse Transcodes::create(const api::ApiRequest& request) {
    const auto body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("stream") || !body["stream"].is_string()) {
        return api::errorResponse(
            400, R"(body must be {"stream":"APP/NAME","renditions":["720p",...],"mode":"fixed"})");
    }
    auto key = stream::StreamKey::parse(body["stream"].get<std::string>());
    if (!key) {
        return api::errorResponse(400, "stream: " + key.error().message());
    }
    std::vector<std::string> names;
    if (auto it = body.find("renditions"); it != body.end()) {
        if (!it->is_array()) {
            return api::errorResponse(400, "renditions: must be an array of template names");
        }
        for (const auto& n : *it) {
            if (!n.is_string()) {
                return api::errorResponse(400, "renditions: must be an array of template names");
            }
            names.push_back(n.get<std::string>());
        }
    }
    auto mode = tc::parseRateMode(body.value("mode", std::string("fixed")));
    if (!mode) {
        return api::errorResponse(400, mode.error().message());
    }
    if (auto templates = tc::templatesOf(names); !templates) {
        return api::errorResponse(400, templates.error().message());
    }
    auto started = manager_.start(*key, names, *mode);
    if (!started) {
        return api::errorResponse(409, started.error().message());
    }
    return jsonResponse(201, transcodeJson(*started));
}

api::ApiResponse Transcodes::remove(const api::ApiRequest& request) {
    auto key = stream::StreamKey::make(request.segments.at(3), request.segments.at(4));
    if (!key) {
        return api::errorResponse(404, key.error().message());
    }
    if (request.method == "GET") {
        auto s = manager_.status(*key);
        return s ? jsonResponse(200, transcodeJson(*s))
                 : api::errorResponse(404, "no transcode of " + key->str());
    }
    if (auto ok = manager_.stop(*key); !ok) {
        return api::errorResponse(404, ok.error().message());
    }
    api::ApiResponse r;
    r.status = 204;
    return r;
}

std::vector<server::hls::VariantEntry> Transcodes::variants(const stream::StreamKey& source) const {
    std::vector<server::hls::VariantEntry> out;
    auto status = manager_.status(source);
    auto snap = server_.hub().snapshot(source);
    if (!status || !snap || !snap->live) {
        return out;
    }
    const auto audio = audioCodecs(snap->audio);
    // The source: measured rates (its encoder's peak is unknown; a quarter above the average).
    const auto average = static_cast<std::uint64_t>(snap->videoBitrate + snap->audioBitrate);
    out.push_back({source, average + average / 4, average, snap->video.width, snap->video.height,
                   joinCodecs(status->sourceCodecs, audio),
                   snap->video.nominalFrameRate > 0 ? snap->video.nominalFrameRate
                                                    : status->sourceFrameRate});
    for (const auto& r : status->renditions) {
        auto key = stream::StreamKey::parse(r.stream);
        if (!r.live || !key) {
            continue;
        }
        out.push_back({*key, tc::peakBandwidth(r.tmpl), tc::averageBandwidth(r.tmpl), r.width,
                       r.height, joinCodecs(r.codecs, audio), status->sourceFrameRate});
    }
    if (out.size() == 1) {
        out.clear(); // the source alone is not a ladder
    }
    return out;
}

} // namespace stagecast::app
