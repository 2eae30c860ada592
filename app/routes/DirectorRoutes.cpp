#include "app/routes/DirectorRoutes.h"

#include <nlohmann/json.hpp>

#include "app/routes/DirectorInputJson.h"
#include "app/routes/DirectorLayoutJson.h"
#include "app/routes/DirectorTransitionJson.h"
#include "app/routes/JsonAnswer.h"
#include "director/LayoutJson.h"

namespace stagecast::app {

namespace api = server::api;
using nlohmann::json;

namespace {

api::ApiResponse statusResponse(const base::Status& ok) {
    if (!ok) {
        return api::errorResponse(400, ok.error().message());
    }
    return jsonResponse({{"ok", true}});
}

api::ApiResponse takeResponse(const base::Result<director::Take>& take) {
    if (!take) {
        return api::errorResponse(400, take.error().message());
    }
    json j{{"ok", true}};
    j["program_time_ms"] = take->programTime ? json(take->programTime->count()) : json(nullptr);
    j["lagged_frames"] = take->laggedFrames;
    return jsonResponse(j);
}

json layoutJson(const director::LayoutSpec& s) {
    return director::layoutToJson(s);
}

json overlaysJson(const std::vector<director::OverlaySpec>& overlays) {
    json out = json::array();
    for (const auto& o : overlays) {
        out.push_back(director::overlayToJson(o));
    }
    return out;
}

/// The preview stream's figures; {"enabled": false} when preview_output is off.
json encoderJson(const director::ProgramEncoder& e) {
    return {{"wanted", e.wanted},      {"id", e.id},
            {"note", e.note},          {"rate_control", e.rateControl},
            {"bitrate_kbps", e.kbps},  {"keyframe_interval_s", e.keyframeSeconds},
            {"available", e.available}};
}

json previewJson(const director::PreviewFigures& p) {
    if (!p.enabled) {
        return {{"enabled", false}};
    }
    return {{"enabled", true},
            {"stream", p.stream},
            {"width", p.width},
            {"height", p.height},
            {"fps", p.fps},
            {"active", p.output.active},
            {"frames", p.output.videoPackets},
            {"bytes", p.output.bytes},
            {"bitrate_kbps", p.bitrateKbps},
            {"lagged_frames", p.laggedFrames},
            {"last_error", p.output.lastError}};
}

/// The multiview's settings (as set) with its figures while it runs.
json multiviewJson(const director::DirectorState& s) {
    json j = director::multiviewToJson(s.multiviewSettings);
    if (s.multiview.enabled) {
        j["figures"] = previewJson(s.multiview);
    }
    return j;
}

json stateJson(const director::DirectorState& s) {
    json inputs = json::array();
    for (const auto& i : s.inputs) {
        inputs.push_back({{"stream", i.stream},
                          {"state", i.state},
                          {"video_frames", i.videoFrames},
                          {"audio_frames", i.audioFrames},
                          {"width", i.width},
                          {"height", i.height},
                          {"standby", i.standby},
                          {"volume", i.volume},
                          {"muted", i.muted},
                          {"on_program", i.onProgram},
                          {"on_preview", i.onPreview},
                          {"last_problem", i.lastProblem}});
        addAudioJson(inputs.back(), i);
    }
    json modules = json::array();
    for (const auto& m : s.modules) {
        modules.push_back(
            {{"module", m.module}, {"loaded", m.problem.empty()}, {"problem", m.problem}});
    }
    json state{
        {"running", true},
        {"canvas",
         {{"width", s.width},
          {"height", s.height},
          {"fps", s.fps},
          {"rendered_frames", s.renderedFrames},
          {"lagged_frames", s.laggedFrames},
          {"skipped_frames", s.skippedFrames}}},
        {"graphics",
         {{"window_system", s.windowSystem}, {"display", s.display}, {"renderer", s.renderer}}},
        {"program_stream", s.programStream},
        {"preview", s.hasPreview ? layoutJson(s.preview) : json(nullptr)},
        {"program", s.hasProgram ? layoutJson(s.program) : json(nullptr)},
        {"transitioning", s.transitioning},
        {"overlays", overlaysJson(s.overlays)},
        {"inputs", inputs},
        {"output",
         {{"active", s.output.active},
          {"video_packets", s.output.videoPackets},
          {"audio_packets", s.output.audioPackets},
          {"bytes", s.output.bytes},
          {"last_error", s.output.lastError}}},
        {"program_encoder", encoderJson(s.encoder)},
        {"preview_output", previewJson(s.previewOutput)},
        {"multiview", multiviewJson(s)},
        {"modules", modules},
        {"collection", {{"file", s.collectionFile}, {"problems", s.collectionProblems}}}};
    addTransitionJson(state, s);
    return state;
}

/// The request body as a JSON object; an empty body is an empty object.
base::Result<json> bodyObject(const api::ApiRequest& r) {
    if (r.body.empty()) {
        return json::object();
    }
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return base::fail("the body must be a JSON object");
    }
    return j;
}

base::Result<std::string> stringMember(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) {
        return base::fail(std::string(name) + ": a stream name APP/NAME is required");
    }
    return it->get<std::string>();
}

