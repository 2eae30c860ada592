#include "config/DirectorSection.h"

#include <algorithm>

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

} // namespace

std::vector<Field> directorFields(DirectorConfig& d) {
    return {
        boolField("enabled", d.enabled),
        intField("width", d.width, 16, 7680),
        intField("height", d.height, 16, 4320),
        intField("fps", d.fps, 1, 120),
        stringField("program_stream", d.programStream, checkStreamName),
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
