#include "director/Platform.h"

#include <cstdlib>

namespace stagecast::director::platform {

const CaptureProbe* captureProbe(std::string_view kind) {
    for (const auto& p : captureProbes()) {
        if (kind == p.kind) {
            return &p;
        }
    }
    return nullptr;
}

const char* moduleOfSource(std::string_view type) {
    if (type == "ffmpeg_source") {
        return "obs-ffmpeg";
    }
    if (type == textSourceType()) {
        return type == "text_gdiplus_v2" ? "obs-text" : "text-freetype2";
    }
    if (type == "scroll_filter") {
        return "obs-filters";
    }
    for (const auto& p : captureProbes()) {
        if (type == p.source) {
            return p.module;
        }
    }
    return "image-source"; // image_source, color_source_v3, slideshow
}

std::string envOr(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : std::move(fallback);
}

} // namespace stagecast::director::platform
