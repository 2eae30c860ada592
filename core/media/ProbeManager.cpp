#include "ProbeManager.h"

#include <algorithm>

#include "base/Log.h"

namespace stagecast::media {

ProbeManager::ProbeManager(stream::Hub& hub, ProbeManagerOptions options, SampleCallback onSample)
    : hub_(hub), options_(std::move(options)), onSample_(std::move(onSample)) {}

ProbeManager::~ProbeManager() {
    stop();
}

void ProbeManager::start() {
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

void ProbeManager::stop() {
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
    std::map<stream::StreamKey, std::unique_ptr<ProbeRunner>> runners;
    {
        std::lock_guard lock(mutex_);
        runners.swap(runners_);
        waiting_.clear();
    }
    for (auto& [key, runner] : runners) {
        runner->stop();
    }
}

void ProbeManager::onHubEvent(const stream::HubEvent& event) {
    {
        std::lock_guard lock(mutex_);
        if (!streams_.apply(event, std::chrono::steady_clock::now())) {
            return;
        }
        dirty_ = true;
    }
    cv_.notify_all();
}

void ProbeManager::setStreams(std::vector<stream::StreamKey> keys) {
    {
        std::lock_guard lock(mutex_);
        pinned_ = std::set<stream::StreamKey>(keys.begin(), keys.end());
        dirty_ = true;
    }
    cv_.notify_all();
}

std::vector<stream::StreamKey> ProbeManager::probed() const {
    std::lock_guard lock(mutex_);
    std::vector<stream::StreamKey> out;
    for (const auto& [key, runner] : runners_) {
        out.push_back(key);
    }
    return out;
}

std::vector<stream::StreamKey> ProbeManager::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
}

std::optional<ProbeRunnerStatus> ProbeManager::status(const stream::StreamKey& key) const {
    std::lock_guard lock(mutex_);
    auto it = runners_.find(key);
    if (it == runners_.end()) {
        return std::nullopt;
    }
    return it->second->status();
}

void ProbeManager::reconcileWithHub() {
    std::lock_guard lock(mutex_);
    streams_.reconcile(hub_, std::chrono::steady_clock::now());
    dirty_ = true;
}

ProbeManager::Plan ProbeManager::planLocked(TimePoint now) {
    // Forget followed streams that ended longer ago than the linger time.
    std::erase_if(streams_.ended(), [&](const auto& entry) {
        return now - entry.second >= options_.lingerAfterUnpublish;
    });
    std::set<stream::StreamKey> wanted = pinned_;
    if (options_.followPublished) {
        wanted.insert(streams_.live().begin(), streams_.live().end());
        for (const auto& [key, when] : streams_.ended()) {
            wanted.insert(key);
        }
    }
    std::erase_if(wantedSince_, [&](const auto& entry) { return !wanted.contains(entry.first); });
    for (const auto& key : wanted) {
        if (!wantedSince_.contains(key)) {
            wantedSince_[key] = ++sequence_;
        }
    }

    Plan plan;
    std::size_t running = 0;
    for (const auto& [key, runner] : runners_) {
        if (wanted.contains(key)) {
            ++running;
        } else {
            plan.toStop.push_back(key);
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
        if (running < options_.maxProbes) {
            plan.toStart.push_back(key);
            ++running;
        } else {
            waiting_.push_back(key);
        }
    }
    return plan;
}

std::optional<ProbeManager::TimePoint> ProbeManager::nextDeadlineLocked() const {
    std::optional<TimePoint> next;
    for (const auto& [key, when] : streams_.ended()) {
        auto expiry = when + options_.lingerAfterUnpublish;
        if (!next || expiry < *next) {
            next = expiry;
        }
    }
    return next;
}

void ProbeManager::run() {
    auto nextReconcile = std::chrono::steady_clock::now() + options_.reconcileEvery;
    while (true) {
        Plan plan;
        {
            std::unique_lock lock(mutex_);
            auto deadline = nextReconcile;
            if (auto linger = nextDeadlineLocked(); linger && *linger < deadline) {
                deadline = *linger;
            }
            cv_.wait_until(lock, deadline, [this] { return stop_ || dirty_; });
            if (stop_) {
                return;
            }
            dirty_ = false;
            plan = planLocked(std::chrono::steady_clock::now());
        }
        if (std::chrono::steady_clock::now() >= nextReconcile) {
            nextReconcile = std::chrono::steady_clock::now() + options_.reconcileEvery;
            reconcileWithHub(); // marks dirty: the next turn plans with the fresh list
        }

        // Runners are stopped and started without the lock: stopping joins a worker that
        // may be delivering a sample, and hub events must never wait for that.
        for (const auto& key : plan.toStop) {
            std::unique_ptr<ProbeRunner> runner;
            {
                std::lock_guard lock(mutex_);
                auto it = runners_.find(key);
                if (it != runners_.end()) {
                    runner = std::move(it->second);
                    runners_.erase(it);
                }
            }
            if (runner) {
                runner->stop();
                base::log(base::LogLevel::Info, "probe", key.str() + ": probe stopped");
            }
        }
        for (const auto& key : plan.toStart) {
            auto runner = std::make_unique<ProbeRunner>(hub_, key, options_.runner, onSample_);
            runner->start();
            base::log(base::LogLevel::Info, "probe", key.str() + ": probe started");
            std::lock_guard lock(mutex_);
            runners_[key] = std::move(runner);
        }
        if (!plan.toStop.empty()) {
            // Freed slots go to waiting streams.
            std::lock_guard lock(mutex_);
            dirty_ = true;
        }
    }
}

} // namespace stagecast::media
