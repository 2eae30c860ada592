#include "director/InputSpec.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "director/Platform.h"

namespace stagecast::director {

using nlohmann::json;

namespace {

constexpr std::array kKinds{InputKind::Media,   InputKind::Image, InputKind::Color,
                            InputKind::Pattern, InputKind::Text,  InputKind::LowerThird,
                            InputKind::Capture};
constexpr std::array<std::string_view, 4> kTextModes{"static", "clock", "countdown", "ticker"};
constexpr std::array<std::string_view, 5> kCaptures{"screen", "window", "camera", "microphone",
                                                    "desktop_audio"};

std::string kindList() {
    std::string out;
    for (auto k : kKinds) {
        out += (out.empty() ? "" : ", ") + std::string(toString(k));
    }
    return out;
}

base::Result<std::uint32_t> parseColour(std::string_view text) {
    if (text.size() != 7 || text[0] != '#') {
        return base::fail("a colour #RRGGBB");
    }
    std::uint32_t value = 0;
    for (char c : text.substr(1)) {
        if (std::isxdigit(static_cast<unsigned char>(c)) == 0) {
            return base::fail("a colour #RRGGBB");
        }
        value = value * 16 + static_cast<std::uint32_t>(
                                 std::isdigit(static_cast<unsigned char>(c)) != 0
                                     ? c - '0'
                                     : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
    }
    return value;
}

std::string colourText(std::uint32_t rgb) {
    static const char* hex = "0123456789abcdef";
    std::string out = "#";
    for (int shift = 20; shift >= 0; shift -= 4) {
        out += hex[(rgb >> shift) & 0xf];
    }
    return out;
}

base::Status checkId(const std::string& id, InputKind kind) {
    const auto colon = id.find(':');
    const std::string prefix = toString(kind);
    if (colon == std::string::npos || id.substr(0, colon) != prefix) {
        return base::fail("id '" + id + "': must be " + prefix + ":NAME for kind " + prefix);
    }
    const auto name = std::string_view(id).substr(colon + 1);
    if (name.empty() || name.size() > 64) {
        return base::fail("id '" + id + "': NAME must be 1..64 characters");
    }
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.') {
            return base::fail("id '" + id +
                              "': NAME may hold letters, digits, '-', '_' and '.' only");
        }
    }
    return {};
}

base::Result<std::string> stringField(const json& j, const char* name, bool required) {
    auto it = j.find(name);
    if (it == j.end()) {
        if (required) {
            return base::fail(std::string(name) + ": is required");
        }
        return std::string();
    }
    if (!it->is_string()) {
        return base::fail(std::string(name) + ": must be a string");
    }
    return it->get<std::string>();
}

/// Only the fields `s.kind` uses (what toJson writes): a field of another kind, or a tone level
/// without a tone, is dropped rather than kept unseen and lost at the next save.
InputSpec ownFields(const InputSpec& s) {
    InputSpec out;
    out.id = s.id;
    out.kind = s.kind;
    switch (s.kind) {
    case InputKind::Media:
        out.file = s.file;
        out.loop = s.loop;
        break;
    case InputKind::Image:
        out.file = s.file;
        break;
    case InputKind::Color:
        out.color = s.color;
        break;
    case InputKind::Pattern:
        out.toneHz = s.toneHz;
        out.toneDb = s.toneHz > 0 ? s.toneDb : out.toneDb;
        break;
    case InputKind::Text:
        out.mode = s.mode;
        out.text = s.text;
        out.color = s.color;
        out.seconds = s.seconds;
        out.until = s.until;
        break;
    case InputKind::LowerThird:
        out.text = s.text;
        out.title = s.title;
        out.color = s.color;
        break;
    case InputKind::Capture:
        out.capture = s.capture;
        out.device = s.device;
        break;
    }
    return out;
}

} // namespace

