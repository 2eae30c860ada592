#pragma once
// Collects ContentSamples delivered on probe worker threads, for the runner/manager tests.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "media/ContentSample.h"
#include "stream/StreamKey.h"

namespace stagecast::media::test {

class SampleCollector {
public:
    struct Entry {
        std::string stream;
        ContentSample sample;
        std::thread::id thread;
    };

    void add(const stream::StreamKey& key, const ContentSample& sample) {
        {
            std::lock_guard lock(mutex_);
            entries_.push_back({key.str(), sample, std::this_thread::get_id()});
        }
        cv_.notify_all();
    }

    /// Waits until `done(entries)` holds; false after `timeout` (the test then fails).
    bool waitFor(const std::function<bool(const std::vector<Entry>&)>& done,
                 std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, timeout, [&] { return done(entries_); });
    }

    std::vector<Entry> entries() const {
        std::lock_guard lock(mutex_);
        return entries_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<Entry> entries_;
};

/// Polls `done` every 10 ms; false after `timeout` (the test then fails).
inline bool pollUntil(const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

} // namespace stagecast::media::test
