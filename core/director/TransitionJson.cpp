#include "director/TransitionJson.h"

namespace stagecast::director {

using nlohmann::json;

json toJson(const TransitionSpec& s) {
    json j{{"type", toString(s.type)}, {"duration_ms", s.duration.count()}};
    switch (s.type) {
    case TransitionType::Swipe:
    case TransitionType::Slide:
        j["direction"] = s.direction;
        break;
    case TransitionType::FadeToColour:
        j["color"] = rgbText(s.colour);
        j["switch_point"] = s.switchPoint;
        break;
    case TransitionType::LumaWipe:
        j["image"] = s.image;
        j["softness"] = s.softness;
        j["invert"] = s.invert;
        break;
    case TransitionType::Stinger:
        j["path"] = s.path;
        j["transition_point_ms"] = s.transitionPointMs;
        j["matte"] = s.matte;
        j["invert_matte"] = s.invertMatte;
        break;
    case TransitionType::Cut:
    case TransitionType::Fade:
        break;
    }
    return j;
}

base::Result<TransitionSpec> transitionFromJson(const json& j) {
    if (!j.is_object()) {
        return base::fail("the transition must be an object with \"type\"");
    }
    TransitionSpec s;
    const auto type = j.find("type");
    if (type == j.end() || !type->is_string()) {
        return base::fail("type: required, one of " + transitionTypeList());
    }
    auto parsed = parseTransitionType(type->get<std::string>());
    if (!parsed) {
        return base::fail(parsed.error());
    }
    s.type = *parsed;
    if (auto d = j.find("duration_ms"); d != j.end()) {
        if (!d->is_number_integer()) {
            return base::fail("duration_ms: an integer 0..60000");
        }
        s.duration = std::chrono::milliseconds(d->get<std::int64_t>());
    }
    const auto text = [&](const char* name, std::string& out) -> base::Status {
        if (auto it = j.find(name); it != j.end()) {
            if (!it->is_string()) {
                return base::fail(std::string(name) + ": a string");
            }
            out = it->get<std::string>();
        }
        return {};
    };
    switch (s.type) {
    case TransitionType::Swipe:
    case TransitionType::Slide:
        if (auto ok = text("direction", s.direction); !ok) {
            return base::fail("direction: one of " + directionList());
        }
        break;
    case TransitionType::FadeToColour: {
        std::string colour = rgbText(s.colour);
        if (auto ok = text("color", colour); !ok) {
            return base::fail("color: #rrggbb");
        }
        auto rgb = parseRgb(colour);
        if (!rgb) {
            return base::fail(rgb.error());
        }
        s.colour = *rgb;
        if (auto p = j.find("switch_point"); p != j.end()) {
            if (!p->is_number_integer()) {
                return base::fail("switch_point: an integer 0..100 (percent)");
            }
            s.switchPoint = static_cast<int>(p->get<std::int64_t>());
        }
        break;
    }
    case TransitionType::LumaWipe:
        if (auto ok = text("image", s.image); !ok) {
            return base::fail(ok.error());
        }
        if (s.image.size() > 4 && s.image.ends_with(".png")) {
            s.image.resize(s.image.size() - 4);
        }
        if (auto v = j.find("softness"); v != j.end()) {
            if (!v->is_number()) {
                return base::fail("softness: a number 0..1");
            }
            s.softness = v->get<double>();
        }
        if (auto v = j.find("invert"); v != j.end()) {
            if (!v->is_boolean()) {
                return base::fail("invert: true or false");
            }
            s.invert = v->get<bool>();
        }
        break;
    case TransitionType::Stinger:
        if (auto ok = text("path", s.path); !ok) {
            return base::fail("path: the stinger's media file (a string)");
        }
        if (auto v = j.find("transition_point_ms"); v != j.end()) {
            if (!v->is_number_integer()) {
                return base::fail("transition_point_ms: an integer 0..120000");
            }
            s.transitionPointMs = v->get<std::int64_t>();
        }
        if (auto ok = text("matte", s.matte); !ok) {
            return base::fail("matte: one of " + matteList());
        }
        if (auto v = j.find("invert_matte"); v != j.end()) {
            if (!v->is_boolean()) {
                return base::fail("invert_matte: true or false");
            }
            s.invertMatte = v->get<bool>();
        }
        break;
    case TransitionType::Cut:
    case TransitionType::Fade:
        break;
    }
    return s;
}

} // namespace stagecast::director
