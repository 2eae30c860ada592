#pragma once
/// The libobs source type "stagecast_slot_frame": a frame around one input's slot scene that
/// layouts, overlays, backups and thumbnails place instead of the scene itself. It draws the
/// scene straight into whatever is being rendered and passes the scene's audio on (unless told
/// not to: the input is always in the mix through its tap, below).
///
/// Why: libobs renders a scene that is an item of another scene into a texture of the inner
/// scene's full size first (every slot scene is canvas-sized), then draws that texture scaled
/// into the item's box. In a 2x2 at 1280x720 that is four extra 1280x720 clears and draws per
/// canvas frame, all on the CPU under Mesa's llvmpipe. A source that is not a scene is drawn
/// directly with the item's transform, so the frame costs only the pixels of its box.
///
/// Threads: register once on the director's thread after Engine::start; makeSlotFrame on the
/// director's thread; libobs calls the callbacks on its graphics and audio threads.

#include <obs.h>

#include "director/ObsHandles.h"

namespace stagecast::director {

inline constexpr const char* kSlotFrameId = "stagecast_slot_frame";
/// "stagecast_slot_audio_tap": the scene's sound only, for an output channel (a hub input that
/// is always in the program mix: its sound as libobs placed it against its pictures).
inline constexpr const char* kSlotAudioTapId = "stagecast_slot_audio_tap";

/// "stagecast_straight_picture": an opaque picture (a hub input's) drawn into its box without
/// libobs' linear-sRGB handling and without blending. A scene forces linear sRGB on for every
/// item it draws directly, so an async source's texture is read through sRGB decoding and every
/// pixel written through sRGB encoding and blended with what is below; for an opaque 8-bit
/// picture copied or scaled into its box the result is the same picture (bilinear weights apply
/// to the stored values rather than to linear light). Under Mesa's llvmpipe the 2x2 at 720p30
/// costs 40 % less rasteriser time per canvas frame this way (docs/benchmarks.md, "Input
/// pictures drawn straight"). Sound, size and activity pass through.
inline constexpr const char* kStraightPictureId = "stagecast_straight_picture";

/// Registers the three types.
void registerSlotFrameSource();

/// A new frame around `scene` (held by the frame until it is destroyed); empty when `scene` is
/// null or the type is not registered.
SourceRef makeSlotFrame(obs_scene_t* scene, const char* name);
/// Whether a frame passes its scene's sound on (by default it does). Any thread.
void setSlotFramePassesAudio(obs_source_t* frame, bool pass);
/// A new tap on `scene`'s sound (held like a frame's).
SourceRef makeSlotAudioTap(obs_scene_t* scene, const char* name);
/// A straight picture of `picture` (held like a frame's scene); empty when `picture` is null.
SourceRef makeStraightPicture(obs_source_t* picture, const char* name);

} // namespace stagecast::director
