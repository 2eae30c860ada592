#include "director/LayoutJson.h"
#include "director/InputSpec.h"

#include "director/LayoutGeometry.h"
#include "stream/StreamKey.h"

namespace stagecast::director {

using nlohmann::json;

namespace {

base::Result<std::string> streamField(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) {
        return base::fail(std::string(name) + ": a stream name APP/NAME is required");
    }
    return it->get<std::string>();
}

/// Reads an optional number member into `out`; fails naming `field`.
base::Status numberField(const json& j, const char* name, const std::string& field,
                         const char* what, double& out) {
    auto it = j.find(name);
    if (it == j.end()) {
        return {};
    }
    if (!it->is_number()) {
        return base::fail(field + name + ": " + what);
    }
    out = it->get<double>();
    return {};
}

base::Status boxFields(const json& j, const std::string& field, SlotBox& box) {
    constexpr const char* kFraction = "a number (a fraction 0..1 of the canvas)";
    for (auto [name, value] : {std::pair<const char*, double*>{"x", &box.x},
                               {"y", &box.y},
                               {"w", &box.w},
                               {"h", &box.h}}) {
        if (auto ok = numberField(j, name, field, kFraction, *value); !ok) {
            return ok;
        }
    }
    return {};
}

base::Result<LayoutSlot> slotFrom(const json& j, std::size_t index) {
    const std::string field = "slots[" + std::to_string(index) + "]";
    LayoutSlot slot;
    if (j.is_null()) {
        return slot;
    }
    if (j.is_string()) {
        slot.input = j.get<std::string>();
        return slot;
    }
    if (!j.is_object()) {
        return base::fail(field + ": an input name, null, or {\"input\":..., \"x\", \"y\", "
                                  "\"w\", \"h\"}");
    }
    if (auto in = j.find("input"); in != j.end() && !in->is_null()) {
        if (!in->is_string()) {
            return base::fail(field + ".input: a stream name APP/NAME (or null: black)");
        }
        slot.input = in->get<std::string>();
    }
    if (auto ok = boxFields(j, field + ".", slot.box); !ok) {
        return base::fail(ok.error());
    }
    return slot;
}

base::Status pipFields(const json& j, LayoutSpec& s) {
    auto inset = streamField(j, "inset");
    if (!inset) {
        return base::fail(inset.error());
    }
    s.inset = *inset;
    if (auto c = j.find("corner"); c != j.end()) {
        auto corner = parseCorner(c->is_string() ? c->get<std::string>() : c->dump());
        if (!corner) {
            return base::fail(corner.error());
        }
        s.corner = *corner;
    }
    if (auto ok = numberField(j, "size", "", "a number 0.1..0.9 (a fraction of the canvas width)",
                              s.size);
        !ok) {
        return ok;
    }
    for (auto [name, out] :
         {std::pair<const char*, std::uint32_t*>{"margin", &s.margin}, {"border", &s.border}}) {
        if (auto it = j.find(name); it != j.end()) {
            if (!it->is_number_unsigned()) {
                return base::fail(std::string(name) + ": a whole number of pixels");
            }
            *out = it->get<std::uint32_t>();
        }
    }
    if (auto c = j.find("border_color"); c != j.end()) {
        auto colour = parseColour(c->is_string() ? c->get<std::string>() : c->dump());
        if (!colour) {
            return base::fail("border_color: " + colour.error().message());
        }
        s.borderColour = *colour;
    }
    return {};
}

} // namespace

json layoutToJson(const LayoutSpec& raw) {
    const LayoutSpec s = normalised(raw);
    json j{{"layout", toString(s.kind)}};
    if (!s.name.empty()) {
        j["name"] = s.name;
    }
    if (usesSlots(s.kind)) {
        json list = json::array();
        for (const auto& slot : s.slotList) {
            list.push_back({{"input", slot.input.empty() ? json(nullptr) : json(slot.input)},
                            {"x", slot.box.x},
                            {"y", slot.box.y},
                            {"w", slot.box.w},
                            {"h", slot.box.h}});
        }
        j["slots"] = list;
        return j;
    }
    j["main"] = s.main;
    if (s.kind == LayoutKind::PictureInPicture) {
        j["inset"] = s.inset;
        j["corner"] = toString(s.corner);
        j["size"] = s.size;
        j["margin"] = s.margin;
        j["border"] = s.border;
        j["border_color"] = colourText(s.borderColour);
    }
    return j;
}

base::Result<int> syncOffsetFromJson(const json& value) {
    if (auto problem = syncOffsetProblem(
            value.is_number_integer() ? std::optional(value.get<std::int64_t>()) : std::nullopt)) {
        return base::fail(*problem);
    }
    return value.get<int>();
}

