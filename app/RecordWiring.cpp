#include "app/RecordWiring.h"

#include <nlohmann/json.hpp>

#include "app/ClipJobs.h"
#include "app/routes/MonitorJson.h"
#include "app/routes/RecordingRoutes.h"
#include "base/Log.h"
#include "media/record/Mp4Finaliser.h"
#include "store/Recordings.h"
#include "store/StoreReader.h"

namespace stagecast::app {

namespace fs = std::filesystem;
using nlohmann::json;
namespace record = media::record;

namespace {

constexpr std::size_t kMaxRecoveries = 10'000;

store::Time storeTime(std::chrono::system_clock::time_point t) {
    return store::toStoreTime(t);
}

store::Time wallNow() {
    return storeTime(std::chrono::system_clock::now());
}

std::string fileKey(const record::RecordingEvent& e) {
    return e.stream + "#" + std::to_string(e.file);
}

base::Result<media::RecordingServiceOptions> optionsOf(const config::RecordConfig& r,
                                                       const fs::path& folder) {
    media::RecordingServiceOptions o;
    auto container = record::parseContainer(r.format);
    if (!container) {
        return base::fail(container.error().withContext("record.format"));
    }
    o.recording.container = *container;
    o.recording.folder = folder.string();
    o.recording.fileTemplate = r.fileTemplate;
    o.recording.maxDuration = r.maxDuration;
    o.recording.maxBytes = r.maxBytes;
    o.recording.resumeWindow = r.resumeWindow;
    o.recording.fragmentDuration = r.fragment;
    if (auto ok = o.recording.validate(); !ok) {
        return base::fail(ok.error().withContext("record"));
    }
    o.patterns = r.streams;
    o.minFreeBytes = r.minFreeBytes;
    o.maxRecorders = r.maxRecorders;
    return o;
}

/// What recovery makes of one row a crash left: the file as it is now, or why there is none.
struct Recovered {
    std::optional<record::FinalisedFile> file;
    std::string reason;
};

Recovered recoverFile(const fs::path& path) {
    std::error_code ec;
    const auto final = record::finalPathFor(path);
    if (!final.empty()) {
        if (fs::exists(path, ec)) {
            auto done = record::recoverFragmented(path);
            if (!done) {
                return {std::nullopt, done.error().message()};
            }
            return {*done, "recovered after Stagecast stopped while recording"};
        }
        if (fs::exists(final, ec)) {
            // Finalised before the process died, but the row was not updated.
            auto measured = record::measureFile(final);
            if (measured) {
                return {*measured, "finalised before Stagecast stopped"};
            }
            return {std::nullopt, measured.error().message()};
        }
        return {std::nullopt, "the file " + path.string() + " is missing"};
    }
    if (!fs::exists(path, ec)) {
        return {std::nullopt, "the file " + path.string() + " is missing"};
    }
    auto measured = record::measureFile(path);
    if (!measured) {
        return {std::nullopt, measured.error().message()};
    }
    return {*measured, "recovered after Stagecast stopped while recording"};
}

} // namespace

base::Result<std::unique_ptr<Recorders>>
Recorders::open(const config::Config& cfg, const fs::path& dataDir, Monitoring& monitoring) {
    fs::path folder = cfg.record.folder;
    if (folder.is_relative()) {
        folder = dataDir / folder;
    }
    auto options = optionsOf(cfg.record, folder);
    if (!options) {
        return base::fail(options.error());
    }
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        // Not fatal: the server runs; recordings fail with this reason until it is fixed.
        base::log(base::LogLevel::Error, "recorder",
                  "cannot create the recordings folder " + folder.string() + ": " + ec.message());
    }
    return std::unique_ptr<Recorders>(new Recorders(std::move(*options), folder, monitoring));
}

Recorders::Recorders(media::RecordingServiceOptions options, fs::path folder,
                     Monitoring& monitoring)
    : options_(std::move(options)), folder_(std::move(folder)), monitoring_(monitoring) {}

Recorders::~Recorders() {
    stop();
}

void Recorders::attach(server::Server& server) {
    server_ = &server;
    service_.emplace(
        server.hub(), options_, [this](const record::RecordingEvent& e) { onEvent(e); },
        [this](const media::DiskState& s, const std::vector<std::string>& stopped) {
            onDisk(s, stopped);
        });
    clips_ = std::make_unique<ClipJobs>(monitoring_.writer(),
                                        [this](const json& event) { publish(event); });
    routes_ = std::make_unique<RecordingRoutes>(
        RecordingRoutes::Parts{*this, monitoring_.writer(), *service_, *clips_, folder_});
    routes_->mount(server.api());
}

void Recorders::start() {
    recovery_ = std::thread([this] { recoverLeftovers(); });
    if (service_) {
        service_->start();
    }
    base::log(base::LogLevel::Info, "recorder",
              "recordings go to " + folder_.string() +
                  (options_.patterns.empty()
                       ? std::string(" (on demand only)")
                       : " (recording " + std::to_string(options_.patterns.size()) +
                             " stream patterns when live)"));
}

void Recorders::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopped_) {
            return;
        }
        stopped_ = true;
    }
    if (clips_) {
        clips_->stop();
    }
    if (service_) {
        service_->stop();
    }
    if (recovery_.joinable()) {
        recovery_.join();
    }
}

std::optional<RecordingProgress> Recorders::progress(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto it = progress_.find(path);
    if (it == progress_.end()) {
        return std::nullopt;
    }
    return it->second;
}

