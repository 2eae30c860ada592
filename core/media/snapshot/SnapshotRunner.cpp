#include "media/snapshot/SnapshotRunner.h"

#include <vector>

#include "base/Log.h"
#include "media/VideoDecoder.h"
#include "media/snapshot/JpegThumbnail.h"

namespace stagecast::media::snapshot {

namespace {

constexpr std::size_t kDrainBytes = 1024 * 1024;

// Keyframe timestamps are rounded to milliseconds: with a GOP equal to the interval, a
// keyframe 999 ms after the last one must still count as due.
std::chrono::milliseconds dueAfter(std::chrono::milliseconds interval) {
    return interval - std::min(interval / 10, std::chrono::milliseconds(100));
}

} // namespace

SnapshotRunner::SnapshotRunner(stream::Hub& hub, stream::StreamKey key, SnapshotStore& store,
                               SnapshotRunnerOptions options)
    : hub_(hub), key_(std::move(key)), store_(store), options_(std::move(options)) {}

SnapshotRunner::~SnapshotRunner() {
    stop();
}

void SnapshotRunner::start() {
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

void SnapshotRunner::stop() {
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

SnapshotStatus SnapshotRunner::status() const {
    std::lock_guard lock(statusMutex_);
    return status_;
}

void SnapshotRunner::wake() {
    // Called by the reader with the hub's stream lock held: only flag and signal.
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    cv_.notify_one();
}

void SnapshotRunner::report(const std::string& problem) {
    {
        std::lock_guard lock(statusMutex_);
        status_.lastError = problem;
    }
    // A broken stream or folder repeats the same error every interval: log each text once.
    if (problem != lastLogged_) {
        lastLogged_ = problem;
        base::log(base::LogLevel::Warning, "snapshot", key_.str() + ": " + problem);
    }
}

void SnapshotRunner::run() {
    VideoDecoderOptions decoderOptions;
    decoderOptions.keyframesOnly = true;
    decoderOptions.minInterval = dueAfter(options_.interval);
    VideoDecoder decoder(decoderOptions);
    JpegThumbnail thumbnails(ThumbnailOptions{.width = options_.width});
    std::unique_ptr<stream::Subscription> subscription;
    std::vector<stream::PacketPtr> batch;
    std::chrono::milliseconds timeout{0};

    const auto onPicture = [&](const AVFrame& picture) {
        auto thumbnail = thumbnails.encode(picture);
        if (!thumbnail) {
            {
                std::lock_guard lock(statusMutex_);
                ++status_.decodeFailures;
            }
            report(thumbnail.error().message());
            return;
        }
        if (auto ok = store_.writeLatest(key_, thumbnail->jpeg); !ok) {
            {
                std::lock_guard lock(statusMutex_);
                ++status_.writeFailures;
            }
            report(ok.error().message());
            return;
        }
        if (!lastLogged_.empty()) {
            base::log(base::LogLevel::Info, "snapshot",
                      key_.str() + ": writing " + store_.latestPath(key_).string() + " again");
            lastLogged_.clear();
        }
        std::lock_guard lock(statusMutex_);
        ++status_.written;
        status_.width = thumbnail->width;
        status_.height = thumbnail->height;
        status_.lastWrittenAt = std::chrono::system_clock::now();
    };

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
                report(subscribed.error().message());
                timeout = options_.retryAfter;
                continue;
            }
            subscription = std::move(*subscribed);
            decoder.reset();
        }

        bool ended = false;
        while (true) {
            batch.clear();
            const auto state = subscription->reader().drain(batch, kDrainBytes, hub_.now());
            for (const auto& packet : batch) {
                if (packet->kind != stream::TrackKind::Video) {
                    continue;
                }
                const auto failuresBefore = decoder.counters().errors;
                if (auto ok = decoder.decode(*packet, onPicture); !ok) {
                    if (decoder.counters().errors != failuresBefore) {
                        std::lock_guard lock(statusMutex_);
                        ++status_.decodeFailures;
                    }
                    report(ok.error().message());
                }
            }
            if (batch.empty()) {
                ended = state != stream::ReaderState::Open;
                break;
            }
            std::lock_guard lock(mutex_);
            if (stop_) {
                break;
            }
        }
        {
            std::lock_guard lock(statusMutex_);
            status_.keyframesSkipped = decoder.counters().skipped;
            status_.readerSkips = subscription->reader().counters().skips;
        }
        if (ended) {
            subscription.reset();
            std::lock_guard lock(mutex_);
            wake_ = true;
        }
    }
    subscription.reset();
}

} // namespace stagecast::media::snapshot
