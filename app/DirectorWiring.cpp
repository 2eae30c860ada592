#include "app/DirectorWiring.h"

#include <nlohmann/json.hpp>

#include "app/DemoScene.h"
#include "base/Log.h"

namespace stagecast::app {

DirectorWiring::DirectorWiring(const config::DirectorConfig& config, std::filesystem::path dataDir,
                               bool enabled)
    : config_(config), dataDir_(std::move(dataDir)), enabled_(enabled) {}

DirectorWiring::~DirectorWiring() {
    stop();
}

void DirectorWiring::start(stream::Hub& hub, server::api::EventBus& events) {
    if (!enabled_) {
        return;
    }
    attempted_ = true;
    director::DirectorOptions o;
    o.width = config_.width;
    o.height = config_.height;
    o.fps = config_.fps;
    o.configDir = (dataDir_ / "director" / "obs-config").string();
    o.programStream = config_.programStream;
    o.videoEncoder = config_.videoEncoder;
    o.rateControl = config_.rateControl;
    o.keyframeSeconds = config_.keyframeIntervalS;
    o.x264Preset = config_.x264Preset;
    o.videoKbps = config_.videoBitrateKbps;
    o.audioKbps = config_.audioBitrateKbps;
    o.previewOutput = config_.previewOutput;
    o.previewStream = config_.previewStream;
    o.previewWidth = config_.previewWidth;
    o.previewHeight = config_.previewHeight;
    o.previewFps = config_.previewFps;
    o.previewKbps = config_.previewBitrateKbps;
    o.transition = config_.transition;
    o.stallAfter = config_.stall;
    o.collectionFile = (dataDir_ / "director" / "scenes.json").string();
    o.onEvent = [&events](const director::DirectorEvent& e) {
        nlohmann::json j{{"event", e.event}};
        if (e.event == "tally") {
            j["program"] = e.onProgram;
            j["preview"] = e.onPreview;
            j["overlays"] = e.overlaysOn;
        } else if (e.event == "meters") {
            nlohmann::json inputs = nlohmann::json::object();
            for (const auto& [stream, m] : e.meters) {
                inputs[stream] = {{"peak_db", m.peakDb}, {"rms_db", m.rmsDb}};
            }
            j["inputs"] = inputs;
            j["program"] = {{"peak_db", e.programMeter.peakDb}, {"rms_db", e.programMeter.rmsDb}};
        } else {
            j["stream"] = e.stream;
        }
        if (e.event == "standby") {
            j["standby"] = e.standby;
            j["state"] = e.state;
            j["showing"] = e.showing;
        }
        events.publish("director",
                       j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    };
    o.onStandbyAlert = standbyAlerts_;
    std::error_code ec;
    const bool firstStart = !std::filesystem::exists(o.collectionFile, ec);
    auto started = director::Director::start(hub, o);
    if (!started) {
        const auto message = "the director did not start: " + started.error().message();
        base::log(base::LogLevel::Error, "director", message);
        routes_.setProblem(message);
        return;
    }
    director_ = std::move(*started);
    routes_.attach(director_.get());
    base::log(base::LogLevel::Info, "director",
              "running: program " + config_.programStream + " at " + std::to_string(config_.width) +
                  "x" + std::to_string(config_.height) + "@" + std::to_string(config_.fps));
    if (demo_ && firstStart) {
        if (auto built = buildDemoScene(*director_, demoHint_); !built) {
            base::log(base::LogLevel::Warning, "director", built.error().message());
        } else {
            base::log(base::LogLevel::Info, "director",
                      "demo scene built: colour bars and a clock on program, a slate in "
                      "preview, a lower third and a ticker in the overlay layer");
        }
    }
}

void DirectorWiring::stop() {
    routes_.attach(nullptr);
    director_.reset();
}

} // namespace stagecast::app