const char* toString(InputKind kind) {
    switch (kind) {
    case InputKind::Media:
        return "media";
    case InputKind::Image:
        return "image";
    case InputKind::Color:
        return "color";
    case InputKind::Pattern:
        return "pattern";
    case InputKind::Text:
        return "text";
    case InputKind::LowerThird:
        return "lower3";
    case InputKind::Capture:
        return "capture";
    }
    return "unknown";
}

base::Result<InputKind> parseInputKind(std::string_view text) {
    for (auto k : kKinds) {
        if (text == toString(k)) {
            return k;
        }
    }
    return base::fail("kind '" + std::string(text) + "' is unknown: choose from " + kindList());
}

bool isLocalInputId(std::string_view name) {
    return name.find(':') != std::string_view::npos;
}

base::Result<InputSpec> parseInputSpec(std::string_view text) {
    const auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return base::fail("the body must be a JSON object with id and kind");
    }
    InputSpec s;
    auto kindText = stringField(j, "kind", true);
    if (!kindText) {
        return base::fail("kind: is required (" + kindList() + ")");
    }
    auto kind = parseInputKind(*kindText);
    if (!kind) {
        return base::fail(kind.error());
    }
    s.kind = *kind;
    auto id = stringField(j, "id", true);
    if (!id) {
        return base::fail(id.error());
    }
    s.id = *id;
    if (auto ok = checkId(s.id, s.kind); !ok) {
        return base::fail(ok.error());
    }
    const auto str = [&j](const char* name, bool required, std::string& into) -> base::Status {
        auto v = stringField(j, name, required);
        if (!v) {
            return base::fail(v.error());
        }
        if (!v->empty()) {
            into = *v;
        }
        return {};
    };
    const bool needsFile = s.kind == InputKind::Media || s.kind == InputKind::Image;
    if (auto ok = str("file", needsFile, s.file); !ok) {
        return base::fail(ok.error());
    }
    if (needsFile && (s.file.empty() || s.file[0] != '/')) {
        return base::fail("file: an absolute path is required");
    }
    if (auto l = j.find("loop"); l != j.end()) {
        if (!l->is_boolean()) {
            return base::fail("loop: true or false");
        }
        s.loop = l->get<bool>();
    }
    std::string colour;
    if (auto ok = str("color", s.kind == InputKind::Color, colour); !ok) {
        return base::fail(ok.error());
    }
    if (!colour.empty()) {
        auto c = parseColour(colour);
        if (!c) {
            return base::fail("color: '" + colour + "' is not " + c.error().message());
        }
        s.color = *c;
    } else if (s.kind == InputKind::LowerThird) {
        s.color = 0x1a3a8a; // a deep blue bar
    } else if (s.kind == InputKind::Text) {
        s.color = 0xffffff;
    }
    if (auto ok = str("mode", false, s.mode); !ok) {
        return base::fail(ok.error());
    }
    if (s.kind == InputKind::Text) {
        bool known = false;
        for (auto m : kTextModes) {
            known = known || s.mode == m;
        }
        if (!known) {
            return base::fail("mode '" + s.mode +
                              "' is unknown: choose from static, clock, countdown, ticker");
        }
    }
    const bool needsText =
        (s.kind == InputKind::Text && (s.mode == "static" || s.mode == "ticker")) ||
        s.kind == InputKind::LowerThird;
    if (auto ok = str(s.kind == InputKind::LowerThird ? "name" : "text", needsText, s.text); !ok) {
        return base::fail(ok.error());
    }
    if (needsText && s.text.empty()) {
        return base::fail(std::string(s.kind == InputKind::LowerThird ? "name" : "text") +
                          ": must not be empty");
    }
    if (auto ok = str("title", false, s.title); !ok) {
        return base::fail(ok.error());
    }
    if (auto ok = str("until", false, s.until); !ok) {
        return base::fail(ok.error());
    }
    if (auto n = j.find("seconds"); n != j.end()) {
        if (!n->is_number_integer() || n->get<std::int64_t>() <= 0 ||
            n->get<std::int64_t>() > 864000) {
            return base::fail("seconds: an integer 1..864000");
        }
        s.seconds = n->get<std::int64_t>();
    }
    if (s.kind == InputKind::Text && s.mode == "countdown") {
        const bool clockOk = s.until.size() >= 5 && s.until[2] == ':' &&
                             std::isdigit(static_cast<unsigned char>(s.until[0])) != 0;
        if (s.seconds == 0 && !clockOk) {
            return base::fail("countdown: give seconds (1..864000) or until (HH:MM or HH:MM:SS)");
        }
    }
    if (auto ok = str("capture", s.kind == InputKind::Capture, s.capture); !ok) {
        return base::fail(ok.error());
    }
    if (s.kind == InputKind::Capture) {
        bool known = false;
        for (auto c : kCaptures) {
            known = known || s.capture == c;
        }
        if (!known) {
            return base::fail("capture '" + s.capture +
                              "' is unknown: choose from screen, window, camera, microphone, "
                              "desktop_audio");
        }
    }
    if (auto d = j.find("device"); d != j.end()) {
        if (d->is_string()) {
            s.device = d->get<std::string>();
        } else if (d->is_number_integer()) {
            s.device = std::to_string(d->get<std::int64_t>());
        } else {
            return base::fail("device: a device id from GET /api/v1/director/capture");
        }
    }
    const auto number = [&j](const char* name, double low, double high, const char* range,
                             double& into) -> base::Status {
        auto n = j.find(name);
        if (n == j.end()) {
            return {};
        }
        if (!n->is_number() || !(n->get<double>() >= low && n->get<double>() <= high)) {
            return base::fail(std::string(name) + ": a number " + range);
        }
        into = n->get<double>();
        return {};
    };
    if (auto ok = number("tone_hz", 0, 20000, "0..20000", s.toneHz); !ok) {
        return base::fail(ok.error());
    }
    if (s.toneHz > 0 && s.toneHz < 20) {
        return base::fail("tone_hz: 0 (no tone) or 20..20000");
    }
    if (auto ok = number("tone_db", -60, 0, "-60..0 (dBFS)", s.toneDb); !ok) {
        return base::fail(ok.error());
    }
    if (s.toneHz > 0 && s.kind != InputKind::Pattern) {
        return base::fail("tone_hz: only colour bars (kind pattern) carry a tone");
    }
    const platform::CaptureProbe* probe =
        s.kind == InputKind::Capture ? platform::captureProbe(s.capture) : nullptr;
    if (probe != nullptr && probe->intDevice &&
        (s.device.size() > 3 || !std::all_of(s.device.begin(), s.device.end(), [](char c) {
             return std::isdigit(static_cast<unsigned char>(c)) != 0;
         }))) {
        return base::fail("device: a screen number from GET /api/v1/director/capture");
    }
    return ownFields(s);
}

