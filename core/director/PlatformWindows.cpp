// Windows: libobs-d3d11 (Direct3D 11), modules as NAME.dll in an OBS Studio install's
// obs-plugins\64bit with data in data\obs-plugins\NAME. Written from OBS Studio 29's module
// and source names; not built or run on Windows yet (docs/director.md).
#include "director/Platform.h"

#include <array>

namespace stagecast::director::platform {

namespace {

constexpr std::array kProbes{
    CaptureProbe{"screen", "monitor_capture", "win-capture", "monitor_id", false, true},
    CaptureProbe{"window", "window_capture", "win-capture", "window", false, true},
    CaptureProbe{"camera", "dshow_input", "win-dshow", "video_device_id", false, true},
    CaptureProbe{"microphone", "wasapi_input_capture", "win-wasapi", "device_id", false, false},
    CaptureProbe{"desktop_audio", "wasapi_output_capture", "win-wasapi", "device_id", false, false},
};

std::string programFiles() {
    return envOr("ProgramFiles", "C:\\Program Files");
}

} // namespace

const char* graphicsModule() {
    return "libobs-d3d11.dll";
}

const char* graphicsName() {
    return "Direct3D 11";
}

std::string defaultPluginDir() {
    return envOr("OBS_PLUGINS_PATH", programFiles() + "\\obs-studio\\obs-plugins\\64bit");
}

std::string defaultPluginDataDir() {
    return envOr("OBS_PLUGINS_DATA_PATH", programFiles() + "\\obs-studio\\data\\obs-plugins");
}

std::filesystem::path moduleBinary(const std::string& pluginDir, const std::string& name) {
    return std::filesystem::path(pluginDir) / (name + ".dll");
}

std::filesystem::path moduleData(const std::string&, const std::string& dataDir,
                                 const std::string& name) {
    return std::filesystem::path(dataDir) / name;
}

std::vector<std::string> defaultModules() {
    return {"image-source", "obs-ffmpeg",  "obs-x264",  "obs-transitions", "obs-filters",
            "obs-text",     "win-capture", "win-dshow", "win-wasapi",      "obs-qsv11"};
}

std::span<const CaptureProbe> captureProbes() {
    return kProbes;
}

const char* textSourceType() {
    return "text_gdiplus_v2";
}

const char* fontFace() {
    return "Arial";
}

std::string audioMonitorProblem() {
    return {}; // the system's audio output is always there
}

const char* fontStyle(bool bold) {
    return bold ? "Bold" : "Regular";
}

} // namespace stagecast::director::platform