void Recorders::publish(const json& event) {
    if (server_ != nullptr) {
        server_->events().publish("recordings", event.dump());
    }
}

void Recorders::onEvent(const record::RecordingEvent& e) {
    json event = {{"event", record::toString(e.type)},
                  {"stream", e.stream},
                  {"path", e.path.string()},
                  {"duration_ms", e.duration.count()},
                  {"bytes", e.bytes}};
    auto& writer = monitoring_.writer();
    switch (e.type) {
    case record::RecordingEventType::Started: {
        {
            std::lock_guard lock(mutex_);
            writing_[fileKey(e)] = e.path.string();
            progress_[e.path.string()] = {};
        }
        store::NewRecording row{e.stream, e.path.string(), storeTime(e.startedAt), e.codecs};
        (void)writer.submitDurable(
            [row](store::WriteContext& c) { return store::Recordings::insert(c, row); });
        monitoring_.alerts().clear(e.stream, monitor::AlertKind::RecordingFailed);
        event["codecs"] = e.codecs;
        event["container"] = e.container;
        break;
    }
    case record::RecordingEventType::Progress: {
        std::lock_guard lock(mutex_);
        progress_[e.path.string()] = {e.duration, e.bytes};
        break;
    }
    case record::RecordingEventType::Finished: {
        std::string rowPath = e.path.string();
        {
            std::lock_guard lock(mutex_);
            if (auto it = writing_.find(fileKey(e)); it != writing_.end()) {
                rowPath = it->second;
                writing_.erase(it);
            }
            progress_.erase(rowPath);
        }
        const bool failed = e.state == record::RecordingState::Failed;
        store::RecordingEnd end;
        end.endedAt = wallNow();
        end.duration = e.duration;
        end.sizeBytes = static_cast<std::int64_t>(e.bytes);
        end.state = failed ? store::RecordingState::Failed : store::RecordingState::Complete;
        end.reason = e.reason;
        if (e.path.string() != rowPath) {
            end.newPath = e.path.string();
        }
        (void)writer.submitDurable([rowPath, end](store::WriteContext& c) {
            return store::Recordings::finish(c, rowPath, end);
        });
        if (failed) {
            monitoring_.alerts().raise(e.stream, monitor::AlertKind::RecordingFailed, e.reason);
        }
        event["state"] = record::toString(e.state);
        event["reason"] = e.reason;
        break;
    }
    }
    publish(event);
}

void Recorders::onDisk(const media::DiskState& state, const std::vector<std::string>& stopped) {
    const std::string details = std::to_string(state.availableBytes / (1024 * 1024)) +
                                " MiB free in " + state.folder + ", below record.min_free_bytes (" +
                                std::to_string(state.thresholdBytes / (1024 * 1024)) +
                                " MiB): recording stopped";
    std::set<std::string> toClear;
    {
        std::lock_guard lock(mutex_);
        if (state.low) {
            diskLowStreams_.insert(stopped.begin(), stopped.end());
        } else {
            toClear.swap(diskLowStreams_);
        }
    }
    if (state.low) {
        for (const auto& stream : stopped) {
            monitoring_.alerts().raise(stream, monitor::AlertKind::DiskLow, details);
        }
    }
    for (const auto& stream : toClear) {
        monitoring_.alerts().clear(stream, monitor::AlertKind::DiskLow);
    }
    publish({{"event", state.low ? "disk_low" : "disk_ok"},
             {"folder", state.folder},
             {"available_bytes", state.availableBytes},
             {"threshold_bytes", state.thresholdBytes},
             {"stopped", stopped}});
}

void Recorders::recoverLeftovers() {
    auto reader = monitoring_.writer().openReader();
    if (!reader) {
        base::log(base::LogLevel::Error, "recorder",
                  "cannot look for recordings to recover: " + reader.error().message());
        return;
    }
    store::RecordingFilter filter;
    filter.state = store::RecordingState::Interrupted;
    filter.limit = kMaxRecoveries;
    auto rows = store::Recordings::list(*reader, filter);
    if (!rows) {
        base::log(base::LogLevel::Error, "recorder",
                  "cannot look for recordings to recover: " + rows.error().message());
        return;
    }
    for (const auto& row : *rows) {
        {
            std::lock_guard lock(mutex_);
            if (stopped_) {
                return; // the rest waits for the next start
            }
        }
        auto result = recoverFile(row.path);
        store::RecordingEnd end;
        end.endedAt = row.endedAt.value_or(wallNow());
        end.reason = result.reason;
        if (result.file) {
            end.state = store::RecordingState::Recovered;
            end.duration = result.file->duration;
            end.sizeBytes = static_cast<std::int64_t>(result.file->bytes);
            if (result.file->path.string() != row.path) {
                end.newPath = result.file->path.string();
            }
        } else {
            end.state = store::RecordingState::Failed;
        }
        base::log(result.file ? base::LogLevel::Info : base::LogLevel::Error, "recorder",
                  row.stream + ": " + row.path + ": " + result.reason);
        (void)monitoring_.writer().submitDurable([path = row.path, end](store::WriteContext& c) {
            return store::Recordings::finish(c, path, end);
        });
        publish({{"event", result.file ? "recovered" : "failed"},
                 {"stream", row.stream},
                 {"path", result.file ? result.file->path.string() : row.path},
                 {"reason", result.reason}});
    }
}

} // namespace stagecast::app
