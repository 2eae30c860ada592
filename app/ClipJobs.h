#pragma once
/// Clip exports requested over the API: one media::record::ClipExporter per clip (its own
/// thread), at most `maxRunning` at once, watched by one thread that publishes their progress
/// and end on the "recordings" topic and catalogues each finished clip as a recording of the
/// same stream (so it lists, downloads and deletes like any recording). Jobs are kept in
/// memory (the latest 100) and cancelled when Stagecast stops.
///
/// Threads: every public member is thread-safe; stop() joins the watcher and cancels jobs.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include <nlohmann/json.hpp>

#include "media/record/ClipExporter.h"
#include "store/Recordings.h"
#include "store/StoreWriter.h"

namespace stagecast::app {

/// Why a clip could not start, with the HTTP status that says so (400, 404, 409, 429).
struct ClipRefusal {
    unsigned status = 400;
    std::string message;
};

class ClipJobs {
public:
    using Publish = std::function<void(const nlohmann::json&)>;
    ClipJobs(store::StoreWriter& writer, Publish publish, std::size_t maxRunning = 2);
    ~ClipJobs();
    ClipJobs(const ClipJobs&) = delete;
    ClipJobs& operator=(const ClipJobs&) = delete;

    /// Starts cutting [from, to) seconds of `source` (a complete or recovered recording) into
    /// a new file beside it. Returns the job as JSON, or why it was refused.
    std::variant<nlohmann::json, ClipRefusal> start(const store::Recording& source, double from,
                                                    double to, media::record::ClipMode mode);
    nlohmann::json list() const;
    std::optional<nlohmann::json> get(std::uint64_t id) const;
    /// Cancels a running job (its partial file is deleted); false when there is no such job.
    bool cancel(std::uint64_t id);
    void stop();

private:
    struct Job {
        std::uint64_t id = 0;
        std::int64_t recordingId = 0;
        std::string stream;
        std::string codecs;
        std::unique_ptr<media::record::ClipExporter> exporter;
        std::chrono::system_clock::time_point requestedAt;
        media::record::ClipState lastState = media::record::ClipState::Running;
        int lastPercent = -1;
    };
    nlohmann::json toJson(const Job& job) const;
    void watch();
    void ended(Job& job, const media::record::ClipStatus& status);

    store::StoreWriter& writer_;
    const Publish publish_;
    const std::size_t maxRunning_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::uint64_t nextId_ = 1;
    std::map<std::uint64_t, Job> jobs_;
    std::thread watcher_;
};

} // namespace stagecast::app
