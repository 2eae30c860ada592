#pragma once
/// Inputs the director defines itself (not hub streams): media files, images, colours, colour
/// bars, text (static, clock, countdown, ticker), lower thirds and local capture. Each has an
/// id `KIND:NAME` (`media:intro`, `color:black`, `capture:screen0`): the ':' never occurs in a
/// hub stream name (APP/NAME), so the two never clash, and layouts name either the same way.
///
/// Plain values and their JSON form (the API body and the scene collection entry are the
/// same object). No libobs.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace stagecast::director {

enum class InputKind : std::uint8_t {
    Media = 1,  // a file played by ffmpeg_source, looping or once
    Image,      // image_source
    Color,      // color_source_v3 over the canvas
    Pattern,    // colour bars (seven colour sources side by side)
    Text,       // text_ft2_source_v2: static, clock, countdown, ticker (scroll filter)
    LowerThird, // a bar with a name and a title
    Capture,    // local capture: screen, window, camera, microphone, desktop_audio
};

const char*
toString(InputKind kind); // "media", "image", "color", "pattern", "text", "lower3", "capture"
base::Result<InputKind> parseInputKind(std::string_view text);

struct InputSpec {
    std::string id; // KIND:NAME
    InputKind kind = InputKind::Color;
    std::string file;            // media, image: an absolute path
    bool loop = true;            // media
    std::uint32_t color = 0;     // color, lower3 bar, text: 0xRRGGBB
    std::string text;            // text (static, ticker); lower3: the name
    std::string title;           // lower3
    std::string mode = "static"; // text: static, clock, countdown, ticker
    std::int64_t seconds = 0;    // text countdown: from creation for N seconds
    std::string until;           // text countdown: to HH:MM[:SS] local time
    std::string capture;         // capture: screen, window, camera, microphone, desktop_audio
    std::string device;          // capture: the device id from GET /api/v1/director/capture
    double toneHz = 0;           // pattern: a line-up tone of this frequency (0: silent bars)
    double toneDb = -20;         // pattern: the tone's level, dBFS

    bool operator==(const InputSpec&) const = default;
};

/// Whether `name` is a director input id (has a ':'), rather than a hub stream.
bool isLocalInputId(std::string_view name);

/// Parses and checks an API body / collection entry; the message names the field and what is
/// allowed. Files are not checked here (Director::addInput checks they exist).
base::Result<InputSpec> parseInputSpec(std::string_view json);
std::string toJson(const InputSpec& spec);

/// One kind of local capture and what this machine offers of it right now.
struct CaptureDevice {
    std::string id;   // for InputSpec::device
    std::string name; // as the system names it
};
struct CaptureKind {
    std::string kind;   // screen, window, camera, microphone, desktop_audio
    std::string source; // the libobs source type (xshm_input, ...)
    bool available = false;
    std::string reason; // when not available or no device: why
    std::vector<CaptureDevice> devices;
};

} // namespace stagecast::director
