#include "app/routes/DirectorLayoutJson.h"

#include <nlohmann/json.hpp>

#include "app/routes/JsonAnswer.h"

namespace stagecast::app::director_layouts {

namespace api = server::api;
using nlohmann::json;

std::string layoutNameOf(const api::ApiRequest& r) {
    const auto& s = r.segments;
    return !s.empty() && s.size() >= 2 && s[s.size() - 2] == "layouts" ? s.back() : std::string();
}

api::ApiResponse list(director::Director& d) {
    json layouts = json::array();
    for (const auto& saved : d.savedLayouts()) {
        layouts.push_back(director::toJson(saved));
    }
    return jsonResponse({{"layouts", layouts}});
}

api::ApiResponse put(director::Director& d, const api::ApiRequest& r) {
    const auto name = layoutNameOf(r);
    if (auto ok = director::validateLayoutName(name); !ok) {
        return api::errorResponse(400, ok.error().message());
    }
    const auto body = json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return api::errorResponse(400, "the body must be a JSON object with \"layout\"");
    }
    auto saved = director::savedLayoutFromJson(body, name);
    if (!saved) {
        return api::errorResponse(400, saved.error().message());
    }
    if (auto ok = d.saveLayout(*saved); !ok) {
        return api::errorResponse(400, ok.error().message());
    }
    return jsonResponse({{"ok", true}, {"layout", director::toJson(*saved)}});
}

api::ApiResponse remove(director::Director& d, const api::ApiRequest& r) {
    if (auto ok = d.removeLayout(layoutNameOf(r)); !ok) {
        return api::errorResponse(404, ok.error().message());
    }
    return jsonResponse({{"ok", true}});
}

} // namespace stagecast::app::director_layouts
