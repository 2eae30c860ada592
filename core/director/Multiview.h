#pragma once
/// The multiview, as vision mixers' multiviewers show it: one picture with the preview
/// (top left) and the program (top right) over up to kMultiviewInputs inputs in the lower
/// half (up to eight: two rows of four quarter-size boxes; more: rows of eight eighth-size
/// boxes, four rows at most), each box in a tally frame (red on program, green in preview, grey
/// otherwise) with its name. Built as a private libobs scene over the canvas and rebuilt when
/// inputs, tally or the program transition change; a PreviewOutput of its own renders it at its
/// size and publishes it into the hub (`live/multiview` by default) while it is on.
///
/// Thread: the director's lock.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "director/LayoutGeometry.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

inline constexpr std::size_t kMultiviewInputs = 32;

struct MultiviewTile {
    std::string name;
    obs_source_t* source = nullptr; // the input's slot (standby slate included)
    bool onProgram = false;
    bool onPreview = false;
};

/// The boxes on a width x height canvas: [0] preview, [1] program, then `inputs` boxes (at
/// most kMultiviewInputs) under them: rows of four (w/4 x h/4) for up to eight inputs, rows
/// of eight (w/8 x h/8) for more. Every box keeps the canvas' aspect.
std::vector<Box> multiviewBoxes(std::uint32_t width, std::uint32_t height, std::size_t inputs);

/// The tally frame's width in canvas pixels (about 0.6 % of the width, at least 2).
float multiviewFrame(std::uint32_t width);

/// The multiview scene: `preview` and `program` (the on-air transition), each with the
/// `overlay` layer over it as it goes out, and the tiles (the first kMultiviewInputs) with
/// frames and names. Empty when libobs cannot make a scene.
SceneRef buildMultiview(obs_source_t* preview, bool previewLive, obs_source_t* program,
                        obs_source_t* overlay, const std::vector<MultiviewTile>& tiles,
                        std::uint32_t width, std::uint32_t height);

} // namespace stagecast::director
