#pragma once
/// Which libobs H.264 encoder the program uses. The operator names one in the config
/// (`director.video_encoder`): "x264", a family of hardware encoders ("nvenc", "qsv", "amf",
/// "vaapi", "videotoolbox"), "auto" (the first hardware family libobs offers on this machine,
/// else x264), or a libobs encoder id as OBS Studio lists it. Hardware that is not there falls
/// back to x264 with a note naming what was asked for, so the program always goes out.
/// Pure logic: no libobs here (the available ids come from ProgramOutput).

#include <string>
#include <string_view>
#include <vector>

namespace stagecast::director {

inline constexpr const char* kX264EncoderId = "obs_x264";

struct EncoderChoice {
    std::string id;   // the libobs encoder id to create
    std::string note; // empty when the wanted encoder is used; else why not, naming it
};

/// The libobs ids a family name stands for, best first; empty when `name` is not a family.
std::vector<std::string> encoderIdsFor(std::string_view name);

/// The encoder to create for `wanted` among `available` (libobs' H.264 video encoders here).
EncoderChoice chooseVideoEncoder(const std::string& wanted,
                                 const std::vector<std::string>& available);

/// The libobs `rate_control` value for the config's "cbr" / "vbr".
std::string obsRateControl(std::string_view rateControl);

} // namespace stagecast::director
