#pragma once
/// Plain values the director's facade takes and returns (no libobs types), for app/ and the
/// API: layouts, input and program figures.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/Result.h"
#include "director/SlotTypes.h"
#include "director/TransitionSpec.h"

namespace stagecast::director {

enum class LayoutKind : std::uint8_t {
    Full = 1,
    PictureInPicture,
    SideBySide,   // "side-by-side": two halves
    Grid2x2,      // "2x2": four quadrants
    OnePlusThree, // "1+3": one large (left 3/4) and three stacked on the right
    Custom        // "custom": up to kMaxSlots slots, each in its own box
};
enum class Corner : std::uint8_t { TopLeft = 1, TopRight, BottomLeft, BottomRight };

/// What a layout shows: `main` fills the canvas (kept in aspect, centred); picture-in-picture
/// adds `inset` in `corner`, `size` times the canvas width, `margin` from the edges.
struct LayoutSpec {
    LayoutKind kind = LayoutKind::Full;
    std::string main;  // hub stream APP/NAME
    std::string inset; // picture-in-picture only
    Corner corner = Corner::BottomRight;
    double size = 0.3;         // 0.1..0.9
    std::uint32_t margin = 32; // canvas pixels
    /// Picture-in-picture: a frame of `border` canvas pixels in `borderColour` (0xAARRGGBB)
    /// around the inset's box (0: none).
    std::uint32_t border = 0;
    std::uint32_t borderColour = 0xffffffff;
    /// side-by-side, 2x2, 1+3 and custom: the slots in z order (later on top). The presets
    /// compute the boxes (see LayoutGeometry.h); custom gives them.
    std::vector<LayoutSlot> slotList; // "slots" in JSON (slots is a Qt keyword)
    /// The saved layout (SavedLayouts.h) this was recalled from; empty when made ad hoc.
    std::string name;

    bool operator==(const LayoutSpec&) const = default;
};

inline constexpr std::size_t kMaxSlots = 9;

const char* toString(LayoutKind kind); // "full", "pip", "side-by-side", "2x2", "1+3", "custom"
const char* toString(Corner corner);   // "top-left", ...
base::Result<LayoutKind> parseLayoutKind(std::string_view text);
base::Result<Corner> parseCorner(std::string_view text);
/// Checks names and ranges; the message names the field and what is allowed.
base::Status validate(const LayoutSpec& spec);

/// An audio level in dBFS: the highest sample and the RMS over the latest ~100 ms;
/// kSilenceDb when there is no sound (or none for half a second).
inline constexpr double kSilenceDb = -100.0;
struct Meter {
    double peakDb = kSilenceDb;
    double rmsDb = kSilenceDb;
};

/// An input's audio sync offset as the operator sets it (OBS' range): positive delays the
/// sound against the picture, negative plays it earlier (libobs then buffers the whole mix
/// that much longer).
inline constexpr int kMinSyncOffsetMs = -950;
inline constexpr int kMaxSyncOffsetMs = 20000;

/// The one check of a sync offset (the API, the mixer and the scene collection): empty when
/// `ms` (absent: not a whole number) is in range, else the message that names the range.
std::optional<std::string> syncOffsetProblem(std::optional<std::int64_t> ms);

/// What POST /api/v1/director/audio may change besides volume and mute; each may be left out.
struct AudioRouting {
    std::optional<bool> followVideo; // false: always in the program mix
    std::optional<bool> monitor;
    std::optional<int> syncOffsetMs; // kMinSyncOffsetMs..kMaxSyncOffsetMs

