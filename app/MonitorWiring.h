#pragma once
/// Builds and wires monitoring: the store in DATA/stagecast.db with its writer thread, the hub
/// listeners (sessions into the store, viewer accounting), the health sampler, the content
/// probes (core/media, feeding the content alerts), the alert engine, the API routes and metrics,
/// and the "health" and "alerts" event topics.
///
/// Order (app/main.cpp):
///   auto m = Monitoring::open(cfg, dataDir);  // before the server: a bad database stops here
///   m->attach(server);                        // before server.start()
///   server.start(); m->start();
///   ... m->stopSampling(); server.stop(); m->finish();
/// finish() must run while the server (its hub) still exists; the Monitoring object must
/// outlive the server (its routes point into it).

#include <filesystem>
#include <memory>
#include <optional>
#include <set>

#include "app/routes/MonitorRoutes.h"
#include "base/Result.h"
#include "config/Config.h"
#include "media/ProbeManager.h"
#include "monitor/AlertEngine.h"
#include "monitor/ContentFlags.h"
#include "monitor/HealthSampler.h"
#include "monitor/StoreRecorder.h"
#include "monitor/ViewerStats.h"
#include "server/Server.h"
#include "store/StoreWriter.h"

namespace stagecast::app {

class Monitoring {
public:
    /// Opens (creating or migrating) the database, reports a file moved aside, and closes
    /// what the last run left open. Errors name the file and what to do.
    static base::Result<std::unique_ptr<Monitoring>> open(const config::Config& cfg,
                                                          const std::filesystem::path& dataDir);
    ~Monitoring();

    void attach(server::Server& server);
    void start();
    void stopSampling();
    /// Closes open alerts, detaches from the hub, writes everything queued.
    void finish();

    /// The store's writer (moderation writes through it too); stopped by finish().
    store::StoreWriter& writer() { return writer_; }
    /// Also told of every alert opening or closing (any thread; must not block). Before
    /// attach().
    void addAlertListener(std::function<void(const monitor::AlertEvent&)> listener) {
        alertListeners_.push_back(std::move(listener));
    }

    /// Alerts other modules raise and clear (disk_low, recording_failed).
    monitor::AlertEngine& alerts() { return alerts_; }

    /// Where content probes (core/media) deliver their flags.
    monitor::ContentListener& content() { return alerts_; }

private:
    Monitoring(const config::Config& cfg, store::Database database);

    const monitor::SamplerOptions samplerOptions_;
    store::StoreWriter writer_;
    monitor::StoreRecorder recorder_;
    monitor::ViewerStats viewers_;
    monitor::AlertEngine alerts_;
    std::optional<monitor::HealthSampler> sampler_; // made by attach(): it samples the hub
    std::optional<MonitorRoutes> routes_;
    const bool contentProbes_;
    const unsigned maxProbes_;
    /// The director's own monitoring streams (preview, multiview): no content probes there.
    std::set<stream::StreamKey> notProbed_;
    std::optional<media::ProbeManager> probes_; // made by attach() when content_probes is on
    server::Server* server_ = nullptr;
    std::function<void(const monitor::AlertEvent&)> alertSink_; // set by attach()
    std::vector<std::function<void(const monitor::AlertEvent&)>> alertListeners_;
    bool finished_ = false;
};

} // namespace stagecast::app
