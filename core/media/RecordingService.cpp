#include "media/RecordingService.h"

#include <algorithm>
#include <filesystem>

#include "base/Log.h"

namespace stagecast::media {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

bool partMatches(std::string_view pattern, const std::string& value) {
    return pattern == "*" || pattern == value;
}

std::string mib(std::uint64_t bytes) {
    return std::to_string(bytes / kMiB) + " MiB";
}

} // namespace

const char* toString(RecordingOrigin origin) {
    return origin == RecordingOrigin::Rule ? "rule" : "demand";
}

bool matchesPattern(std::string_view pattern, const stream::StreamKey& key) {
    const auto slash = pattern.find('/');
    if (slash == std::string_view::npos) {
        return false;
    }
    return partMatches(pattern.substr(0, slash), key.app()) &&
           partMatches(pattern.substr(slash + 1), key.name());
}

RecordingService::RecordingService(stream::Hub& hub, RecordingServiceOptions options,
                                   record::RecordingCallback onEvent, DiskCallback onDisk)
    : hub_(hub), options_(std::move(options)), onEvent_(std::move(onEvent)),
      onDisk_(std::move(onDisk)) {
    disk_.folder = options_.recording.folder;
    disk_.thresholdBytes = options_.minFreeBytes;
}

RecordingService::~RecordingService() {
    stop();
}

void RecordingService::start() {
    {
        std::lock_guard lock(mutex_);
        if (started_ || stop_) {
            return;
        }
        started_ = true;
    }
    std::error_code ec;
    fs::create_directories(options_.recording.folder, ec);
    if (ec) {
        base::log(base::LogLevel::Error, "recorder",
                  "cannot create the recordings folder " + options_.recording.folder + ": " +
                      ec.message());
    }
    hub_.addListener(this);
    checkDisk();
    reconcileWithHub();
    control_ = std::thread([this] { run(); });
}

void RecordingService::stop() {
    bool wasStarted = false;
    {
        std::lock_guard lock(mutex_);
        if (stop_) {
            return;
        }
        stop_ = true;
        wasStarted = started_;
    }
    if (wasStarted) {
        hub_.removeListener(this);
    }
    cv_.notify_all();
    if (control_.joinable()) {
        control_.join();
    }
    std::map<stream::StreamKey, Entry> entries;
    {
        std::lock_guard lock(mutex_);
        entries.swap(entries_);
    }
    for (auto& [key, entry] : entries) {
        entry.recorder->stop();
    }
}

void RecordingService::onHubEvent(const stream::HubEvent& event) {
    {
        std::lock_guard lock(mutex_);
        if (!streams_.apply(event, std::chrono::steady_clock::now())) {
            return;
        }
        if (event.type == stream::HubEventType::Published) {
            if (auto key = stream::StreamKey::parse(event.stream)) {
                suppressed_.erase(*key); // a new publish: rules apply again
            }
        }
        dirty_ = true;
    }
    cv_.notify_all();
}

bool RecordingService::wantedByRule(const stream::StreamKey& key) const {
    return std::any_of(options_.patterns.begin(), options_.patterns.end(),
                       [&key](const std::string& p) { return matchesPattern(p, key); });
}

std::unique_ptr<StreamRecorder> RecordingService::makeRecorder(const stream::StreamKey& key) {
    return std::make_unique<StreamRecorder>(hub_, key, options_.recording, onEvent_);
}

base::Status RecordingService::startRecording(const stream::StreamKey& key) {
    std::lock_guard lock(mutex_);
    if (stop_ || !started_) {
        return base::fail("the recorder is not running");
    }
    if (auto it = entries_.find(key); it != entries_.end()) {
        if (it->second.origin == RecordingOrigin::Demand) {
            return base::fail(key.str() + " is already being recorded");
        }
        it->second.origin = RecordingOrigin::Demand;
        return {};
    }
    if (disk_.low) {
        return base::fail("not enough disk space: " + mib(disk_.availableBytes) + " free in " +
                          disk_.folder + ", below record.min_free_bytes (" +
                          mib(disk_.thresholdBytes) + ")");
    }
    if (entries_.size() >= options_.maxRecorders) {
        return base::fail("already recording " + std::to_string(entries_.size()) +
                          " streams, the most record.max_recorders allows");
    }
    Entry entry{makeRecorder(key), RecordingOrigin::Demand};
    entry.recorder->start();
    entries_.emplace(key, std::move(entry));
    suppressed_.erase(key);
    return {};
}

base::Status RecordingService::stopRecording(const stream::StreamKey& key) {
    std::unique_ptr<StreamRecorder> recorder;
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end()) {
            return base::fail(key.str() + " is not being recorded");
        }
        recorder = std::move(it->second.recorder);
        entries_.erase(it);
        if (wantedByRule(key)) {
            suppressed_.insert(key);
        }
    }
    recorder->stop();
    return {};
}

std::vector<ActiveRecording> RecordingService::active() const {
    std::lock_guard lock(mutex_);
    std::vector<ActiveRecording> out;
    out.reserve(entries_.size());
    for (const auto& [key, entry] : entries_) {
        out.push_back({key, entry.origin, entry.recorder->status()});
    }
    return out;
}

DiskState RecordingService::disk() const {
    std::lock_guard lock(mutex_);
    return disk_;
}

