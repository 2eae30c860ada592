#include "ProbeRunner.h"

#include <vector>

#include "base/Log.h"

namespace stagecast::media {

namespace {
// Drain in slices so stop() is noticed between them.
constexpr std::size_t kDrainBytes = 1024 * 1024;
} // namespace

ProbeRunner::ProbeRunner(stream::Hub& hub, stream::StreamKey key, ProbeRunnerOptions options,
                         SampleCallback onSample)
    : hub_(hub), key_(std::move(key)), options_(std::move(options)),
      onSample_(std::move(onSample)) {}

ProbeRunner::~ProbeRunner() {
    stop();
}

void ProbeRunner::start() {
    std::lock_guard lock(mutex_);
    if (worker_.joinable() || stop_) {
        return;
    }
    {
        std::lock_guard statusLock(statusMutex_);
        status_.running = true;
    }
    worker_ = std::thread([this] { run(); });
}

void ProbeRunner::stop() {
    std::thread worker;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        worker = std::move(worker_);
    }
    cv_.notify_all();
    if (worker.joinable()) {
        worker.join();
    }
    std::lock_guard statusLock(statusMutex_);
    status_.running = false;
}

ProbeRunnerStatus ProbeRunner::status() const {
    std::lock_guard lock(statusMutex_);
    return status_;
}

void ProbeRunner::wake() {
    // Called by the reader with the hub's stream lock held: only flag and signal.
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    cv_.notify_one();
}

bool ProbeRunner::waitForWork(std::unique_lock<std::mutex>& lock,
                              std::chrono::milliseconds timeout) {
    auto ready = [this] { return stop_ || wake_; };
    if (timeout.count() > 0) {
        cv_.wait_for(lock, timeout, ready);
    } else {
        cv_.wait(lock, ready);
    }
    wake_ = false;
    return !stop_;
}

void ProbeRunner::report(const base::Error& problem) {
    {
        std::lock_guard lock(statusMutex_);
        status_.lastProblem = problem.message();
    }
    // A broken stream repeats the same error every keyframe: log each new text once.
    if (problem.message() != lastLogged_) {
        lastLogged_ = problem.message();
        base::log(base::LogLevel::Warning, "probe", key_.str() + ": " + problem.message());
    }
}

void ProbeRunner::publishStatus(const ContentProbe& probe, stream::Subscription* subscription) {
    auto counters = probe.counters();
    std::lock_guard lock(statusMutex_);
    status_.probe = std::move(counters);
    if (subscription != nullptr) {
        status_.reader = subscription->reader().counters();
    }
}

void ProbeRunner::run() {
    ContentProbe probe(options_.probe);
    std::unique_ptr<stream::Subscription> subscription;
    std::vector<stream::PacketPtr> batch;
    std::vector<ContentSample> samples;
    std::chrono::milliseconds timeout{0};

    while (true) {
        {
            std::unique_lock lock(mutex_);
            if (!waitForWork(lock, timeout)) {
                break;
            }
        }
        timeout = std::chrono::milliseconds{0};
        if (!subscription) {
            auto subscribed = hub_.subscribe({.key = key_,
                                              .who = options_.who,
                                              .waitForPublisher = true,
                                              .endWithPublisher = false,
                                              .notify = [this] { wake(); }},
                                             options_.readerPolicy);
            if (!subscribed) {
                report(subscribed.error());
                timeout = options_.retryAfter;
                continue;
            }
            subscription = std::move(*subscribed);
            probe.reset();
            std::lock_guard lock(statusMutex_);
            ++status_.subscriptions;
        }

        bool ended = false;
        while (true) {
            batch.clear();
            const auto state = subscription->reader().drain(batch, kDrainBytes, hub_.now());
            for (const auto& packet : batch) {
                if (auto ok = probe.feed(*packet, samples); !ok) {
                    report(ok.error());
                }
                for (const auto& s : samples) {
                    if (onSample_) {
                        onSample_(key_, s);
                    }
                }
                if (!samples.empty()) {
                    std::lock_guard lock(statusMutex_);
                    status_.samplesDelivered += samples.size();
                }
                samples.clear();
            }
            if (batch.empty()) {
                ended = state != stream::ReaderState::Open;
                if (ended) {
                    base::log(base::LogLevel::Info, "probe",
                              key_.str() + ": reader ended (" + stream::toString(state) +
                                  "), subscribing again");
                }
                break;
            }
            std::lock_guard lock(mutex_);
            if (stop_) {
                break;
            }
        }
        publishStatus(probe, subscription.get());
        if (ended) {
            subscription.reset();
            std::lock_guard lock(mutex_);
            wake_ = true;
        }
    }
    subscription.reset();
}

} // namespace stagecast::media
