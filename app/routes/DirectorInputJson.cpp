#include "app/routes/DirectorInputJson.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/routes/JsonAnswer.h"

namespace stagecast::app::director_inputs {

namespace api = server::api;
using nlohmann::json;

namespace {

std::optional<director::InputFigures> find(director::Director& d, const std::string& id) {
    for (auto& f : d.inputs()) {
        if (f.stream == id) {
            return f;
        }
    }
    return std::nullopt;
}

api::ApiResponse notKnown(const std::string& id) {
    return api::errorResponse(404, "input " + id + " is not known");
}

} // namespace

std::string inputIdOf(const api::ApiRequest& r, const std::string& suffix) {
    const auto& s = r.segments;
    auto at = std::find(s.begin(), s.end(), std::string("inputs"));
    std::string id;
    auto end = s.end();
    if (!suffix.empty() && end != s.begin() && *(end - 1) == suffix) {
        --end;
    }
    for (auto it = at == s.end() ? s.end() : at + 1; it < end; ++it) {
        id += (id.empty() ? "" : "/") + *it;
    }
    return id;
}

api::ApiResponse list(director::Director& d) {
    json inputs = json::array();
    for (const auto& f : d.inputs()) {
        json settings = f.settingsJson.empty() ? json::object() : json::parse(f.settingsJson);
        inputs.push_back({{"id", f.stream},
                          {"kind", f.kind},
                          {"state", f.state},
                          {"last_problem", f.lastProblem},
                          {"settings", settings},
                          {"backup", f.backup.empty() ? json(nullptr) : json(f.backup)},
                          {"showing", f.showing},
                          {"on_program", f.onProgram},
                          {"on_preview", f.onPreview},
                          {"width", f.width},
                          {"height", f.height}});
    }
    return jsonResponse({{"inputs", inputs}});
}

api::ApiResponse create(director::Director& d, const api::ApiRequest& r) {
    auto spec = director::parseInputSpec(r.body);
    if (!spec) {
        return api::errorResponse(400, spec.error().message());
    }
    if (find(d, spec->id)) {
        return api::errorResponse(409, "input " + spec->id +
                                           " already exists: remove it first or pick another id");
    }
    auto ok = d.addInput(*spec);
    if (!ok) {
        return api::errorResponse(400, ok.error().message());
    }
    return jsonResponse({{"ok", true}, {"id", spec->id}});
}

api::ApiResponse remove(director::Director& d, const std::string& id) {
    auto f = find(d, id);
    if (!f) {
        return notKnown(id);
    }
    auto ok = d.removeInput(id);
    if (!ok) {
        return api::errorResponse(409, ok.error().message());
    }
    return jsonResponse({{"ok", true}});
}

api::ApiResponse backup(director::Director& d, const std::string& id, const api::ApiRequest& r) {
    auto j = json::parse(r.body, nullptr, false);
    auto b = j.is_object() ? j.find("backup") : j.end();
    if (!j.is_object() || b == j.end() || !(b->is_string() || b->is_null())) {
        return api::errorResponse(400, "give {\"backup\":\"live/name\"} or a director input id "
                                       "(\"\" or null removes it)");
    }
    if (!find(d, id)) {
        return notKnown(id);
    }
    auto ok = d.setBackup(id, b->is_null() ? std::string() : b->get<std::string>());
    if (!ok) {
        return api::errorResponse(400, ok.error().message());
    }
    return jsonResponse({{"ok", true}});
}

api::ApiResponse thumbnail(director::Director& d, const std::string& id) {
    if (!find(d, id)) {
        return notKnown(id);
    }
    auto jpeg = d.thumbnail(id);
    if (!jpeg) {
        return api::errorResponse(503, jpeg.error().message());
    }
    api::ApiResponse out;
    out.contentType = "image/jpeg";
    out.body.assign(jpeg->begin(), jpeg->end());
    return out;
}

api::ApiResponse capture(director::Director& d) {
    json kinds = json::array();
    for (const auto& k : d.captureDevices()) {
        json devices = json::array();
        for (const auto& dev : k.devices) {
            devices.push_back({{"id", dev.id}, {"name", dev.name}});
        }
        kinds.push_back({{"kind", k.kind},
                         {"source", k.source},
                         {"available", k.available && !k.devices.empty()},
                         {"reason", k.reason},
                         {"devices", devices}});
    }
    return jsonResponse({{"capture", kinds}});
}

} // namespace stagecast::app::director_inputs