base::Result<director::LayoutSpec> layoutFrom(const json& j) {
    return director::layoutFromJson(j);
}

/// POST /overlay: a body with "kind" defines (or replaces) an item, {"id","remove":true}
/// removes it, {"id","on":bool} shows or hides it.
api::ApiResponse overlayRequest(director::Director& d, const json& body) {
    if (body.contains("kind")) {
        auto spec = director::overlayFromJson(body);
        return statusResponse(spec ? d.setOverlay(*spec) : base::Status(base::fail(spec.error())));
    }
    auto id = body.find("id");
    if (id == body.end() || !id->is_string()) {
        return api::errorResponse(400, "id: the overlay's name is required");
    }
    if (auto remove = body.find("remove");
        remove != body.end() && remove->is_boolean() && remove->get<bool>()) {
        return statusResponse(d.removeOverlay(id->get<std::string>()));
    }
    auto on = body.find("on");
    if (on == body.end() || !on->is_boolean()) {
        return api::errorResponse(400, "on: true or false is required (or \"kind\" to define "
                                       "the overlay, \"remove\":true to remove it)");
    }
    return statusResponse(d.showOverlay(id->get<std::string>(), on->get<bool>()));
}

} // namespace

template <typename Call>
api::ApiResponse DirectorRoutes::withDirector(Call call) {
    std::shared_lock lock(mutex_);
    if (director_ == nullptr) {
        return api::errorResponse(503, problem_);
    }
    return call(*director_);
}

void DirectorRoutes::attach(director::Director* director) {
    std::unique_lock lock(mutex_);
    director_ = director;
}

void DirectorRoutes::setProblem(std::string problem) {
    std::unique_lock lock(mutex_);
    problem_ = std::move(problem);
}