base::Result<LayoutSpec> layoutFromJson(const json& j) {
    if (!j.is_object()) {
        return base::fail("a layout must be an object with \"input\" or \"layout\"");
    }
    LayoutSpec s;
    if (j.contains("input") && !j.contains("layout")) {
        auto input = streamField(j, "input");
        if (!input) {
            return base::fail(input.error());
        }
        s.main = *input;
    } else {
        auto layout = j.find("layout");
        if (layout == j.end() || !layout->is_string()) {
            return base::fail("give \"input\" (a stream) or \"layout\" (full, pip, side-by-side, "
                              "2x2, 1+3, custom)");
        }
        auto kind = parseLayoutKind(layout->get<std::string>());
        if (!kind) {
            return base::fail(kind.error());
        }
        s.kind = *kind;
    }
    if (usesSlots(s.kind)) {
        auto found = j.find("slots");
        if (found == j.end() || !found->is_array()) {
            return base::fail(std::string("slots: ") + toString(s.kind) +
                              " needs a list of inputs (\"slots\":[...])");
        }
        for (std::size_t i = 0; i < found->size(); ++i) {
            auto slot = slotFrom((*found)[i], i);
            if (!slot) {
                return base::fail(slot.error());
            }
            s.slotList.push_back(std::move(*slot));
        }
    } else if (s.main.empty()) {
        auto main = streamField(j, "main");
        if (!main) {
            return base::fail(main.error());
        }
        s.main = *main;
        if (s.kind == LayoutKind::PictureInPicture) {
            if (auto ok = pipFields(j, s); !ok) {
                return base::fail(ok.error());
            }
        }
    }
    if (auto name = j.find("name"); name != j.end() && !name->is_null()) {
        if (!name->is_string()) {
            return base::fail("name: the saved layout's name (a string)");
        }
        s.name = name->get<std::string>();
    }
    if (auto ok = validate(s); !ok) {
        return base::fail(ok.error());
    }
    return normalised(std::move(s));
}

json multiviewToJson(const MultiviewSettings& m) {
    return {{"on", m.on},         {"stream", m.stream}, {"width", m.width},
            {"height", m.height}, {"fps", m.fps},       {"bitrate_kbps", m.kbps}};
}

base::Result<MultiviewSettings> multiviewFromJson(const json& j, const MultiviewSettings& base) {
    if (!j.is_object()) {
        return base::fail("the multiview must be an object, e.g. {\"on\":true}");
    }
    MultiviewSettings m = base;
    if (auto on = j.find("on"); on != j.end()) {
        if (!on->is_boolean()) {
            return base::fail("on: true or false");
        }
        m.on = on->get<bool>();
    }
    if (auto stream = j.find("stream"); stream != j.end()) {
        if (!stream->is_string()) {
            return base::fail("stream: APP/NAME (a string)");
        }
        m.stream = stream->get<std::string>();
    }
    for (auto [name, field] : {std::pair{"width", &m.width}, std::pair{"height", &m.height},
                               std::pair{"fps", &m.fps}, std::pair{"bitrate_kbps", &m.kbps}}) {
        if (auto v = j.find(name); v != j.end()) {
            if (!v->is_number_unsigned() || v->get<std::uint64_t>() > 100000) {
                return base::fail(std::string(name) + ": a whole number");
            }
            *field = static_cast<std::uint32_t>(v->get<std::uint64_t>());
        }
    }
    return m;
}

json overlayToJson(const OverlaySpec& o) {
    json j{{"id", o.id},   {"kind", toString(o.kind)},
           {"x", o.box.x}, {"y", o.box.y},
           {"w", o.box.w}, {"h", o.box.h},
           {"on", o.on}};
    switch (o.kind) {
    case OverlayKind::Image:
        j["path"] = o.path;
        break;
    case OverlayKind::Input:
        j["input"] = o.input;
        break;
    case OverlayKind::Colour:
        j["color"] = colourText(o.colour);
        break;
    }
    return j;
}

base::Result<OverlaySpec> overlayFromJson(const json& j) {
    if (!j.is_object()) {
        return base::fail("an overlay must be an object with id and kind");
    }
    OverlaySpec o;
    auto id = j.find("id");
    if (id == j.end() || !id->is_string()) {
        return base::fail("id: the overlay's name is required");
    }
    o.id = id->get<std::string>();
    auto kindField = j.find("kind");
    if (kindField == j.end() || !kindField->is_string()) {
        return base::fail("kind: image, input or color is required");
    }
    auto kind = parseOverlayKind(kindField->get<std::string>());
    if (!kind) {
        return base::fail(kind.error());
    }
    o.kind = *kind;
    const auto text = [&j](const char* name) -> std::string {
        auto it = j.find(name);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    // Only the kind's own field (what overlayToJson writes): another kind's is dropped, not
    // kept unseen and lost at the next save.
    o.path = o.kind == OverlayKind::Image ? text("path") : std::string();
    o.input = o.kind == OverlayKind::Input ? text("input") : std::string();
    if (o.kind == OverlayKind::Colour) {
        auto colour = parseColour(text("color"));
        if (!colour) {
            return base::fail("color: " + colour.error().message());
        }
        o.colour = *colour;
    } else if (o.kind == OverlayKind::Input && !o.input.empty()) {
        if (auto key = stream::StreamKey::parse(o.input); !key && !isLocalInputId(o.input)) {
            return base::fail("input: " + key.error().message());
        }
    }
    if (auto ok = boxFields(j, "", o.box); !ok) {
        return base::fail(ok.error());
    }
    if (auto on = j.find("on"); on != j.end()) {
        if (!on->is_boolean()) {
            return base::fail("on: true or false");
        }
        o.on = on->get<bool>();
    }
    if (auto ok = validateOverlay(o); !ok) {
        return base::fail(ok.error());
    }
    return o;
}

} // namespace stagecast::director
