#pragma once
/// Text drawn by this system's OBS text source (Platform.h: FreeType 2 on Linux and macOS,
/// GDI+ on Windows): labels of the standby slate and the multiview, text and lower-third
/// inputs. One place that knows each source's settings keys.

#include <cstdint>
#include <string>

#include "director/ObsHandles.h"

namespace stagecast::director {

struct TextLook {
    int size = 32; // font size in canvas pixels
    bool bold = false;
    std::uint32_t abgr = 0xffffffff; // libobs colour, 0xAABBGGRR
    bool shadow = false;             // a drop shadow (FreeType) or outline (GDI+) for contrast
};

/// A private text source showing `text`; empty when the text module is not loaded.
SourceRef makeTextSource(const std::string& name, const std::string& text, const TextLook& look);

/// Shows other text on a source made by makeTextSource.
void setText(obs_source_t* source, const std::string& text);

} // namespace stagecast::director
