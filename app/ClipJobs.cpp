#include "app/ClipJobs.h"

#include <cmath>
#include <cstdio>

#include "app/routes/MonitorJson.h"
#include "base/Log.h"

namespace stagecast::app {

namespace fs = std::filesystem;
using nlohmann::json;
namespace record = media::record;

namespace {

constexpr std::size_t kKeptJobs = 100;
constexpr auto kWatchEvery = std::chrono::milliseconds(250);

std::string seconds(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", s);
    return text;
}

/// NAME.mp4 / NAME.part.mp4 / NAME.ts -> NAME
std::string stemOf(const fs::path& path) {
    std::string name = path.filename().string();
    for (const char* ext : {".part.mp4", ".mp4", ".ts", ".flv"}) {
        const std::string e = ext;
        if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
            return name.substr(0, name.size() - e.size());
        }
    }
    return path.stem().string();
}

/// A clip keeps its source's container (a fragmented MP4 source gives a normal MP4); the
/// name says where it comes from; a name already taken gets -2, -3 ...
fs::path clipPath(const fs::path& source, double from, double to) {
    auto ext = source.extension().string();
    if (ext != ".ts" && ext != ".flv") {
        ext = ".mp4";
    }
    const auto base = stemOf(source) + "_clip_" + seconds(from) + "-" + seconds(to);
    fs::path candidate = source.parent_path() / (base + ext);
    std::error_code ec;
    for (int n = 2; fs::exists(candidate, ec) && n < 10000; ++n) {
        candidate = source.parent_path() / (base + "-" + std::to_string(n) + ext);
    }
    return candidate;
}

} // namespace

ClipJobs::ClipJobs(store::StoreWriter& writer, Publish publish, std::size_t maxRunning)
    : writer_(writer), publish_(std::move(publish)), maxRunning_(maxRunning) {
    watcher_ = std::thread([this] { watch(); });
}

ClipJobs::~ClipJobs() {
    stop();
}

void ClipJobs::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stop_) {
            return;
        }
        stop_ = true;
        for (auto& [id, job] : jobs_) {
            job.exporter->cancel();
        }
    }
    cv_.notify_all();
    if (watcher_.joinable()) {
        watcher_.join();
    }
    std::lock_guard lock(mutex_);
    jobs_.clear(); // each exporter joins its thread
}

std::variant<json, ClipRefusal> ClipJobs::start(const store::Recording& source, double from,
                                                double to, record::ClipMode mode) {
    if (!std::isfinite(from) || !std::isfinite(to) || from < 0 || to <= from) {
        return ClipRefusal{400, "from_s and to_s must be times in seconds with 0 <= from_s < "
                                "to_s"};
    }
    if (source.state != store::RecordingState::Complete &&
        source.state != store::RecordingState::Recovered) {
        return ClipRefusal{409, "recording " + std::to_string(source.id) + " is " +
                                    store::toString(source.state) +
                                    ": clips are cut from complete or recovered recordings"};
    }
    std::lock_guard lock(mutex_);
    if (stop_) {
        return ClipRefusal{409, "Stagecast is stopping"};
    }
    std::size_t running = 0;
    for (const auto& [id, job] : jobs_) {
        running += job.exporter->status().state == record::ClipState::Running ? 1 : 0;
    }
    if (running >= maxRunning_) {
        return ClipRefusal{429, std::to_string(running) +
                                    " clip exports are running already: wait for one to end"};
    }
    Job job;
    job.id = nextId_++;
    job.recordingId = source.id;
    job.stream = source.stream;
    job.codecs = source.codecs;
    job.requestedAt = std::chrono::system_clock::now();
    record::ClipRequest request;
    request.input = source.path;
    request.output = clipPath(source.path, from, to);
    request.from = std::chrono::duration<double>(from);
    request.to = std::chrono::duration<double>(to);
    request.mode = mode;
    job.exporter = std::make_unique<record::ClipExporter>(request);
    job.exporter->start();
    while (jobs_.size() >= kKeptJobs) {
        auto oldest = jobs_.begin();
        if (oldest->second.exporter->status().state == record::ClipState::Running) {
            break;
        }
        jobs_.erase(oldest);
    }
    auto [it, inserted] = jobs_.emplace(job.id, std::move(job));
    base::log(base::LogLevel::Info, "recorder",
              "clip " + std::to_string(it->first) + " of recording " + std::to_string(source.id) +
                  ": " + seconds(from) + "-" + seconds(to) + " s (" +
                  std::string(record::toString(mode)) + ") into " +
                  it->second.exporter->request().output.string());
    cv_.notify_all();
    return toJson(it->second);
}

