#pragma once
/// Plain values for layouts made of slots and for the overlay layer (no libobs types): a
/// slot's box in canvas fractions, a layout slot (an input in a box), an overlay item, and
/// colours written "#RRGGBB" / "#AARRGGBB".

#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::director {

/// A box on the canvas in fractions 0..1 of its width and height, from the top-left corner.
struct SlotBox {
    double x = 0;
    double y = 0;
    double w = 1;
    double h = 1;

    bool operator==(const SlotBox&) const = default;
};

/// One slot of a layout: `input` (a director input, e.g. a hub stream APP/NAME; empty shows
/// black) fitted into `box` (aspect kept, centred).
struct LayoutSlot {
    std::string input;
    SlotBox box;

    bool operator==(const LayoutSlot&) const = default;
};

/// What an overlay item shows: an image file, a director input (today a hub stream; any
/// input kind the director knows by name plugs in the same way), or a plain colour box.
enum class OverlayKind : std::uint8_t { Image = 1, Input, Colour };

/// One item of the overlay layer (the downstream keyer): drawn over every layout, in list
/// order (later on top), shown while `on`, whatever Cut and Auto do below it.
struct OverlaySpec {
    std::string id; // the operator's name for it, unique
    OverlayKind kind = OverlayKind::Colour;
    std::string path;         // Image: an image file (PNG, JPEG, ...)
    std::string input;        // Input: the input's name
    std::uint32_t colour = 0; // Colour: 0xAARRGGBB
    SlotBox box;              // where it goes; the picture is fitted (aspect kept)
    bool on = false;

    bool operator==(const OverlaySpec&) const = default;
};

inline constexpr std::size_t kMaxOverlays = 16;

const char* toString(OverlayKind kind); // "image", "input", "color"
base::Result<OverlayKind> parseOverlayKind(std::string_view text);

/// "#RRGGBB" (opaque) or "#AARRGGBB" to 0xAARRGGBB.
base::Result<std::uint32_t> parseColour(std::string_view text);
/// 0xAARRGGBB as "#AARRGGBB".
std::string colourText(std::uint32_t argb);
/// 0xAARRGGBB as libobs stores colours (0xAABBGGRR).
std::uint32_t toObsColour(std::uint32_t argb);

/// Checks a box: each value a fraction 0..1, width and height above 0, inside the canvas.
/// Messages name the field under `field` ("slots[2].w: 1.5 is not a fraction 0..1"; an
/// empty `field` names x, y, w, h alone).
base::Status validateBox(const SlotBox& box, const std::string& field);
/// Checks an overlay's id, kind-specific fields (the image file exists and is a file) and box.
base::Status validateOverlay(const OverlaySpec& overlay);

} // namespace stagecast::director
