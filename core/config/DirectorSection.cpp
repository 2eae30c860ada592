#include "config/DirectorSection.h"

#include <algorithm>
#include <initializer_list>

namespace stagecast::config::detail {

namespace {

Status checkStreamName(const std::string& s, const std::string& path) {
    const auto slash = s.find('/');
    const bool shape = slash != std::string::npos && slash > 0 && slash + 1 < s.size() &&
                       s.find('/', slash + 1) == std::string::npos;
    const bool chars = std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.' || c == '/';
    });
    if (!shape || !chars) {
        return fail(path + ": '" + s + "' must be APP/NAME (letters, digits, - _ .)");
    }
    return {};
}

Status checkEncoder(const std::string& s, const std::string& path) {
    // A family name or a libobs encoder id (OBS ids are lower-case words, dots, underscores).
    const bool ok = !s.empty() && s.size() <= 100 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    });
    if (!ok) {
        return fail(path + ": '" + s +
                    "' must be x264, auto, nvenc, qsv, amf, vaapi, videotoolbox or a libobs "
                    "encoder id");
    }
    return {};
}

Status checkOneOf(const std::string& s, const std::string& path,
                  std::initializer_list<const char*> allowed) {
    std::string list;
    for (const char* a : allowed) {
        if (s == a) {
            return {};
        }
        list += (list.empty() ? "" : ", ") + std::string(a);
    }
    return fail(path + ": '" + s + "' must be one of " + list);
}

} // namespace

std::vector<Field> directorFields(DirectorConfig& d) {
    return {
        boolField("enabled", d.enabled),
        intField("width", d.width, 16, 7680),
        intField("height", d.height, 16, 4320),
        intField("fps", d.fps, 1, 120),
        stringField("program_stream", d.programStream, checkStreamName),
        stringField("video_encoder", d.videoEncoder, checkEncoder),
        stringField("rate_control", d.rateControl,
                    [](const std::string& s, const std::string& path) {
                        return checkOneOf(s, path, {"cbr", "vbr"});
                    }),
        intField("keyframe_interval_s", d.keyframeIntervalS, 1, 10),
        stringField("x264_preset", d.x264Preset,
                    [](const std::string& s, const std::string& path) {
                        return checkOneOf(s, path,
                                          {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                           "medium", "slow", "slower", "veryslow", "placebo"});
                    }),
        intField("video_bitrate_kbps", d.videoBitrateKbps, 100, 100000),
        intField("audio_bitrate_kbps", d.audioBitrateKbps, 32, 512),
        intField("transition_ms", d.transition, 0, 60000),
        intField("stall_ms", d.stall, 100, 60000),
        boolField("preview_output", d.previewOutput),
        stringField("preview_stream", d.previewStream, checkStreamName),
        intField("preview_width", d.previewWidth, 16, 3840),
        intField("preview_height", d.previewHeight, 16, 2160),
        intField("preview_fps", d.previewFps, 1, 120),
        intField("preview_bitrate_kbps", d.previewBitrateKbps, 100, 20000),
    };
}

} // namespace stagecast::config::detail
