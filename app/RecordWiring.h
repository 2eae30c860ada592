#pragma once
/// Builds and wires recording: the media::RecordingService (rule and on-demand recorders, the
/// disk guard) over the hub, each file as a row of the store's `recordings` table, the
/// "recordings" event topic, the disk_low and recording_failed alerts, the API routes
/// (app/routes/RecordingRoutes) and, at start-up, the recovery of files a crash left behind.
///
/// Order (app/main.cpp), after Monitoring::open():
///   auto r = Recorders::open(cfg, dataDir, monitoring);   // bad [record] values stop here
///   r->attach(server);                                    // before server.start()
///   server.start(); r->start();
///   ... r->stop(); server.stop(); monitoring.finish();
/// stop() finalises every open file and must run while the hub and the store writer exist.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "app/MonitorWiring.h"
#include "base/Result.h"
#include "config/Config.h"
#include "media/RecordingService.h"
#include "server/Server.h"

namespace stagecast::app {

class ClipJobs;
class RecordingRoutes;

/// Size and duration of a file being written, from its latest progress event.
struct RecordingProgress {
    std::chrono::milliseconds duration{0};
    std::uint64_t bytes = 0;
};

class Recorders {
public:
    static base::Result<std::unique_ptr<Recorders>>
    open(const config::Config& cfg, const std::filesystem::path& dataDir, Monitoring& monitoring);
    ~Recorders();

    void attach(server::Server& server);
    /// Starts the recovery of left-over files (on a thread of its own) and the service.
    void start();
    /// Stops every recorder (finalising its file) and waits for the recovery. Idempotent.
    void stop();

    const std::filesystem::path& folder() const { return folder_; }
    media::RecordingService* service() { return service_ ? &*service_ : nullptr; }
    std::optional<RecordingProgress> progress(const std::string& path) const;

private:
    Recorders(media::RecordingServiceOptions options, std::filesystem::path folder,
              Monitoring& monitoring);
    void onEvent(const media::record::RecordingEvent& event);
    void onDisk(const media::DiskState& state, const std::vector<std::string>& stopped);
    void recoverLeftovers();
    void publish(const nlohmann::json& event);

    const media::RecordingServiceOptions options_;
    const std::filesystem::path folder_;
    Monitoring& monitoring_;
    server::Server* server_ = nullptr;
    std::optional<media::RecordingService> service_; // made by attach(): it needs the hub
    std::unique_ptr<ClipJobs> clips_;
    std::unique_ptr<RecordingRoutes> routes_;
    std::thread recovery_;

    mutable std::mutex mutex_;
    /// The file each recorder's file number is being written to ("APP/STREAM#N" -> path): a
    /// finished MP4 is reported under its final name, its row is under the part file's.
    std::map<std::string, std::string> writing_;
    std::map<std::string, RecordingProgress> progress_; // by path being written
    std::set<std::string> diskLowStreams_;
    bool stopped_ = false;
};

} // namespace stagecast::app
