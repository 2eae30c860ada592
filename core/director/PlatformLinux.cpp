// Linux: libobs-opengl over EGL (X11 or Wayland, GraphicsPlatform), modules as NAME.so in
// the folder libobs was built for (obsconfig.h: /usr/lib/<multiarch>/obs-plugins on Debian).
#include "director/Platform.h"

#include <array>

#include <obsconfig.h> // OBS_INSTALL_PREFIX, OBS_PLUGIN_DESTINATION, OBS_DATA_PATH

namespace stagecast::director::platform {

namespace {

constexpr std::array kProbes{
    CaptureProbe{"screen", "xshm_input", "linux-capture", "screen", true, true},
    CaptureProbe{"window", "xcomposite_input", "linux-capture", "capture_window", false, true},
    CaptureProbe{"camera", "v4l2_input", "linux-v4l2", "device_id", false, true},
    CaptureProbe{"microphone", "pulse_input_capture", "linux-pulseaudio", "device_id", false,
                 false},
    CaptureProbe{"desktop_audio", "pulse_output_capture", "linux-pulseaudio", "device_id", false,
                 false},
};

} // namespace

const char* graphicsModule() {
    return "libobs-opengl.so.1";
}

const char* graphicsName() {
    return "OpenGL over EGL";
}

std::string defaultPluginDir() {
    return envOr("OBS_PLUGINS_PATH", OBS_INSTALL_PREFIX OBS_PLUGIN_DESTINATION);
}

std::string defaultPluginDataDir() {
    return envOr("OBS_PLUGINS_DATA_PATH", OBS_INSTALL_PREFIX OBS_DATA_PATH "/obs-plugins");
}

std::filesystem::path moduleBinary(const std::string& pluginDir, const std::string& name) {
    return std::filesystem::path(pluginDir) / (name + ".so");
}

std::filesystem::path moduleData(const std::string&, const std::string& dataDir,
                                 const std::string& name) {
    return std::filesystem::path(dataDir) / name;
}

std::vector<std::string> defaultModules() {
    return {"image-source",   "obs-ffmpeg",    "obs-x264",         "obs-transitions", "obs-filters",
            "text-freetype2", "linux-capture", "linux-pulseaudio", "linux-v4l2"};
}

std::span<const CaptureProbe> captureProbes() {
    return kProbes;
}

const char* textSourceType() {
    return "text_ft2_source_v2";
}

const char* fontFace() {
    return "DejaVu Sans";
}

std::string audioMonitorProblem() {
    if (!envOr("PULSE_SERVER", "").empty()) {
        return {};
    }
    const std::string runtime = envOr("XDG_RUNTIME_DIR", "");
    std::error_code ec;
    if (runtime.empty() ||
        !std::filesystem::exists(std::filesystem::path(runtime) / "pulse" / "native", ec)) {
        return "no PulseAudio server found (PULSE_SERVER, $XDG_RUNTIME_DIR/pulse/native): "
               "the monitor is set but nothing will be heard";
    }
    return {};
}

const char* fontStyle(bool bold) {
    return bold ? "Bold" : "Book";
}

} // namespace stagecast::director::platform
