#pragma once
/// libobs started and stopped as one object: graphics (the system's module, Platform.h:
/// OpenGL over EGL on X11 or Wayland through GraphicsPlatform, Direct3D 11 on Windows, OpenGL
/// on macOS), the video canvas, 48 kHz stereo audio, and the OBS modules the director uses,
/// loaded one by one by name. A module that is missing or fails to load is reported by name
/// and the rest work.
///
/// libobs is process-global: at most one Engine exists at a time (a second start() fails).
/// Threads: start() and the destructor on one thread (the director's owner); libobs runs its
/// own graphics, video and audio threads in between. libobs' log goes to base::log ("obs").

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/Result.h"
#include "director/GraphicsPlatform.h"
#include "director/Platform.h"

namespace stagecast::director {

struct EngineOptions {
    std::uint32_t width = 1280;
    std::uint32_t height = 720;
    std::uint32_t fps = 30;
    /// Where OBS modules and their data live (platform::moduleBinary, moduleData).
    std::string pluginDir = platform::defaultPluginDir();
    std::string pluginDataDir = platform::defaultPluginDataDir();
    /// libobs' module configuration folder (created); modules write their settings here.
    std::string configDir;
    /// Modules to load, in order. Never frontend-tools, obs-websocket or decklink-output-ui:
    /// they need OBS's own frontend.
    std::vector<std::string> modules = platform::defaultModules();
};

struct ModuleProblem {
    std::string module;
    std::string reason; // "not found in /usr/lib/.../obs-plugins", "failed to initialise"
};

class Engine {
public:
    /// Starts libobs. Fails naming the cause: no display ("cannot open the X display ':0':
    /// run under a desktop session or xvfb-run", or the Wayland display), graphics, audio, a
    /// second engine.
    static base::Result<std::unique_ptr<Engine>> start(const EngineOptions& options);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    const EngineOptions& options() const { return options_; }
    const std::vector<std::string>& loadedModules() const { return loaded_; }
    const std::vector<ModuleProblem>& missingModules() const { return missing_; }
    /// Whether libobs knows a source/encoder/output type now (after module loading).
    static bool hasSourceType(const char* id);
    static bool hasEncoderType(const char* id);
    /// The graphics adapter libobs renders with ("llvmpipe (LLVM 15.0.6, 256 bits)"), or empty.
    const std::string& adapter() const { return adapter_; }
    /// The display libobs draws through.
    const NativeDisplay& display() const { return *display_; }
    /// Mesa's software rasterisers (llvmpipe, softpipe): every shader pass is CPU time.
    bool softwareRenderer() const;

private:
    explicit Engine(EngineOptions options) : options_(std::move(options)) {}
    base::Status startObs();
    void loadModules();

    EngineOptions options_;
    std::unique_ptr<NativeDisplay> display_;
    bool obsStarted_ = false;
    std::vector<std::string> loaded_;
    std::vector<ModuleProblem> missing_;
    std::string adapter_;
};

} // namespace stagecast::director