json ClipJobs::toJson(const Job& job) const {
    const auto status = job.exporter->status();
    const auto& request = job.exporter->request();
    json j = {{"id", job.id},
              {"recording_id", job.recordingId},
              {"stream", job.stream},
              {"from_s", request.from.count()},
              {"to_s", request.to.count()},
              {"mode", record::toString(request.mode)},
              {"output", request.output.string()},
              {"requested_at", rfc3339(store::toStoreTime(job.requestedAt))},
              {"state", record::toString(status.state)},
              {"progress", status.progress},
              {"error", status.error}};
    if (status.state == record::ClipState::Done) {
        j["starts_at_s"] = status.outcome.startsAt.count();
        j["duration_s"] = status.outcome.duration.count();
        j["bytes"] = status.outcome.bytes;
    }
    return j;
}

json ClipJobs::list() const {
    std::lock_guard lock(mutex_);
    json out = json::array();
    for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {
        out.push_back(toJson(it->second));
    }
    return out;
}

std::optional<json> ClipJobs::get(std::uint64_t id) const {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) {
        return std::nullopt;
    }
    return toJson(it->second);
}

bool ClipJobs::cancel(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it == jobs_.end()) {
        return false;
    }
    it->second.exporter->cancel();
    cv_.notify_all();
    return true;
}

void ClipJobs::ended(Job& job, const record::ClipStatus& status) {
    const auto& request = job.exporter->request();
    if (status.state == record::ClipState::Done) {
        // The clip is a recording of the same stream: it lists, downloads and deletes as one.
        const auto now = store::toStoreTime(std::chrono::system_clock::now());
        store::NewRecording row{job.stream, request.output.string(), now, job.codecs};
        store::RecordingEnd end;
        end.endedAt = now;
        end.duration = std::chrono::milliseconds(
            static_cast<std::int64_t>(status.outcome.duration.count() * 1000));
        end.sizeBytes = static_cast<std::int64_t>(status.outcome.bytes);
        end.reason = "clip " + seconds(request.from.count()) + "-" + seconds(request.to.count()) +
                     " s of recording " + std::to_string(job.recordingId) + " (" +
                     std::string(record::toString(request.mode)) + ")";
        (void)writer_.submitDurable(
            [row, end](store::WriteContext& c) -> base::Result<std::int64_t> {
                auto inserted = store::Recordings::insert(c, row);
                if (!inserted) {
                    return base::fail(inserted.error());
                }
                return store::Recordings::finish(c, row.path, end);
            });
    } else {
        base::log(status.state == record::ClipState::Cancelled ? base::LogLevel::Info
                                                               : base::LogLevel::Error,
                  "recorder", "clip " + std::to_string(job.id) + ": " + status.error);
    }
}

void ClipJobs::watch() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        cv_.wait_for(lock, kWatchEvery);
        std::vector<json> events;
        for (auto& [id, job] : jobs_) {
            if (job.lastState != record::ClipState::Running) {
                continue;
            }
            const auto status = job.exporter->status();
            const int percent = static_cast<int>(status.progress * 100);
            if (status.state == record::ClipState::Running) {
                if (percent != job.lastPercent) {
                    job.lastPercent = percent;
                    auto e = toJson(job);
                    e["event"] = "clip_progress";
                    events.push_back(std::move(e));
                }
                continue;
            }
            job.lastState = status.state;
            ended(job, status);
            auto e = toJson(job);
            e["event"] = "clip_" + std::string(record::toString(status.state));
            events.push_back(std::move(e));
        }
        lock.unlock();
        for (const auto& e : events) {
            publish_(e);
        }
        lock.lock();
    }
}

} // namespace stagecast::app
