#pragma once
/// Layouts as libobs scenes: a new private scene per LayoutSpec, with the inputs' sources as
/// scene items fitted into their boxes (aspect kept, centred) and plain colour boxes (an
/// empty slot's black, a picture-in-picture border), as LayoutGeometry places them.
///
/// Thread: any thread (libobs scene calls are thread-safe); the director calls it under its
/// lock.

#include <cstdint>
#include <functional>
#include <string>

#include "director/DirectorTypes.h"
#include "director/LayoutGeometry.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

/// Fits `item` into `box`: scaled to fit, aspect kept, centred.
void fitItem(obs_sceneitem_t* item, const Box& box);

/// A private colour source of `argb` (0xAARRGGBB) and the size of `box`; empty when the
/// image-source module is missing.
SourceRef makeColourSource(std::uint32_t argb, const Box& box, const char* name);

/// An input's source by name (nullptr: not available, the slot stays black).
using SourceLookup = std::function<obs_source_t*(const std::string& input)>;

/// A scene showing `spec`: every placed item bottom to top, inputs looked up by name.
SceneRef buildLayout(const LayoutSpec& spec, const SourceLookup& lookup, std::uint32_t width,
                     std::uint32_t height);

} // namespace stagecast::director
