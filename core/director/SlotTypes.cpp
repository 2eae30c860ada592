#include "director/SlotTypes.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace stagecast::director {

namespace {

std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace

const char* toString(OverlayKind kind) {
    switch (kind) {
    case OverlayKind::Image:
        return "image";
    case OverlayKind::Input:
        return "input";
    case OverlayKind::Colour:
        return "color";
    }
    return "unknown";
}

base::Result<OverlayKind> parseOverlayKind(std::string_view text) {
    for (auto kind : {OverlayKind::Image, OverlayKind::Input, OverlayKind::Colour}) {
        if (text == toString(kind)) {
            return kind;
        }
    }
    return base::fail("kind '" + std::string(text) +
                      "' is unknown: choose from image, input, color");
}

base::Result<std::uint32_t> parseColour(std::string_view text) {
    const auto bad = [&text] {
        return base::fail("'" + std::string(text) +
                          "' is not a colour: write #RRGGBB or #AARRGGBB");
    };
    if (text.empty() || text[0] != '#' || (text.size() != 7 && text.size() != 9)) {
        return bad();
    }
    std::uint32_t value = 0;
    for (char c : text.substr(1)) {
        const int d = hexDigit(c);
        if (d < 0) {
            return bad();
        }
        value = (value << 4U) | static_cast<std::uint32_t>(d);
    }
    return text.size() == 7 ? (0xff000000U | value) : value;
}

std::string colourText(std::uint32_t argb) {
    char text[16];
    std::snprintf(text, sizeof text, "#%08X", static_cast<unsigned>(argb));
    return text;
}

std::uint32_t toObsColour(std::uint32_t argb) {
    const std::uint32_t a = (argb >> 24U) & 0xffU;
    const std::uint32_t r = (argb >> 16U) & 0xffU;
    const std::uint32_t g = (argb >> 8U) & 0xffU;
    const std::uint32_t b = argb & 0xffU;
    return (a << 24U) | (b << 16U) | (g << 8U) | r;
}

base::Status validateBox(const SlotBox& box, const std::string& field) {
    const std::string prefix = field.empty() ? "" : field + ".";
    const std::pair<const char*, double> values[] = {
        {"x", box.x}, {"y", box.y}, {"w", box.w}, {"h", box.h}};
    for (const auto& [name, v] : values) {
        if (!std::isfinite(v) || v < 0.0 || v > 1.0) {
            return base::fail(prefix + name + ": " + number(v) +
                              " is not a fraction 0..1 of the canvas");
        }
    }
    if (box.w <= 0.0 || box.h <= 0.0) {
        return base::fail(prefix + "w, " + prefix + "h: must be above 0");
    }
    constexpr double kSlack = 1e-6;
    if (box.x + box.w > 1.0 + kSlack) {
        return base::fail(prefix + "w: x + w = " + number(box.x + box.w) +
                          " goes past the right edge (at most 1)");
    }
    if (box.y + box.h > 1.0 + kSlack) {
        return base::fail(prefix + "h: y + h = " + number(box.y + box.h) +
                          " goes past the bottom edge (at most 1)");
    }
    return {};
}

base::Status validateOverlay(const OverlaySpec& o) {
    if (o.id.empty() || o.id.size() > 64) {
        return base::fail("id: a name of 1..64 characters is required");
    }
    switch (o.kind) {
    case OverlayKind::Image: {
        if (o.path.empty()) {
            return base::fail("path: the image file is required");
        }
        std::error_code ec;
        const std::filesystem::path file(o.path);
        if (!file.is_absolute()) {
            return base::fail("path: '" + o.path + "' must be an absolute path");
        }
        if (!std::filesystem::exists(file, ec)) {
            return base::fail("path: " + o.path + " does not exist");
        }
        if (!std::filesystem::is_regular_file(file, ec)) {
            return base::fail("path: " + o.path + " is not a file");
        }
        break;
    }
    case OverlayKind::Input:
        if (o.input.empty()) {
            return base::fail("input: the input's name is required");
        }
        break;
    case OverlayKind::Colour:
        break;
    }
    return validateBox(o.box, "");
}

} // namespace stagecast::director
