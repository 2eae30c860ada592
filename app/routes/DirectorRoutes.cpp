#include "app/routes/DirectorRoutes.h"

#include <nlohmann/json.hpp>

#include "app/routes/DirectorTransitionJson.h"

namespace stagecast::app {

namespace api = server::api;
using nlohmann::json;

namespace {

api::ApiResponse jsonResponse(const json& value) {
    api::ApiResponse r;
    r.body = value.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

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
    json j{{"layout", director::toString(s.kind)}, {"main", s.main}};
    if (s.kind == director::LayoutKind::PictureInPicture) {
        j["inset"] = s.inset;
        j["corner"] = director::toString(s.corner);
        j["size"] = s.size;
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
    json state{{"running", true},
               {"canvas",
                {{"width", s.width},
                 {"height", s.height},
                 {"fps", s.fps},
                 {"rendered_frames", s.renderedFrames},
                 {"lagged_frames", s.laggedFrames}}},
               {"program_stream", s.programStream},
               {"preview", s.hasPreview ? layoutJson(s.preview) : json(nullptr)},
               {"program", s.hasProgram ? layoutJson(s.program) : json(nullptr)},
               {"transitioning", s.transitioning},
               {"inputs", inputs},
               {"output",
                {{"active", s.output.active},
                 {"video_packets", s.output.videoPackets},
                 {"audio_packets", s.output.audioPackets},
                 {"bytes", s.output.bytes},
                 {"last_error", s.output.lastError}}},
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
    director::LayoutSpec spec;
    if (j.contains("input")) {
        auto input = stringMember(j, "input");
        if (!input) {
            return base::fail(input.error());
        }
        spec.main = *input;
        return spec;
    }
    auto layout = j.find("layout");
    if (layout == j.end() || !layout->is_string()) {
        return base::fail("give \"input\" (a stream) or \"layout\" (full, pip) with \"main\"");
    }
    auto kind = director::parseLayoutKind(layout->get<std::string>());
    if (!kind) {
        return base::fail(kind.error());
    }
    spec.kind = *kind;
    auto main = stringMember(j, "main");
    if (!main) {
        return base::fail(main.error());
    }
    spec.main = *main;
    if (spec.kind == director::LayoutKind::PictureInPicture) {
        auto inset = stringMember(j, "inset");
        if (!inset) {
            return base::fail(inset.error());
        }
        spec.inset = *inset;
        if (auto c = j.find("corner"); c != j.end()) {
            auto corner = director::parseCorner(c->is_string() ? c->get<std::string>() : c->dump());
            if (!corner) {
                return base::fail(corner.error());
            }
            spec.corner = *corner;
        }
        if (auto s = j.find("size"); s != j.end()) {
            if (!s->is_number()) {
                return base::fail("size: a number 0.1..0.9 (a fraction of the canvas width)");
            }
            spec.size = s->get<double>();
        }
    }
    return spec;
}

} // namespace

template <typename Call>
api::ApiResponse DirectorRoutes::withDirector(Call call) {
    std::lock_guard lock(mutex_);
    if (director_ == nullptr) {
        return api::errorResponse(503, problem_);
    }
    return call(*director_);
}

void DirectorRoutes::attach(director::Director* director) {
    std::lock_guard lock(mutex_);
    director_ = director;
}

void DirectorRoutes::setProblem(std::string problem) {
    std::lock_guard lock(mutex_);
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
        auto spec = layoutFrom(*body);
        if (!spec) {
            return api::errorResponse(400, spec.error().message());
        }
        return withDirector(
            [&](director::Director& d) { return statusResponse(d.setPreview(*spec)); });
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
                                           "or \"monitor\" (true, false)");
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
}

} // namespace stagecast::app