    bool empty() const { return !followVideo && !monitor && !syncOffsetMs; }
};

struct InputFigures {
    std::string stream;
    std::string state; // "live", "stalled", "off"
    std::uint64_t videoFrames = 0;
    std::uint64_t audioFrames = 0;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::string lastProblem;
    bool standby = false; // the standby slate shows in its place
    double volume = 1.0;  // linear gain into the program mix
    bool muted = false;
    bool onProgram = false;
    bool onPreview = false;
    std::string kind = "stream";   // or a director input's kind (InputSpec: media, image, ...)
    std::string settingsJson;      // a director input's InputSpec as JSON
    std::string backup;            // the input standing in while this one is not live
    std::string showing = "input"; // "input", "backup" or "slate"
    Meter meter;                   // after volume and mute
    bool hasAudio = true;          // the libobs source makes sound (colour, text: no)
    bool followVideo = true;       // false: always in the program mix
    bool monitor = false;
    std::string monitorProblem; // why the monitor may stay silent (no audio device)
    int syncOffsetMs = 0;       // the operator's, on top of a hub input's own frame of delay
};

struct ProgramFigures {
    bool active = false;
    std::uint64_t videoPackets = 0;
    std::uint64_t audioPackets = 0;
    std::uint64_t bytes = 0;
    std::string lastError;
};

/// The program's video encoder: what the config asked for and what runs.
struct ProgramEncoder {
    std::string wanted;      // director.video_encoder
    std::string id;          // the libobs encoder in use
    std::string note;        // why `id` is not what was wanted; empty when it is
    std::string rateControl; // "cbr" or "vbr"
    std::uint32_t kbps = 0;
    std::uint32_t keyframeSeconds = 0;
    std::vector<std::string> available; // libobs' H.264 encoders on this machine
};

/// The preview output (PreviewOutput.h): off when preview_output is false.
struct PreviewFigures {
    bool enabled = false;
    std::string stream;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint32_t fps = 0;
    ProgramFigures output;          // active, video packets (= frames), bytes, last error
    std::uint64_t bitrateKbps = 0;  // measured: bytes published since start / time
    std::uint64_t laggedFrames = 0; // preview frames libobs could not hand on in time
};

/// The multiview stream (Multiview.h): on or off and its encoding; kept in the collection.
struct MultiviewSettings {
    bool on = false;
    std::string stream = "live/multiview";
    std::uint32_t width = 1280;
    std::uint32_t height = 720;
    std::uint32_t fps = 10; // must divide the canvas fps
    std::uint32_t kbps = 1500;

    bool operator==(const MultiviewSettings&) const = default;
};

/// What a take (Cut, Auto) answers: the program's media time (its pts in the program stream)
/// when the take was made, so a player can find the first frame of the new shot.
struct Take {
    std::optional<std::chrono::milliseconds> programTime;
    /// libobs' count of frames it could not render in time so far (it repeats the previous
    /// picture for them): frames lagged after a take delay it by as many frames.
    std::uint32_t laggedFrames = 0;
};

/// What a T-bar move did: `completed` (it reached 1, the preview is on program) or
/// `cancelled` (back to 0 before 1, program unchanged); `position` after the move.
struct TbarMove {
    bool completed = false;
    bool cancelled = false;
    double position = 0.0;
};

/// What the director reports as it happens (the API's "director" event topic).
///   "tally":   after a take or a new preview: which inputs are on program and on preview
///   "standby": an input's slate went on (standby true, with the input's state) or off
///   "input":   a new input (a stream was published)
///   "meters":  every input's level and the program's, at most every 100 ms
struct DirectorEvent {
    std::string event;
    std::string stream; // standby, input
    bool standby = false;
    std::string state;                   // standby: "off", "stalled", "live"
    std::vector<std::string> onProgram;  // tally
    std::vector<std::string> onPreview;  // tally
    std::vector<std::string> overlaysOn; // tally: the ids of the overlays showing
    std::string showing;                 // standby: "input", "backup" or "slate"
    /// meters: each input's level and the program mix's.
    std::vector<std::pair<std::string, Meter>> meters;
    Meter programMeter;
};

struct ModuleStatus {
    std::string module;
    std::string problem; // empty when loaded
};

struct DirectorState {
    PreviewFigures multiview; // enabled while the multiview stream is on
    MultiviewSettings multiviewSettings;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint32_t fps = 0;
    std::uint32_t renderedFrames = 0; // libobs' canvas frames so far
    std::uint32_t laggedFrames = 0;   // ...of which it could not render in time
    std::uint32_t skippedFrames = 0;  // canvas frames the encoders missed (video output)
    std::string programStream;
    std::string windowSystem; // "x11" or "wayland": what libobs draws through
    std::string display;      // ":99", "wayland-1"
    std::string renderer;     // GL_RENDERER: "llvmpipe (LLVM 15.0.6, 256 bits)"
    bool hasPreview = false;
    LayoutSpec preview;
    bool hasProgram = false;
    LayoutSpec program;
    bool transitioning = false;
    std::vector<OverlaySpec> overlays; // the overlay layer, bottom to top
    std::vector<InputFigures> inputs;
    ProgramFigures output;
    ProgramEncoder encoder;
    PreviewFigures previewOutput;
    std::vector<ModuleStatus> modules;
    std::string collectionFile;
    /// Entries of the saved collection left out at start, each naming where and why.
    std::vector<std::string> collectionProblems;
    TransitionSpec transition; // what Auto and the T-bar use
    double tbarPosition = 0.0; // 0: no manual take in progress
    Meter programMeter;        // the program mix
    std::vector<std::string> lumaImages;
};

} // namespace stagecast::director
