#include "stream/StreamWorkers.h"

#include <algorithm>

#include "base/Log.h"

namespace stagecast::stream {

StreamWorkers::StreamWorkers(Hub& hub, StreamWorkersOptions options, Factory factory)
    : hub_(hub), options_(std::move(options)), factory_(std::move(factory)) {}

StreamWorkers::~StreamWorkers() {
    stop();
}

void StreamWorkers::start() {
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

void StreamWorkers::stop() {
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
    std::map<StreamKey, std::unique_ptr<StreamWorker>> workers;
    {
        std::lock_guard lock(mutex_);
        workers.swap(workers_);
        waiting_.clear();
    }
    for (auto& [key, worker] : workers) {
        worker->stop();
    }
}

void StreamWorkers::onHubEvent(const HubEvent& event) {
    {
        std::lock_guard lock(mutex_);
        if (!streams_.apply(event, std::chrono::steady_clock::now())) {
            return;
        }
        dirty_ = true;
    }
    cv_.notify_all();
}

void StreamWorkers::setPinned(std::vector<StreamKey> keys) {
    {
        std::lock_guard lock(mutex_);
        pinned_ = std::set<StreamKey>(keys.begin(), keys.end());
        dirty_ = true;
    }
    cv_.notify_all();
}

std::vector<StreamKey> StreamWorkers::active() const {
    std::lock_guard lock(mutex_);
    std::vector<StreamKey> out;
    for (const auto& [key, worker] : workers_) {
        out.push_back(key);
    }
    return out;
}

std::vector<StreamKey> StreamWorkers::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
}

bool StreamWorkers::visit(const StreamKey& key,
                          const std::function<void(const StreamWorker&)>& visit) const {
    std::lock_guard lock(mutex_);
    auto it = workers_.find(key);
    if (it == workers_.end()) {
        return false;
    }
    visit(*it->second);
    return true;
}

void StreamWorkers::reconcileWithHub() {
    std::lock_guard lock(mutex_);
    streams_.reconcile(hub_, std::chrono::steady_clock::now());
    dirty_ = true;
}

StreamWorkers::Plan StreamWorkers::planLocked(TimePoint now) {
    // Forget followed streams that ended longer ago than the linger time.
    std::erase_if(streams_.ended(), [&](const auto& entry) {
        return now - entry.second >= options_.lingerAfterUnpublish;
    });
    std::set<StreamKey> wanted = pinned_;
    if (options_.followPublished) {
        for (const auto& key : streams_.live()) {
            if (!options_.notFollowed.contains(key)) {
                wanted.insert(key);
            }
        }
        for (const auto& [key, when] : streams_.ended()) {
            if (!options_.notFollowed.contains(key)) {
                wanted.insert(key);
            }
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
    for (const auto& [key, worker] : workers_) {
        if (wanted.contains(key)) {
            ++running;
        } else {
            plan.toStop.push_back(key);
        }
    }
    std::vector<std::pair<std::uint64_t, StreamKey>> candidates;
    for (const auto& key : wanted) {
        if (!workers_.contains(key)) {
            candidates.emplace_back(wantedSince_[key], key);
        }
    }
    std::sort(candidates.begin(), candidates.end());
    waiting_.clear();
    for (const auto& [since, key] : candidates) {
        if (running < options_.maxWorkers) {
            plan.toStart.push_back(key);
            ++running;
        } else {
            waiting_.push_back(key);
        }
    }
    return plan;
}

StreamWorkers::TimePoint StreamWorkers::nextWakeLocked(TimePoint nextReconcile) const {
    auto next = nextReconcile;
    for (const auto& [key, when] : streams_.ended()) {
        next = std::min(next, when + options_.lingerAfterUnpublish);
    }
    return next;
}

void StreamWorkers::apply(const Plan& plan) {
    for (const auto& key : plan.toStop) {
        std::unique_ptr<StreamWorker> worker;
        {
            std::lock_guard lock(mutex_);
            if (auto it = workers_.find(key); it != workers_.end()) {
                worker = std::move(it->second);
                workers_.erase(it);
            }
        }
        if (worker) {
            worker->stop();
            base::log(base::LogLevel::Info, options_.logModule,
                      key.str() + ": " + options_.what + " stopped");
        }
    }
    for (const auto& key : plan.toStart) {
        auto worker = factory_(key);
        if (!worker) {
            continue;
        }
        worker->start();
        base::log(base::LogLevel::Info, options_.logModule,
                  key.str() + ": " + options_.what + " started");
        std::lock_guard lock(mutex_);
        workers_[key] = std::move(worker);
    }
    if (!plan.toStop.empty()) {
        // Freed slots go to waiting streams.
        std::lock_guard lock(mutex_);
        dirty_ = true;
    }
}

void StreamWorkers::run() {
    auto nextReconcile = std::chrono::steady_clock::now() + options_.reconcileEvery;
    while (true) {
        Plan plan;
        {
            std::unique_lock lock(mutex_);
            cv_.wait_until(lock, nextWakeLocked(nextReconcile), [this] { return stop_ || dirty_; });
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
        apply(plan);
    }
}

} // namespace stagecast::stream