// The fields per kind here and in ownFields() are the same set; fuzz_scene_collection fails
// when they drift apart (what loads must save and load again unchanged).
std::string toJson(const InputSpec& s) {
    json j{{"id", s.id}, {"kind", toString(s.kind)}};
    switch (s.kind) {
    case InputKind::Media:
        j["file"] = s.file;
        j["loop"] = s.loop;
        break;
    case InputKind::Image:
        j["file"] = s.file;
        break;
    case InputKind::Color:
        j["color"] = colourText(s.color);
        break;
    case InputKind::Pattern:
        if (s.toneHz > 0) {
            j["tone_hz"] = s.toneHz;
            j["tone_db"] = s.toneDb;
        }
        break;
    case InputKind::Text:
        j["mode"] = s.mode;
        j["text"] = s.text;
        j["color"] = colourText(s.color);
        if (s.seconds > 0) {
            j["seconds"] = s.seconds;
        }
        if (!s.until.empty()) {
            j["until"] = s.until;
        }
        break;
    case InputKind::LowerThird:
        j["name"] = s.text;
        j["title"] = s.title;
        j["color"] = colourText(s.color);
        break;
    case InputKind::Capture:
        j["capture"] = s.capture;
        j["device"] = s.device;
        break;
    }
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace stagecast::director
