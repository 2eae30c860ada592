#pragma once
/// What a transition between program and preview is, as plain values (no libobs): the kinds
/// of libobs' obs-transitions module with their settings, checked with messages that name the
/// field and what is allowed.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace stagecast::director {

enum class TransitionType : std::uint8_t {
    Cut = 1,
    Fade,
    Swipe,
    Slide,
    FadeToColour,
    LumaWipe,
    Stinger
};

struct TransitionSpec {
    TransitionType type = TransitionType::Fade;
    /// Ignored by cut; a stinger lasts as long as its media file.
    std::chrono::milliseconds duration{1000};
    std::string direction = "left";     // swipe, slide: left, right, up, down
    std::uint32_t colour = 0x000000;    // fade-to-colour: 0xRRGGBB
    int switchPoint = 50;               // fade-to-colour: percent of the duration, 0..100
    std::string image = "linear-h";     // luma wipe: a bundled luma image, without ".png"
    double softness = 0.03;             // luma wipe: 0..1
    bool invert = false;                // luma wipe
    std::string path;                   // stinger: a media file
    std::int64_t transitionPointMs = 0; // stinger: when the program switches under it
    /// Stinger track matte: "none"; "horizontal" (the clip's left half is the picture, the
    /// right half the matte), "vertical" (top picture, bottom matte) or "mask" (the whole
    /// clip is the matte, nothing drawn over). White in the matte shows the new program,
    /// black the old one, grey a mixture; `invertMatte` swaps them.
    std::string matte = "none";
    bool invertMatte = false;

    bool operator==(const TransitionSpec&) const = default;
};

const char* toString(TransitionType type); // "cut", "fade", "swipe", ...
/// The libobs source type id ("fade_transition", "obs_stinger_transition", ...).
const char* obsTransitionId(TransitionType type);
base::Result<TransitionType> parseTransitionType(std::string_view text);
/// "cut, fade, swipe, slide, fade_to_color, luma_wipe, stinger"
std::string transitionTypeList();
/// "left, right, up, down"
std::string directionList();
/// "none, horizontal, vertical, mask"
std::string matteList();
/// libobs' track_matte_layout for a matte name (0 horizontal, 1 vertical, 3 mask); -1 for
/// "none" or an unknown name.
int obsMatteLayout(std::string_view matte);

/// Checks ranges and names; the stinger's file must exist. `lumaImages` are the module's
/// bundled luma images (names without ".png"). The message names the field.
base::Status validate(const TransitionSpec& spec, const std::vector<std::string>& lumaImages);

/// "#rrggbb" and back.
std::string rgbText(std::uint32_t rgb);
base::Result<std::uint32_t> parseRgb(std::string_view text);

} // namespace stagecast::director