void DirectorRoutes::mount(api::ApiRouter& router) {
    const auto add = [&](std::string pattern, std::string method, api::ApiHandler handler) {
        api::ApiMount m;
        m.pattern = std::move(pattern);
        m.methods = {std::move(method)};
        m.handler = std::move(handler);
        router.mount(std::move(m));
    };
    add("/api/v1/director", "GET", [this](const api::ApiRequest&) {
        return withDirector(
            [](director::Director& d) { return jsonResponse(stateJson(d.state())); });
    });
    add("/api/v1/director/preview", "POST", [this](const api::ApiRequest& r) {
        auto body = bodyObject(r);
        if (!body) {
            return api::errorResponse(400, body.error().message());
        }
        if (body->contains("name") && !body->contains("layout") && !body->contains("input")) {
            const auto name = body->at("name");
            if (!name.is_string()) {
                return api::errorResponse(400, "name: the saved layout's name (a string)");
            }
            return withDirector([&](director::Director& d) {
                return statusResponse(d.recallLayout(name.get<std::string>()));
            });
        }
        auto spec = layoutFrom(*body);
        if (!spec) {
            return api::errorResponse(400, spec.error().message());
        }
        return withDirector(
            [&](director::Director& d) { return statusResponse(d.setPreview(*spec)); });
    });
    add("/api/v1/director/multiview", "POST", [this](const api::ApiRequest& r) {
        auto body = bodyObject(r);
        if (!body) {
            return api::errorResponse(400, body.error().message());
        }
        return withDirector([&](director::Director& d) {
            auto settings = director::multiviewFromJson(*body, d.state().multiviewSettings);
            if (!settings) {
                return api::errorResponse(400, settings.error().message());
            }
            return statusResponse(d.setMultiview(*settings));
        });
    });
    add("/api/v1/director/overlay", "POST", [this](const api::ApiRequest& r) {
        auto body = bodyObject(r);
        if (!body) {
            return api::errorResponse(400, body.error().message());
        }
        return withDirector([&](director::Director& d) { return overlayRequest(d, *body); });
    });
    add("/api/v1/director/cut", "POST", [this](const api::ApiRequest&) {
        return withDirector([](director::Director& d) { return takeResponse(d.cut()); });
    });
    add("/api/v1/director/auto", "POST", [this](const api::ApiRequest& r) {
        auto body = bodyObject(r);
        if (!body) {
            return api::errorResponse(400, body.error().message());
        }
        std::int64_t ms = 0;
        if (auto d = body->find("duration_ms"); d != body->end()) {
            if (!d->is_number_integer()) {
                return api::errorResponse(400, "duration_ms: an integer 0..60000");
            }
            ms = d->get<std::int64_t>();
        }
        auto oneOff = oneOffTransition(*body);
        if (!oneOff) {
            return api::errorResponse(400, oneOff.error().message());
        }
        return withDirector([&](director::Director& d) {
            return takeResponse(d.autoTransition(std::chrono::milliseconds(ms), *oneOff));
        });
    });
    add("/api/v1/director/audio", "POST", [this](const api::ApiRequest& r) {
        auto body = bodyObject(r);
        if (!body) {
            return api::errorResponse(400, body.error().message());
        }
        auto input = stringMember(*body, "input");
        if (!input) {
            return api::errorResponse(400, input.error().message());
        }
        std::optional<double> volume;
        std::optional<bool> muted;
        if (auto v = body->find("volume"); v != body->end()) {
            if (!v->is_number()) {
                return api::errorResponse(400, "volume: a number 0..4 (linear gain)");
            }
            volume = v->get<double>();
        }
        if (auto m = body->find("muted"); m != body->end()) {
            if (!m->is_boolean()) {
                return api::errorResponse(400, "muted: true or false");
            }
            muted = m->get<bool>();
        }
        const bool routing = hasAudioRouting(*body);
        if (!volume && !muted && !routing) {
            return api::errorResponse(400, "give \"volume\" (0..4), \"muted\", \"follow_video\" "
                                           "or \"monitor\" (true, false) or \"sync_offset_ms\"");
        }
        return withDirector([&](director::Director& d) {
            if (volume || muted) {
                if (auto ok = d.setAudio(*input, volume, muted); !ok || !routing) {
                    return statusResponse(ok);
                }
            }
            auto answer = setAudioRouting(d, *input, *body);
            return answer ? jsonResponse(*answer)
                          : api::errorResponse(400, answer.error().message());
        });
    });
    add("/api/v1/director/transition", "POST", [this](const api::ApiRequest& r) {
        auto body = bodyObject(r);
        if (!body) {
            return api::errorResponse(400, body.error().message());
        }
        return withDirector([&](director::Director& d) { return setTransition(d, *body); });
    });
    add("/api/v1/director/tbar", "GET", [this](const api::ApiRequest&) {
        return withDirector([](director::Director& d) { return getTbar(d); });
    });
    add("/api/v1/director/tbar", "POST", [this](const api::ApiRequest& r) {
        auto body = bodyObject(r);
        if (!body) {
            return api::errorResponse(400, body.error().message());
        }
        return withDirector([&](director::Director& d) { return moveTbar(d, *body); });
    });
    mountInputs(add);
    namespace lay = director_layouts;
    add("/api/v1/director/layouts", "GET", [this](const api::ApiRequest&) {
        return withDirector([](director::Director& d) { return lay::list(d); });
    });
    add("/api/v1/director/layouts/*", "PUT", [this](const api::ApiRequest& r) {
        return withDirector([&r](director::Director& d) { return lay::put(d, r); });
    });
    add("/api/v1/director/layouts/*", "DELETE", [this](const api::ApiRequest& r) {
        return withDirector([&r](director::Director& d) { return lay::remove(d, r); });
    });
}

template <typename Add>
void DirectorRoutes::mountInputs(Add add) {
    namespace in = director_inputs;
    add("/api/v1/director/inputs", "GET", [this](const api::ApiRequest&) {
        return withDirector([](director::Director& d) { return in::list(d); });
    });
    add("/api/v1/director/inputs", "POST", [this](const api::ApiRequest& r) {
        return withDirector([&r](director::Director& d) { return in::create(d, r); });
    });
    // A director input (`color:x`) or a hub stream's input (`live/cam`).
    for (const char* pattern : {"/api/v1/director/inputs/*", "/api/v1/director/inputs/*/*"}) {
        add(pattern, "DELETE", [this](const api::ApiRequest& r) {
            return withDirector(
                [&r](director::Director& d) { return in::remove(d, in::inputIdOf(r, "")); });
        });
    }
    add("/api/v1/director/capture", "GET", [this](const api::ApiRequest&) {
        return withDirector([](director::Director& d) { return in::capture(d); });
    });
    for (const char* pattern :
         {"/api/v1/director/inputs/*/backup", "/api/v1/director/inputs/*/*/backup"}) {
        add(pattern, "POST", [this](const api::ApiRequest& r) {
            return withDirector([&r](director::Director& d) {
                return in::backup(d, in::inputIdOf(r, "backup"), r);
            });
        });
    }
    for (const char* pattern :
         {"/api/v1/director/inputs/*/thumbnail.jpg", "/api/v1/director/inputs/*/*/thumbnail.jpg"}) {
        add(pattern, "GET", [this](const api::ApiRequest& r) {
            return withDirector([&r](director::Director& d) {
                return in::thumbnail(d, in::inputIdOf(r, "thumbnail.jpg"));
            });
        });
    }
}

} // namespace stagecast::app
