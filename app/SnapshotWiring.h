#pragma once
/// Snapshots: a media::snapshot::SnapshotManager over the server's hub writes
/// SNAPSHOT_FOLDER/APP/STREAM/latest.jpg for every live stream ([snapshot] config), the API
/// serves and lists them (routes/SnapshotRoutes), and keep() copies a stream's latest picture
/// as evidence for a moderation item.
///
/// Order (app/main.cpp): Snapshots snapshots(cfg.snapshot, dataDir) before the moderation
/// wiring (which keeps evidence through it) and the server; snapshots.mount(server.api())
/// before server.start(); snapshots.start(server.hub()) after it; snapshots.stop() before
/// server.stop().
///
/// Threads: keep(), status() and the routes from any thread (they touch only the file system
/// and the manager's thread-safe state).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/Result.h"
#include "config/Config.h"
#include "media/snapshot/SnapshotManager.h"
#include "media/snapshot/SnapshotStore.h"
#include "server/api/ApiRouter.h"
#include "stream/Hub.h"

namespace stagecast::app {

class Snapshots {
public:
    Snapshots(const config::SnapshotConfig& cfg, const std::filesystem::path& dataDir);
    ~Snapshots();
    Snapshots(const Snapshots&) = delete;
    Snapshots& operator=(const Snapshots&) = delete;

    void mount(server::api::ApiRouter& router);
    /// Starts following the hub's live streams (nothing when [snapshot] enabled = false).
    void start(stream::Hub& hub);
    void stop();

    /// Copies the latest snapshot of "APP/STREAM" into its evidence folder and returns the
    /// path; an error when the stream has no snapshot (yet) or the copy fails.
    base::Result<std::filesystem::path> keep(const std::string& stream);

    const config::SnapshotConfig& config() const { return cfg_; }
    const media::snapshot::SnapshotStore& store() const { return store_; }
    /// Every stream with a snapshot or a snapshotter: file, time and counters.
    nlohmann::json listing() const;
    /// The counters of every running snapshotter, by stream (in memory only: for /metrics).
    std::vector<std::pair<std::string, media::snapshot::SnapshotStatus>> counters() const;

private:
    const config::SnapshotConfig cfg_;
    media::snapshot::SnapshotStore store_;
    std::unique_ptr<media::snapshot::SnapshotManager> manager_;
};

} // namespace stagecast::app
