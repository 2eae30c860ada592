#include "media/snapshot/SnapshotManager.h"

#include <algorithm>

#include "base/Log.h"

namespace stagecast::media::snapshot {

SnapshotManager::SnapshotManager(stream::Hub& hub, SnapshotStore& store,
                                 SnapshotManagerOptions options)
    : hub_(hub), store_(store), options_(std::move(options)) {}

SnapshotManager::~SnapshotManager() {
    stop();
}

void SnapshotManager::start() {
    {
        std::lock_guard lock(mutex_);
        if (started_ || stop_) {
            return;
        }
        started_ = true;
    }
    hub_.addListener(this);
    reconcileWithHub();
    control_ = std::thread([this] { run(); });
}

void SnapshotManager::stop() {
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
    std::map<stream::StreamKey, std::unique_ptr<SnapshotRunner>> runners;
    {
        std::lock_guard lock(mutex_);
        runners.swap(runners_);
        waiting_.clear();
    }
    for (auto& [key, runner] : runners) {
        runner->stop();
    }
}

void SnapshotManager::onHubEvent(const stream::HubEvent& event) {
    {
        std::lock_guard lock(mutex_);
        if (!streams_.apply(event, std::chrono::steady_clock::now())) {
            return;
        }
        dirty_ = true;
    }
    cv_.notify_all();
}

std::vector<stream::StreamKey> SnapshotManager::active() const {
    std::lock_guard lock(mutex_);
    std::vector<stream::StreamKey> out;
    for (const auto& [key, runner] : runners_) {
        out.push_back(key);
    }
    return out;
}

std::vector<stream::StreamKey> SnapshotManager::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
}

std::optional<SnapshotStatus> SnapshotManager::status(const stream::StreamKey& key) const {
    std::lock_guard lock(mutex_);
    auto it = runners_.find(key);
    if (it == runners_.end()) {
        return std::nullopt;
    }
    return it->second->status();
}

void SnapshotManager::reconcileWithHub() {
    std::lock_guard lock(mutex_);
    streams_.reconcile(hub_, std::chrono::steady_clock::now());
    dirty_ = true;
}

std::pair<std::vector<stream::StreamKey>, std::vector<stream::StreamKey>>
SnapshotManager::planLocked(TimePoint now) {
    std::erase_if(streams_.ended(), [&](const auto& entry) {
        return now - entry.second >= options_.lingerAfterUnpublish;
    });
    std::set<stream::StreamKey> wanted = streams_.live();
    for (const auto& [key, when] : streams_.ended()) {
        wanted.insert(key);
    }
    std::erase_if(wantedSince_, [&](const auto& entry) { return !wanted.contains(entry.first); });
    for (const auto& key : wanted) {
        wantedSince_.try_emplace(key, ++sequence_);
    }

    std::vector<stream::StreamKey> toStop;
    std::vector<stream::StreamKey> toStart;
    std::size_t running = 0;
    for (const auto& [key, runner] : runners_) {
        if (wanted.contains(key)) {
            ++running;
        } else {
            toStop.push_back(key);
        }
    }
    std::vector<std::pair<std::uint64_t, stream::StreamKey>> candidates;
    for (const auto& key : wanted) {
        if (!runners_.contains(key)) {
            candidates.emplace_back(wantedSince_[key], key);
        }
    }
    std::sort(candidates.begin(), candidates.end());
    waiting_.clear();
    for (const auto& [since, key] : candidates) {
        if (running < options_.maxStreams) {
            toStart.push_back(key);
            ++running;
        } else {
            waiting_.push_back(key);
        }
    }
    return {std::move(toStop), std::move(toStart)};
}

void SnapshotManager::run() {
    auto nextReconcile = std::chrono::steady_clock::now() + options_.reconcileEvery;
    while (true) {
        std::vector<stream::StreamKey> toStop;
        std::vector<stream::StreamKey> toStart;
        {
            std::unique_lock lock(mutex_);
            auto deadline = nextReconcile;
            for (const auto& [key, when] : streams_.ended()) {
                deadline = std::min(deadline, when + options_.lingerAfterUnpublish);
            }
            cv_.wait_until(lock, deadline, [this] { return stop_ || dirty_; });
            if (stop_) {
                return;
            }
            dirty_ = false;
            std::tie(toStop, toStart) = planLocked(std::chrono::steady_clock::now());
        }
        if (std::chrono::steady_clock::now() >= nextReconcile) {
            nextReconcile = std::chrono::steady_clock::now() + options_.reconcileEvery;
            reconcileWithHub();
        }
        // Stopping joins a worker in the middle of an encode: never under the lock, so hub
        // events are never held up by it.
        for (const auto& key : toStop) {
            std::unique_ptr<SnapshotRunner> runner;
            {
                std::lock_guard lock(mutex_);
                if (auto it = runners_.find(key); it != runners_.end()) {
                    runner = std::move(it->second);
                    runners_.erase(it);
                }
            }
            if (runner) {
                runner->stop();
                base::log(base::LogLevel::Info, "snapshot", key.str() + ": snapshots stopped");
            }
        }
        for (const auto& key : toStart) {
            auto runner = std::make_unique<SnapshotRunner>(hub_, key, store_, options_.runner);
            runner->start();
            base::log(base::LogLevel::Info, "snapshot",
                      key.str() + ": snapshots every " +
                          std::to_string(options_.runner.interval.count()) + " ms to " +
                          store_.latestPath(key).string());
            std::lock_guard lock(mutex_);
            runners_[key] = std::move(runner);
        }
        if (!toStop.empty()) {
            std::lock_guard lock(mutex_);
            dirty_ = true;
        }
    }
}

} // namespace stagecast::media::snapshot
