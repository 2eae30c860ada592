#include "director/DirectorTypes.h"

#include "director/InputSpec.h"
#include "stream/StreamKey.h"

namespace stagecast::director {

const char* toString(LayoutKind kind) {
    switch (kind) {
    case LayoutKind::Full:
        return "full";
    case LayoutKind::PictureInPicture:
        return "pip";
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
    for (auto kind : {LayoutKind::Full, LayoutKind::PictureInPicture}) {
        if (text == toString(kind)) {
            return kind;
        }
    }
    return base::fail("layout '" + std::string(text) + "' is unknown: choose from full, pip");
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
    }
    return {};
}

} // namespace stagecast::director
