#pragma once
/// What differs between the systems libobs runs on, in one place: the graphics module
/// obs_reset_video loads, where OBS modules live and how their files are named, which modules
/// the director loads, which sources capture the screen, windows, cameras and sound, and the
/// text source with its font. One PlatformLinux/PlatformWindows/PlatformMac.cpp is compiled
/// (CMake picks it by the target system); the rest of core/director asks here instead of
/// naming a system's source types itself.
///
/// Linux is built and run by CI; the Windows and macOS tables follow OBS Studio 29's module
/// and source names but have not been built or run on those systems (docs/director.md).

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace stagecast::director::platform {

/// One kind of local capture: the source type that does it, its module, and the list property
/// of its settings that holds the device (screen number, window, camera id, audio device).
struct CaptureProbe {
    const char* kind;     // screen, window, camera, microphone, desktop_audio
    const char* source;   // libobs source type id
    const char* module;   // OBS module that registers it
    const char* property; // the settings key / list property naming the device
    bool intDevice;       // the device is a number (a screen index), else a string id
    bool needsInstance;   // its properties callback reads the source's own data
};

/// The libobs graphics module: "libobs-opengl.so.1", "libobs-d3d11.dll", "libobs-opengl".
const char* graphicsModule();
/// For messages and the log: "OpenGL over EGL", "Direct3D 11", "OpenGL".
const char* graphicsName();

/// Where OBS modules and their data are: OBS_PLUGINS_PATH and OBS_PLUGINS_DATA_PATH when set
/// (OBS Studio's own variables), else this system's OBS install.
std::string defaultPluginDir();
std::string defaultPluginDataDir();
/// A module's library and data folder under those (NAME.so and NAME/ on Linux, NAME.dll on
/// Windows, NAME.plugin/Contents/MacOS/NAME and .../Resources in a macOS bundle).
std::filesystem::path moduleBinary(const std::string& pluginDir, const std::string& name);
std::filesystem::path moduleData(const std::string& pluginDir, const std::string& dataDir,
                                 const std::string& name);

/// image-source, obs-ffmpeg, obs-x264, obs-transitions, obs-filters, the text module and this
/// system's capture modules, in load order.
std::vector<std::string> defaultModules();

/// The capture kinds, in the order GET /api/v1/director/capture lists them.
std::span<const CaptureProbe> captureProbes();
/// The probe of one kind, or nullptr.
const CaptureProbe* captureProbe(std::string_view kind);

/// The text source type and its module ("text_ft2_source_v2" in text-freetype2;
/// "text_gdiplus_v2" in obs-text on Windows) and a font face every install has.
const char* textSourceType();
const char* fontFace();
/// The face's style name: "Bold", or its regular style ("Book" for DejaVu Sans).
const char* fontStyle(bool bold);

/// The OBS module that registers a source type, for "not available" messages.
const char* moduleOfSource(std::string_view type);

/// Why audio monitoring would stay silent on this machine (Linux: no PulseAudio server found),
/// empty when a device looks present.
std::string audioMonitorProblem();

/// The variable's value, or fallback when it is unset or empty.
std::string envOr(const char* name, std::string fallback);

} // namespace stagecast::director::platform
