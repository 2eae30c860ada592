// macOS: libobs-opengl (OBS Studio 29 draws with OpenGL on macOS), modules as plug-in bundles
// NAME.plugin (library in Contents/MacOS, data in Contents/Resources) in OBS.app's PlugIns.
// Written from OBS Studio 29's module and source names; not built or run on macOS yet
// (docs/director.md).
#include "director/Platform.h"

#include <array>

namespace stagecast::director::platform {

namespace {

constexpr std::array kProbes{
    CaptureProbe{"screen", "display_capture", "mac-capture", "display", true, false},
    CaptureProbe{"window", "window_capture", "mac-capture", "window", false, false},
    CaptureProbe{"camera", "av_capture_input", "mac-avcapture", "device", false, true},
    CaptureProbe{"microphone", "coreaudio_input_capture", "mac-capture", "device_id", false, false},
    CaptureProbe{"desktop_audio", "coreaudio_output_capture", "mac-capture", "device_id", false,
                 false},
};

} // namespace

const char* graphicsModule() {
    return "libobs-opengl";
}

const char* graphicsName() {
    return "OpenGL";
}

std::string defaultPluginDir() {
    return envOr("OBS_PLUGINS_PATH", "/Applications/OBS.app/Contents/PlugIns");
}

std::string defaultPluginDataDir() {
    // In a bundle each module's data is inside the module (moduleData); a flat data folder is
    // used only when OBS_PLUGINS_DATA_PATH names one.
    return envOr("OBS_PLUGINS_DATA_PATH", "");
}

std::filesystem::path moduleBinary(const std::string& pluginDir, const std::string& name) {
    return std::filesystem::path(pluginDir) / (name + ".plugin") / "Contents" / "MacOS" / name;
}

std::filesystem::path moduleData(const std::string& pluginDir, const std::string& dataDir,
                                 const std::string& name) {
    if (!dataDir.empty()) {
        return std::filesystem::path(dataDir) / name;
    }
    return std::filesystem::path(pluginDir) / (name + ".plugin") / "Contents" / "Resources";
}

std::vector<std::string> defaultModules() {
    return {"image-source",   "obs-ffmpeg",  "obs-x264",      "obs-transitions", "obs-filters",
            "text-freetype2", "mac-capture", "mac-avcapture", "mac-videotoolbox"};
}

std::span<const CaptureProbe> captureProbes() {
    return kProbes;
}

const char* textSourceType() {
    return "text_ft2_source_v2";
}

const char* fontFace() {
    return "Helvetica";
}

std::string audioMonitorProblem() {
    return {}; // the system's audio output is always there
}

const char* fontStyle(bool bold) {
    return bold ? "Bold" : "Regular";
}

} // namespace stagecast::director::platform
