#include "director/DirectorTypes.h"

#include "director/InputSpec.h"
#include "director/LayoutGeometry.h"
#include "stream/StreamKey.h"

namespace stagecast::director {

std::optional<std::string> syncOffsetProblem(std::optional<std::int64_t> ms) {
    if (ms && *ms >= kMinSyncOffsetMs && *ms <= kMaxSyncOffsetMs) {
        return std::nullopt;
    }
    return "sync_offset_ms: whole milliseconds " + std::to_string(kMinSyncOffsetMs) + ".." +
           std::to_string(kMaxSyncOffsetMs) + " (positive delays the sound)";
}

const char* toString(LayoutKind kind) {
    switch (kind) {
    case LayoutKind::Full:
        return "full";
    case LayoutKind::PictureInPicture:
        return "pip";
    case LayoutKind::SideBySide:
        return "side-by-side";
    case LayoutKind::Grid2x2:
        return "2x2";
    case LayoutKind::OnePlusThree:
        return "1+3";
    case LayoutKind::Custom:
        return "custom";
    }
    return "unknown";
}

const char* toString(Corner corner) {
    switch (corner) {
    case Corner::TopLeft:
        return "top-left";
    case Corner::TopRight:
        return "top-right";
    case Corner::BottomLeft:
        return "bottom-left";
    case Corner::BottomRight:
        return "bottom-right";
    }
    return "unknown";
}

base::Result<LayoutKind> parseLayoutKind(std::string_view text) {
    for (auto kind : {LayoutKind::Full, LayoutKind::PictureInPicture, LayoutKind::SideBySide,
                      LayoutKind::Grid2x2, LayoutKind::OnePlusThree, LayoutKind::Custom}) {
        if (text == toString(kind)) {
            return kind;
        }
    }
    return base::fail("layout '" + std::string(text) +
                      "' is unknown: choose from full, pip, side-by-side, 2x2, 1+3, custom");
}

base::Result<Corner> parseCorner(std::string_view text) {
    for (auto c : {Corner::TopLeft, Corner::TopRight, Corner::BottomLeft, Corner::BottomRight}) {
        if (text == toString(c)) {
            return c;
        }
    }
    return base::fail("corner '" + std::string(text) +
                      "' is unknown: choose from top-left, top-right, bottom-left, bottom-right");
}

base::Status validate(const LayoutSpec& spec) {
    if (usesSlots(spec.kind)) {
        return validateSlots(spec);
    }
    if (auto key = stream::StreamKey::parse(spec.main); !key && !isLocalInputId(spec.main)) {
        return base::fail("main: " + key.error().message());
    }
    if (spec.kind == LayoutKind::PictureInPicture) {
        if (auto key = stream::StreamKey::parse(spec.inset); !key && !isLocalInputId(spec.inset)) {
            return base::fail("inset: " + key.error().message());
        }
        if (!(spec.size >= 0.1 && spec.size <= 0.9)) {
            return base::fail("size: " + std::to_string(spec.size) +
                              " is out of range 0.1..0.9 (a fraction of the canvas width)");
        }
        if (spec.margin > 1000) {
            return base::fail("margin: " + std::to_string(spec.margin) +
                              " is out of range 0..1000 pixels");
        }
        if (spec.border > 100) {
            return base::fail("border: " + std::to_string(spec.border) +
                              " is out of range 0..100 pixels");
        }
    }
    return {};
}

} // namespace stagecast::director
