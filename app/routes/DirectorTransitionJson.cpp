#include "app/routes/DirectorTransitionJson.h"

#include "director/LayoutJson.h"
#include "director/TransitionJson.h"

namespace stagecast::app {

namespace api = server::api;
using nlohmann::json;

namespace {

api::ApiResponse jsonAnswer(const json& value) {
    api::ApiResponse r;
    r.body = value.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

} // namespace

json meterJson(const director::Meter& m) {
    return {{"peak_db", m.peakDb}, {"rms_db", m.rmsDb}};
}

void addAudioJson(json& input, const director::InputFigures& f) {
    input["has_audio"] = f.hasAudio;
    input["follow_video"] = f.followVideo;
    input["monitor"] = f.monitor;
    input["monitor_problem"] = f.monitorProblem;
    input["sync_offset_ms"] = f.syncOffsetMs;
    input["meter"] = meterJson(f.meter);
}

void addTransitionJson(json& state, const director::DirectorState& s) {
    state["transition"] = director::toJson(s.transition);
    state["tbar"] = {{"position", s.tbarPosition}};
    state["program_meter"] = meterJson(s.programMeter);
    state["luma_images"] = s.lumaImages;
}

base::Result<std::optional<director::TransitionSpec>> oneOffTransition(const json& body) {
    if (!body.contains("type")) {
        return std::optional<director::TransitionSpec>();
    }
    auto spec = director::transitionFromJson(body);
    if (!spec) {
        return base::fail(spec.error());
    }
    return std::optional<director::TransitionSpec>(std::move(*spec));
}

api::ApiResponse setTransition(director::Director& d, const json& body) {
    auto spec = director::transitionFromJson(body);
    if (!spec) {
        return api::errorResponse(400, spec.error().message());
    }
    if (auto ok = d.setTransition(*spec); !ok) {
        return api::errorResponse(400, ok.error().message());
    }
    return jsonAnswer({{"ok", true}, {"transition", director::toJson(*spec)}});
}

api::ApiResponse getTbar(director::Director& d) {
    const auto s = d.state();
    return jsonAnswer({{"position", s.tbarPosition}, {"transitioning", s.transitioning}});
}

api::ApiResponse moveTbar(director::Director& d, const json& body) {
    auto p = body.find("position");
    if (p == body.end() || !p->is_number()) {
        return api::errorResponse(400, "position: a number 0..1 is required");
    }
    auto move = d.moveTbar(p->get<double>());
    if (!move) {
        return api::errorResponse(400, move.error().message());
    }
    return jsonAnswer({{"ok", true},
                       {"position", move->position},
                       {"completed", move->completed},
                       {"cancelled", move->cancelled}});
}

bool hasAudioRouting(const json& body) {
    return body.contains("follow_video") || body.contains("monitor") ||
           body.contains("sync_offset_ms");
}

base::Result<json> setAudioRouting(director::Director& d, const std::string& input,
                                   const json& body) {
    director::AudioRouting routing;
    for (auto [name, out] : {std::pair{"follow_video", &routing.followVideo},
                             std::pair{"monitor", &routing.monitor}}) {
        if (auto it = body.find(name); it != body.end()) {
            if (!it->is_boolean()) {
                return base::fail(std::string(name) + ": true or false");
            }
            *out = it->get<bool>();
        }
    }
    if (auto it = body.find("sync_offset_ms"); it != body.end()) {
        auto offset = director::syncOffsetFromJson(*it);
        if (!offset) {
            return base::fail(offset.error());
        }
        routing.syncOffsetMs = *offset;
    }
    auto problem = d.setAudioRouting(input, routing);
    if (!problem) {
        return base::fail(problem.error());
    }
    json j{{"ok", true}};
    if (!problem->empty()) {
        j["monitor_problem"] = *problem;
    }
    return j;
}

} // namespace stagecast::app
