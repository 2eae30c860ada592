#include "director/TransitionSpec.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <utility>

namespace stagecast::director {

namespace {

constexpr std::array kTypes{TransitionType::Cut,          TransitionType::Fade,
                            TransitionType::Swipe,        TransitionType::Slide,
                            TransitionType::FadeToColour, TransitionType::LumaWipe,
                            TransitionType::Stinger};
constexpr std::array<const char*, 4> kDirections{"left", "right", "up", "down"};

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : ", ") + n;
    }
    return out;
}

constexpr std::array<std::pair<const char*, int>, 4> kMattes{
    {{"none", -1}, {"horizontal", 0}, {"vertical", 1}, {"mask", 3}}};

} // namespace

const char* toString(TransitionType type) {
    switch (type) {
    case TransitionType::Cut:
        return "cut";
    case TransitionType::Fade:
        return "fade";
    case TransitionType::Swipe:
        return "swipe";
    case TransitionType::Slide:
        return "slide";
    case TransitionType::FadeToColour:
        return "fade_to_color";
    case TransitionType::LumaWipe:
        return "luma_wipe";
    case TransitionType::Stinger:
        return "stinger";
    }
    return "unknown";
}

const char* obsTransitionId(TransitionType type) {
    switch (type) {
    case TransitionType::Cut:
        return "cut_transition";
    case TransitionType::Fade:
        return "fade_transition";
    case TransitionType::Swipe:
        return "swipe_transition";
    case TransitionType::Slide:
        return "slide_transition";
    case TransitionType::FadeToColour:
        return "fade_to_color_transition";
    case TransitionType::LumaWipe:
        return "wipe_transition";
    case TransitionType::Stinger:
        return "obs_stinger_transition";
    }
    return "";
}

std::string transitionTypeList() {
    std::string out;
    for (auto t : kTypes) {
        out += (out.empty() ? "" : ", ") + std::string(toString(t));
    }
    return out;
}

std::string matteList() {
    std::string out;
    for (const auto& [name, layout] : kMattes) {
        out += (out.empty() ? "" : ", ") + std::string(name);
    }
    return out;
}

int obsMatteLayout(std::string_view matte) {
    for (const auto& [name, layout] : kMattes) {
        if (matte == name) {
            return layout;
        }
    }
    return -1;
}

std::string directionList() {
    return "left, right, up, down";
}

base::Result<TransitionType> parseTransitionType(std::string_view text) {
    for (auto t : kTypes) {
        if (text == toString(t)) {
            return t;
        }
    }
    return base::fail("type '" + std::string(text) + "' is unknown: choose from " +
                      transitionTypeList());
}

base::Status validate(const TransitionSpec& s, const std::vector<std::string>& lumaImages) {
    if (s.duration.count() < 0 || s.duration.count() > 60000) {
        return base::fail("duration_ms: " + std::to_string(s.duration.count()) +
                          " is out of range 0..60000");
    }
    switch (s.type) {
    case TransitionType::Swipe:
    case TransitionType::Slide:
        if (std::find(kDirections.begin(), kDirections.end(), s.direction) == kDirections.end()) {
            return base::fail("direction '" + s.direction + "' is unknown: choose from " +
                              directionList());
        }
        break;
    case TransitionType::FadeToColour:
        if (s.colour > 0xffffff) {
            return base::fail("color: #rrggbb");
        }
        if (s.switchPoint < 0 || s.switchPoint > 100) {
            return base::fail("switch_point: " + std::to_string(s.switchPoint) +
                              " is out of range 0..100 (percent of the duration)");
        }
        break;
    case TransitionType::LumaWipe:
        if (std::find(lumaImages.begin(), lumaImages.end(), s.image) == lumaImages.end()) {
            return base::fail(
                "image '" + s.image + "' is unknown: choose from " +
                (lumaImages.empty() ? std::string("(no luma images found)") : joined(lumaImages)));
        }
        if (!(s.softness >= 0.0 && s.softness <= 1.0)) {
            return base::fail("softness: " + std::to_string(s.softness) + " is out of range 0..1");
        }
        break;
    case TransitionType::Stinger: {
        if (s.path.empty()) {
            return base::fail("path: the stinger's media file is required");
        }
        std::error_code ec;
        if (!std::filesystem::is_regular_file(s.path, ec)) {
            return base::fail("path: " + s.path + " does not exist or is not a file");
        }
        if (s.transitionPointMs < 0 || s.transitionPointMs > 120000) {
            return base::fail("transition_point_ms: " + std::to_string(s.transitionPointMs) +
                              " is out of range 0..120000");
        }
        if (s.matte != "none" && obsMatteLayout(s.matte) < 0) {
            return base::fail("matte '" + s.matte + "' is unknown: choose from " + matteList());
        }
        break;
    }
    case TransitionType::Cut:
    case TransitionType::Fade:
        break;
    }
    return {};
}

std::string rgbText(std::uint32_t rgb) {
    char text[8];
    std::snprintf(text, sizeof text, "#%06x", rgb & 0xffffffU);
    return text;
}

base::Result<std::uint32_t> parseRgb(std::string_view text) {
    const auto bad = [&] {
        return base::fail("color '" + std::string(text) + "' is not a colour: give #rrggbb");
    };
    if (text.size() != 7 || text[0] != '#') {
        return bad();
    }
    std::uint32_t value = 0;
    for (char c : text.substr(1)) {
        int digit = 0;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        } else {
            return bad();
        }
        value = value * 16 + static_cast<std::uint32_t>(digit);
    }
    return value;
}

} // namespace stagecast::director
