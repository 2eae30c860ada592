#include "app/SnapshotWiring.h"

#include <map>

#include "app/routes/MonitorJson.h"
#include "app/routes/SnapshotRoutes.h"
#include "base/Log.h"
#include "store/Time.h"

namespace stagecast::app {

namespace fs = std::filesystem;

namespace {

fs::path folderOf(const config::SnapshotConfig& cfg, const fs::path& dataDir) {
    fs::path folder = cfg.folder;
    return folder.is_relative() ? dataDir / folder : folder;
}

std::string timeText(std::chrono::system_clock::time_point t) {
    return rfc3339(store::toStoreTime(t));
}

} // namespace

Snapshots::Snapshots(const config::SnapshotConfig& cfg, const fs::path& dataDir)
    : cfg_(cfg), store_(folderOf(cfg, dataDir)) {}

Snapshots::~Snapshots() {
    stop();
}

void Snapshots::mount(server::api::ApiRouter& router) {
    mountSnapshotRoutes(router, *this);
}

void Snapshots::start(stream::Hub& hub) {
    if (cfg_.evidenceKeep.count() > 0) {
        // Old evidence goes whether or not snapshots are taken any more.
        const auto removed =
            store_.pruneEvidence(std::chrono::system_clock::now() - cfg_.evidenceKeep);
        if (removed > 0) {
            base::log(base::LogLevel::Info, "snapshot",
                      "deleted " + std::to_string(removed) + " evidence snapshot(s) older than " +
                          std::to_string(cfg_.evidenceKeep.count()) + " h");
        }
    }
    if (!cfg_.enabled || manager_) {
        return;
    }
    media::snapshot::SnapshotManagerOptions options;
    options.runner.interval = cfg_.interval;
    options.runner.width = static_cast<int>(cfg_.width);
    options.maxStreams = cfg_.maxStreams;
    manager_ = std::make_unique<media::snapshot::SnapshotManager>(hub, store_, options);
    manager_->start();
    base::log(base::LogLevel::Info, "snapshot",
              "snapshots every " + std::to_string(cfg_.interval.count()) + " s, " +
                  std::to_string(cfg_.width) + " px wide, in " + store_.folder().string());
}

void Snapshots::stop() {
    if (manager_) {
        manager_->stop();
    }
}

base::Result<fs::path> Snapshots::keep(const std::string& stream) {
    auto key = stream::StreamKey::parse(stream);
    if (!key) {
        return base::fail(key.error());
    }
    auto kept = store_.keep(*key);
    if (kept && cfg_.evidenceKeep.count() > 0) {
        store_.pruneEvidence(*key, std::chrono::system_clock::now() - cfg_.evidenceKeep);
    }
    return kept;
}

std::vector<std::pair<std::string, media::snapshot::SnapshotStatus>> Snapshots::counters() const {
    std::vector<std::pair<std::string, media::snapshot::SnapshotStatus>> out;
    if (!manager_) {
        return out;
    }
    for (const auto& key : manager_->active()) {
        if (auto status = manager_->status(key)) {
            out.emplace_back(key.str(), std::move(*status));
        }
    }
    return out;
}

nlohmann::json Snapshots::listing() const {
    std::map<std::string, nlohmann::json> rows;
    for (const auto& file : store_.list()) {
        rows[file.stream] = {{"stream", file.stream},
                             {"url", "/api/v1/streams/" + file.stream + "/snapshot.jpg"},
                             {"path", file.path.string()},
                             {"taken_at", timeText(file.takenAt)},
                             {"bytes", file.bytes},
                             {"active", false}};
    }
    if (manager_) {
        for (const auto& key : manager_->active()) {
            auto status = manager_->status(key);
            if (!status) {
                continue;
            }
            auto& row = rows[key.str()];
            if (row.is_null()) {
                row = {{"stream", key.str()},
                       {"url", nullptr},
                       {"path", store_.latestPath(key).string()},
                       {"taken_at", nullptr},
                       {"bytes", 0}};
            }
            row["active"] = true;
            row["width"] = status->width;
            row["height"] = status->height;
            row["written"] = status->written;
            row["decode_failures"] = status->decodeFailures;
            row["write_failures"] = status->writeFailures;
            row["keyframes_skipped"] = status->keyframesSkipped;
            row["reader_skips"] = status->readerSkips;
            row["last_error"] = status->lastError;
        }
    }
    auto list = nlohmann::json::array();
    for (auto& [stream, row] : rows) {
        list.push_back(std::move(row));
    }
    auto waiting = nlohmann::json::array();
    if (manager_) {
        for (const auto& key : manager_->waiting()) {
            waiting.push_back(key.str());
        }
    }
    return {{"enabled", cfg_.enabled},      {"interval_seconds", cfg_.interval.count()},
            {"width", cfg_.width},          {"folder", store_.folder().string()},
            {"snapshots", std::move(list)}, {"waiting", std::move(waiting)}};
}

} // namespace stagecast::app
