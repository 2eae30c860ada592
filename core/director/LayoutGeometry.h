#pragma once
/// Where a layout puts things, without libobs: the preset layouts' slot boxes (side-by-side,
/// 2x2, 1+3), custom slots' validation, and every layout (full and picture-in-picture too)
/// flattened to a list of placed items in canvas pixels that Layouts turns into a scene.
///
/// Presets (fractions of the canvas):
///   side-by-side  two halves, left and right
///   2x2           four quadrants: top-left, top-right, bottom-left, bottom-right
///   1+3           one large box on the left (3/4 of the width, full height) and three
///                 stacked on the right (1/4 wide, 1/3 high each), as vMix's "1+3"
/// Each input is fitted into its box (aspect kept, centred): letterboxed, never cropped.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/Result.h"
#include "director/DirectorTypes.h"

namespace stagecast::director {

/// A box in canvas pixels.
struct Box {
    float x = 0;
    float y = 0;
    float width = 0;
    float height = 0;
};

/// True for the layouts made of slots (side-by-side, 2x2, 1+3, custom).
bool usesSlots(LayoutKind kind);
/// How many slots a layout takes at most (full 1, pip 2, side-by-side 2, 2x2 and 1+3 4,
/// custom kMaxSlots).
std::size_t maxSlots(LayoutKind kind);
/// The preset's boxes in slot order; empty for full, pip and custom.
std::vector<SlotBox> presetBoxes(LayoutKind kind);

/// A preset's slots padded to the preset's count (missing ones empty: black) with the
/// preset's boxes; other layouts unchanged.
LayoutSpec normalised(LayoutSpec spec);
/// Checks a slot layout: the slot count, each input's name (empty allowed), each custom box.
/// Messages name the field ("slots[2].w: ...", "slots: 2x2 takes at most 4 inputs").
base::Status validateSlots(const LayoutSpec& spec);
/// The inputs a layout shows (main, inset, slots), each once, empty slots left out.
std::vector<std::string> inputsOf(const LayoutSpec& spec);

/// The layout without `input` (an input being removed): its slots emptied; picture-in-picture
/// without it as the inset becomes `full` of the main input; nullopt when it was the main
/// input (nothing is left to show). Unchanged when the layout does not show it.
std::optional<LayoutSpec> withoutInput(LayoutSpec spec, const std::string& input);

/// The inputs a layout names with the field each is in ("" for main and inset, "slots[2].input"),
/// empty slots left out: for errors that name the field.
std::vector<std::pair<std::string, std::string>> namedInputs(const LayoutSpec& spec);
/// "2x2 live/a live/b - live/d" ("-": an empty slot), "pip live/a + live/b", "full live/a".
std::string describe(const LayoutSpec& spec);

/// The inset's box on a canvas of `width` x `height` (picture-in-picture).
Box insetBox(const LayoutSpec& spec, std::uint32_t width, std::uint32_t height);
/// `box` in canvas pixels.
Box toPixels(const SlotBox& box, std::uint32_t width, std::uint32_t height);

/// One thing a layout draws, bottom to top: an input fitted into `box`, or (when `colour` is
/// set) a plain colour filling `box` (an empty slot's black, the inset's border).
struct PlacedItem {
    std::string input;
    Box box;
    std::optional<std::uint32_t> colour; // 0xAARRGGBB
};
std::vector<PlacedItem> place(const LayoutSpec& spec, std::uint32_t width, std::uint32_t height);

} // namespace stagecast::director
