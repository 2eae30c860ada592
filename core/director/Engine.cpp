#include "director/Engine.h"

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>

#include <obs.h>

#include "base/Log.h"

namespace stagecast::director {

namespace {

std::atomic<bool> g_engineRunning{false}; // libobs is process-global: one engine at a time

// libobs logs a lot at "error" that is harmless here (no window manager under Xvfb), so its
// levels are shifted down one step.
void logFromObs(int level, const char* format, va_list args, void*) noexcept {
    base::LogLevel ours = base::LogLevel::Debug;
    if (level <= LOG_ERROR) {
        ours = base::LogLevel::Warning;
    } else if (level <= LOG_WARNING) {
        ours = base::LogLevel::Info;
    } else if (level > LOG_INFO) {
        return;
    }
    if (!base::logEnabled(ours)) {
        return;
    }
    char line[2048];
    std::vsnprintf(line, sizeof line, format, args);
    base::log(ours, "obs", line);
}

bool hasType(bool (*enumerate)(size_t, const char**), const char* id) {
    const char* each = nullptr;
    for (size_t i = 0; enumerate(i, &each); ++i) {
        if (each != nullptr && std::strcmp(each, id) == 0) {
            return true;
        }
    }
    return false;
}

} // namespace

base::Result<std::unique_ptr<Engine>> Engine::start(const EngineOptions& options) {
    if (options.width < 16 || options.height < 16 || options.width > 7680 ||
        options.height > 4320) {
        return base::fail("director canvas " + std::to_string(options.width) + "x" +
                          std::to_string(options.height) + " is out of range 16x16..7680x4320");
    }
    if (options.fps < 1 || options.fps > 120) {
        return base::fail("director frame rate " + std::to_string(options.fps) +
                          " is out of range 1..120");
    }
    if (g_engineRunning.exchange(true)) {
        return base::fail("libobs is already running in this process (one director at a time)");
    }
    std::unique_ptr<Engine> engine(new Engine(options));
    if (auto ok = engine->startObs(); !ok) {
        return base::fail(ok.error());
    }
    engine->loadModules();
    return engine;
}

base::Status Engine::startObs() {
    auto system = chooseWindowSystem();
    if (!system) {
        return base::fail(system.error());
    }
    auto display = NativeDisplay::open(*system);
    if (!display) {
        return base::fail(display.error());
    }
    display_ = std::make_unique<NativeDisplay>(std::move(*display));
    base_set_log_handler(logFromObs, nullptr);
    display_->useForObs();

    std::string configDir = options_.configDir;
    if (!configDir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(configDir, ec);
        if (ec) {
            return base::fail("director: cannot create " + configDir + ": " + ec.message());
        }
    }
    if (!obs_startup("en-US", configDir.empty() ? nullptr : configDir.c_str(), nullptr)) {
        return base::fail("libobs failed to start (obs_startup)");
    }
    obsStarted_ = true;

    obs_video_info video{};
    video.graphics_module = platform::graphicsModule();
    video.fps_num = options_.fps;
    video.fps_den = 1;
    video.base_width = options_.width;
    video.base_height = options_.height;
    video.output_width = options_.width;
    video.output_height = options_.height;
    video.output_format = VIDEO_FORMAT_NV12;
    video.gpu_conversion = true;
    video.colorspace = VIDEO_CS_709;
    video.range = VIDEO_RANGE_PARTIAL;
    video.scale_type = OBS_SCALE_BICUBIC;
    if (int code = obs_reset_video(&video); code != OBS_VIDEO_SUCCESS) {
        const char* why = code == OBS_VIDEO_MODULE_NOT_FOUND ? "graphics module not found"
                          : code == OBS_VIDEO_NOT_SUPPORTED  ? "graphics not supported"
                          : code == OBS_VIDEO_INVALID_PARAM  ? "invalid video parameters"
                                                             : "graphics failed to start";
        return base::fail(std::string("libobs video: ") + why + " (" + platform::graphicsModule() +
                          ", " + platform::graphicsName() + " on " + display_->describe() +
                          ", code " + std::to_string(code) + ")");
    }
    adapter_ = adapterName();
    obs_audio_info audio{48000, SPEAKERS_STEREO};
    if (!obs_reset_audio(&audio)) {
        return base::fail("libobs audio: cannot start 48000 Hz stereo");
    }
    return {};
}

void Engine::loadModules() {
    namespace fs = std::filesystem;
    for (const auto& name : options_.modules) {
        const auto binary = platform::moduleBinary(options_.pluginDir, name);
        const auto data = platform::moduleData(options_.pluginDir, options_.pluginDataDir, name);
        std::error_code ec;
        if (!fs::exists(binary, ec)) {
            missing_.push_back({name, "not found in " + options_.pluginDir});
            continue;
        }
        obs_module_t* module = nullptr;
        // libobs takes UTF-8 paths on every system.
        const std::u8string binary8 = binary.u8string();
        const std::u8string data8 = data.u8string();
        const int code = obs_open_module(&module, reinterpret_cast<const char*>(binary8.c_str()),
                                         reinterpret_cast<const char*>(data8.c_str()));
        if (code != MODULE_SUCCESS) {
            missing_.push_back({name, "cannot be opened (libobs code " + std::to_string(code) +
                                          ", see the obs log lines above)"});
            continue;
        }
        if (!obs_init_module(module)) {
            missing_.push_back({name, "failed to initialise"});
            continue;
        }
        loaded_.push_back(name);
    }
    obs_post_load_modules();
    for (const auto& m : missing_) {
        base::log(base::LogLevel::Warning, "director", "OBS module " + m.module + ": " + m.reason);
    }
    std::string list;
    for (const auto& m : loaded_) {
        list += (list.empty() ? "" : ", ") + m;
    }
    base::log(base::LogLevel::Info, "director",
              std::string("libobs ") + obs_get_version_string() + " started, " +
                  std::to_string(options_.width) + "x" + std::to_string(options_.height) + "@" +
                  std::to_string(options_.fps) + " on " + display_->describe() + ", renderer " +
                  (adapter_.empty() ? std::string("unknown") : adapter_) + ", modules: " + list);
}

bool Engine::softwareRenderer() const {
    return adapter_.find("llvmpipe") != std::string::npos ||
           adapter_.find("softpipe") != std::string::npos;
}

bool Engine::hasSourceType(const char* id) {
    return hasType(obs_enum_source_types, id);
}

bool Engine::hasEncoderType(const char* id) {
    return hasType(obs_enum_encoder_types, id);
}

Engine::~Engine() {
    if (obsStarted_) {
        obs_shutdown();
    }
    base_set_log_handler(nullptr, nullptr);
    display_.reset(); // after obs_shutdown: libobs' EGL display was made on it
    g_engineRunning = false;
}

} // namespace stagecast::director
