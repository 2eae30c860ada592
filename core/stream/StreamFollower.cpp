#include "stream/StreamFollower.h"

#include <memory>
#include <vector>

#include "base/Log.h"

namespace stagecast::stream {

StreamFollower::StreamFollower(Hub& hub, StreamKey key, FollowerOptions options,
                               FollowerHandler& handler)
    : hub_(hub), key_(std::move(key)), options_(std::move(options)), handler_(handler) {}

StreamFollower::~StreamFollower() {
    stop();
}

void StreamFollower::start() {
    std::lock_guard lock(mutex_);
    if (worker_.joinable() || stop_) {
        return;
    }
    worker_ = std::thread([this] { run(); });
}

void StreamFollower::stop() {
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
}

void StreamFollower::wake() {
    // Called by the reader with the hub's stream lock held: only flag and signal.
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    cv_.notify_one();
}

bool StreamFollower::stopping() {
    std::lock_guard lock(mutex_);
    return stop_;
}

void StreamFollower::run() {
    std::unique_ptr<Subscription> subscription;
    std::vector<PacketPtr> batch;
    std::chrono::milliseconds timeout{0};

    while (true) {
        {
            std::unique_lock lock(mutex_);
            const auto ready = [this] { return stop_ || wake_; };
            if (timeout.count() > 0) {
                cv_.wait_for(lock, timeout, ready);
            } else {
                cv_.wait(lock, ready);
            }
            wake_ = false;
            if (stop_) {
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
                handler_.subscribeFailed(subscribed.error().message());
                timeout = options_.retryAfter;
                continue;
            }
            subscription = std::move(*subscribed);
            handler_.subscribed();
        }

        bool ended = false;
        while (true) {
            batch.clear();
            const auto state = subscription->reader().drain(batch, options_.drainBytes, hub_.now());
            for (const auto& packet : batch) {
                handler_.packet(*packet);
            }
            if (batch.empty()) {
                ended = state != ReaderState::Open;
                if (ended) {
                    base::log(base::LogLevel::Info, options_.logModule,
                              key_.str() + ": reader ended (" + toString(state) +
                                  "), subscribing again");
                }
                break;
            }
            if (stopping()) {
                break;
            }
        }
        handler_.drained(*subscription);
        if (ended) {
            subscription.reset();
            std::lock_guard lock(mutex_);
            wake_ = true;
        }
    }
    subscription.reset();
}

} // namespace stagecast::stream
