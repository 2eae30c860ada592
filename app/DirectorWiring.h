#pragma once
/// The director in the composition root: [director] → director::DirectorOptions, its API
/// routes, started after the server (it subscribes to and publishes into the hub) and stopped
/// before it. A director that fails to start (no display, a missing encoder) is logged with
/// its reason and reported by GET /api/v1/director; the server runs on without it.
///
/// Order (app/main.cpp): construct + mount(router) before server.start(); start(hub) after
/// it; stop() before server.stop(). Main thread only.

#include <filesystem>
#include <functional>
#include <memory>

#include "app/routes/DirectorRoutes.h"
#include "config/Config.h"
#include "director/Director.h"
#include "server/api/ApiRouter.h"
#include "server/api/EventBus.h"
#include "stream/Hub.h"

namespace stagecast::app {

class DirectorWiring {
public:
    DirectorWiring(const config::DirectorConfig& config, std::filesystem::path dataDir,
                   bool enabled);
    ~DirectorWiring();
    DirectorWiring(const DirectorWiring&) = delete;
    DirectorWiring& operator=(const DirectorWiring&) = delete;

    void mount(server::api::ApiRouter& router) { routes_.mount(router); }
    /// Starts the director on `hub`; its events go to `events` (topic "director").
    void start(stream::Hub& hub, server::api::EventBus& events);
    void stop();
    /// Where standby alerts go (the monitoring AlertEngine's raise/clear, kind
    /// director_standby): `raise` true when an input on program went to standby. Before
    /// start().
    void setStandbyAlerts(
        std::function<void(const std::string& input, bool raise, const std::string& details)>
            alerts) {
        standbyAlerts_ = std::move(alerts);
    }
    /// Build the demo scene (DemoScene.h) when no scene collection is saved yet; `pushHint`
    /// is the URL it tells users to push to. Before start().
    void setDemoScene(std::string pushHint) {
        demo_ = true;
        demoHint_ = std::move(pushHint);
    }
    /// Whether libobs may have loaded its modules (a start was attempted).
    bool libobsLoaded() const { return attempted_; }

private:
    const config::DirectorConfig config_;
    const std::filesystem::path dataDir_;
    const bool enabled_;
    bool attempted_ = false;
    bool demo_ = false;
    std::string demoHint_;
    DirectorRoutes routes_;
    std::unique_ptr<director::Director> director_;
    std::function<void(const std::string&, bool, const std::string&)> standbyAlerts_;
};

} // namespace stagecast::app
