#pragma once
/// Layouts as libobs scenes: a new private scene per LayoutSpec, with the inputs' sources as
/// scene items fitted into their boxes (aspect kept, centred).
///
/// Thread: any thread (libobs scene calls are thread-safe); the director calls it under its
/// lock.

#include <cstdint>

#include "director/DirectorTypes.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

struct Box {
    float x = 0;
    float y = 0;
    float width = 0;
    float height = 0;
};

/// Fits `item` into `box`: scaled to fit, aspect kept, centred.
void fitItem(obs_sceneitem_t* item, const Box& box);

/// The inset's box on a canvas of `width` x `height` (picture-in-picture).
Box insetBox(const LayoutSpec& spec, std::uint32_t width, std::uint32_t height);

/// A scene showing `spec`: `main` full canvas, and for picture-in-picture `inset` in its box.
/// `inset` is ignored for the full layout.
SceneRef buildLayout(const LayoutSpec& spec, obs_source_t* main, obs_source_t* inset,
                     std::uint32_t width, std::uint32_t height);

} // namespace stagecast::director
