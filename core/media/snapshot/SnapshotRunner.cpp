#include "media/snapshot/SnapshotRunner.h"

#include "base/Log.h"

namespace stagecast::media::snapshot {

namespace {

// Keyframe timestamps are rounded to milliseconds: with a GOP equal to the interval, a
// keyframe 999 ms after the last one must still count as due.
std::chrono::milliseconds dueAfter(std::chrono::milliseconds interval) {
    return interval - std::min(interval / 10, std::chrono::milliseconds(100));
}

VideoDecoderOptions keyframesEvery(std::chrono::milliseconds interval) {
    VideoDecoderOptions options;
    options.keyframesOnly = true;
    options.minInterval = dueAfter(interval);
    return options;
}

} // namespace

SnapshotRunner::SnapshotRunner(stream::Hub& hub, stream::StreamKey key, SnapshotStore& store,
                               SnapshotRunnerOptions options)
    : store_(store), decoder_(keyframesEvery(options.interval)),
      thumbnails_(ThumbnailOptions{.width = options.width}),
      follower_(hub, std::move(key),
                {.who = options.who,
                 .readerPolicy = options.readerPolicy,
                 .retryAfter = options.retryAfter,
                 .logModule = "snapshot"},
                *this) {}

SnapshotRunner::~SnapshotRunner() {
    stop();
}

void SnapshotRunner::start() {
    {
        std::lock_guard lock(statusMutex_);
        status_.running = true;
    }
    follower_.start();
}

void SnapshotRunner::stop() {
    follower_.stop();
    std::lock_guard lock(statusMutex_);
    status_.running = false;
}

SnapshotStatus SnapshotRunner::status() const {
    std::lock_guard lock(statusMutex_);
    return status_;
}

void SnapshotRunner::report(const std::string& problem) {
    {
        std::lock_guard lock(statusMutex_);
        status_.lastError = problem;
    }
    // A broken stream or folder repeats the same error every interval: log each text once.
    if (problem != lastLogged_) {
        lastLogged_ = problem;
        base::log(base::LogLevel::Warning, "snapshot", key().str() + ": " + problem);
    }
}

void SnapshotRunner::subscribed() {
    decoder_.reset();
}

void SnapshotRunner::subscribeFailed(const std::string& reason) {
    report(reason);
}

void SnapshotRunner::packet(const stream::MediaPacket& packet) {
    if (packet.kind != stream::TrackKind::Video) {
        return;
    }
    const auto failuresBefore = decoder_.counters().errors;
    if (auto ok = decoder_.decode(packet, [this](const AVFrame& p) { picture(p); }); !ok) {
        if (decoder_.counters().errors != failuresBefore) {
            std::lock_guard lock(statusMutex_);
            ++status_.decodeFailures;
        }
        report(ok.error().message());
    }
}

void SnapshotRunner::drained(stream::Subscription& subscription) {
    const auto skipped = decoder_.counters().skipped;
    const auto readerSkips = subscription.reader().counters().skips;
    std::lock_guard lock(statusMutex_);
    status_.keyframesSkipped = skipped;
    status_.readerSkips = readerSkips;
}

void SnapshotRunner::picture(const AVFrame& picture) {
    auto thumbnail = thumbnails_.encode(picture);
    if (!thumbnail) {
        {
            std::lock_guard lock(statusMutex_);
            ++status_.decodeFailures;
        }
        report(thumbnail.error().message());
        return;
    }
    if (auto ok = store_.writeLatest(key(), thumbnail->jpeg); !ok) {
        {
            std::lock_guard lock(statusMutex_);
            ++status_.writeFailures;
        }
        report(ok.error().message());
        return;
    }
    if (!lastLogged_.empty()) {
        base::log(base::LogLevel::Info, "snapshot",
                  key().str() + ": writing " + store_.latestPath(key()).string() + " again");
        lastLogged_.clear();
    }
    std::lock_guard lock(statusMutex_);
    ++status_.written;
    status_.width = thumbnail->width;
    status_.height = thumbnail->height;
    status_.lastWrittenAt = std::chrono::system_clock::now();
}

} // namespace stagecast::media::snapshot