void RecordingService::checkDisk() {
    if (options_.minFreeBytes == 0) {
        return;
    }
    std::error_code ec;
    const auto space = fs::space(options_.recording.folder, ec);
    std::vector<std::unique_ptr<StreamRecorder>> toStop;
    std::vector<std::string> stopped;
    std::optional<DiskState> changed;
    {
        std::lock_guard lock(mutex_);
        if (ec) {
            disk_.error = ec.message();
            return;
        }
        disk_.error.clear();
        disk_.availableBytes = space.available;
        // Hysteresis, so a folder hovering at the threshold does not start and stop recordings.
        const std::uint64_t margin =
            std::clamp<std::uint64_t>(options_.minFreeBytes / 10, 16 * kMiB, 256 * kMiB);
        if (!disk_.low && space.available < options_.minFreeBytes) {
            disk_.low = true;
            for (auto& [key, entry] : entries_) {
                stopped.push_back(key.str());
                toStop.push_back(std::move(entry.recorder));
            }
            entries_.clear();
            changed = disk_;
        } else if (disk_.low && space.available >= options_.minFreeBytes + margin) {
            disk_.low = false;
            dirty_ = true;
            changed = disk_;
        }
    }
    if (!changed) {
        return;
    }
    if (changed->low) {
        base::log(base::LogLevel::Error, "recorder",
                  "disk low: " + mib(changed->availableBytes) + " free in " + changed->folder +
                      ", below record.min_free_bytes (" + mib(changed->thresholdBytes) +
                      "): stopping " + std::to_string(stopped.size()) + " recordings");
    } else {
        base::log(base::LogLevel::Info, "recorder",
                  "disk space back: " + mib(changed->availableBytes) + " free in " +
                      changed->folder + "; recording by rule again");
    }
    for (auto& recorder : toStop) {
        recorder->stop();
    }
    if (onDisk_) {
        onDisk_(*changed, stopped);
    }
}

void RecordingService::reconcileWithHub() {
    std::lock_guard lock(mutex_);
    streams_.reconcile(hub_, std::chrono::steady_clock::now());
    dirty_ = true;
}

void RecordingService::planLocked(TimePoint now, std::vector<stream::StreamKey>& toStart,
                                  std::vector<std::unique_ptr<StreamRecorder>>& toStop) {
    const auto linger = options_.recording.resumeWindow + options_.stopGrace;
    for (auto it = entries_.begin(); it != entries_.end();) {
        const auto& key = it->first;
        auto& entry = it->second;
        const bool failed = !entry.recorder->status().failure.empty();
        const auto gone = streams_.ended().find(key);
        const bool idle = entry.origin == RecordingOrigin::Rule && !streams_.isLive(key) &&
                          (gone == streams_.ended().end() || now - gone->second >= linger);
        if (failed || idle) {
            if (failed && entry.origin == RecordingOrigin::Rule) {
                suppressed_.insert(key); // until its next publish: no retry loop on a bad disk
            }
            toStop.push_back(std::move(entry.recorder));
            it = entries_.erase(it);
        } else {
            ++it;
        }
    }
    std::erase_if(streams_.ended(), [&](const auto& gone) {
        return now - gone.second >= linger && !entries_.contains(gone.first);
    });
    if (disk_.low) {
        return;
    }
    for (const auto& key : streams_.live()) {
        if (entries_.contains(key) || suppressed_.contains(key) || !wantedByRule(key)) {
            continue;
        }
        if (entries_.size() + toStart.size() >= options_.maxRecorders) {
            base::log(base::LogLevel::Warning, "recorder",
                      key.str() + " not recorded: already recording " +
                          std::to_string(entries_.size()) +
                          " streams, the most record.max_recorders allows");
            suppressed_.insert(key);
            continue;
        }
        toStart.push_back(key);
    }
}

void RecordingService::run() {
    using std::chrono::steady_clock;
    auto nextDisk = steady_clock::now();
    auto nextReconcile = nextDisk + options_.reconcileEvery;
    auto nextPlan = steady_clock::time_point::max();
    for (;;) {
        std::vector<stream::StreamKey> toStart;
        std::vector<std::unique_ptr<StreamRecorder>> toStop;
        {
            std::unique_lock lock(mutex_);
            const auto wakeAt = std::min({nextDisk, nextReconcile, nextPlan});
            cv_.wait_until(lock, wakeAt, [this] { return stop_ || dirty_; });
            if (stop_) {
                return;
            }
            dirty_ = false;
            planLocked(steady_clock::now(), toStart, toStop);
            for (const auto& key : toStart) {
                Entry entry{makeRecorder(key), RecordingOrigin::Rule};
                entry.recorder->start();
                entries_.emplace(key, std::move(entry));
            }
            // Streams that left are looked at again when their linger may be over.
            nextPlan = streams_.ended().empty()
                           ? steady_clock::time_point::max()
                           : steady_clock::now() + std::chrono::milliseconds(500);
        }
        for (auto& recorder : toStop) {
            recorder->stop();
        }
        const auto now = steady_clock::now();
        if (now >= nextDisk) {
            checkDisk();
            nextDisk = now + options_.diskCheckEvery;
        }
        if (now >= nextReconcile) {
            reconcileWithHub();
            nextReconcile = now + options_.reconcileEvery;
        }
    }
}

} // namespace stagecast::media
