// The clip-export routes of RecordingRoutes (see RecordingRoutes.h).

#include <charconv>

#include <nlohmann/json.hpp>

#include "app/ClipJobs.h"
#include "app/routes/ModerationJson.h"
#include "app/routes/RecordingRoutes.h"

namespace stagecast::app {

namespace api = server::api;
using nlohmann::json;

namespace {

std::optional<std::uint64_t> jobId(const api::ApiRequest& request) {
    if (request.segments.size() < 4) {
        return std::nullopt;
    }
    const auto& text = request.segments[3];
    std::uint64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id == 0) {
        return std::nullopt;
    }
    return id;
}

base::Result<double> secondsMember(const json& body, const char* name) {
    auto it = body.find(name);
    if (it == body.end() || !it->is_number()) {
        return base::fail(std::string(name) + ": expected a number of seconds");
    }
    return it->get<double>();
}

} // namespace

api::ApiResponse RecordingRoutes::startClip(const api::ApiRequest& request) {
    api::ApiResponse error;
    auto row = rowOf(request, error);
    if (!row) {
        return error;
    }
    auto body = objectBody(request);
    if (!body) {
        return api::errorResponse(400, body.error().message());
    }
    auto from = secondsMember(*body, "from_s");
    auto to = secondsMember(*body, "to_s");
    if (!from || !to) {
        return api::errorResponse(400, (!from ? from : to).error().message());
    }
    auto modeText = stringMember(*body, "mode", "copy");
    if (!modeText) {
        return api::errorResponse(400, modeText.error().message());
    }
    auto mode = media::record::parseClipMode(*modeText);
    if (!mode) {
        return api::errorResponse(400, mode.error().withContext("mode").message());
    }
    auto started = p_.clips.start(*row, *from, *to, *mode);
    if (const auto* refused = std::get_if<ClipRefusal>(&started)) {
        return api::errorResponse(refused->status, refused->message);
    }
    return jsonAnswer(202, std::get<json>(started));
}

api::ApiResponse RecordingRoutes::clips(const api::ApiRequest&) {
    return jsonAnswer(200, {{"clips", p_.clips.list()}});
}

api::ApiResponse RecordingRoutes::clip(const api::ApiRequest& request) {
    auto id = jobId(request);
    if (!id) {
        return api::errorResponse(400, "clip id: expected a positive number");
    }
    auto job = p_.clips.get(*id);
    if (!job) {
        return api::errorResponse(404, "no clip job " + std::to_string(*id));
    }
    return jsonAnswer(200, *job);
}

api::ApiResponse RecordingRoutes::cancelClip(const api::ApiRequest& request) {
    auto id = jobId(request);
    if (!id) {
        return api::errorResponse(400, "clip id: expected a positive number");
    }
    if (!p_.clips.cancel(*id)) {
        return api::errorResponse(404, "no clip job " + std::to_string(*id));
    }
    return jsonAnswer(200, *p_.clips.get(*id));
}

} // namespace stagecast::app
