#include "ProbeRunner.h"

#include "base/Log.h"

namespace stagecast::media {

ProbeRunner::ProbeRunner(stream::Hub& hub, stream::StreamKey key, ProbeRunnerOptions options,
                         SampleCallback onSample)
    : onSample_(std::move(onSample)), probe_(options.probe),
      follower_(hub, std::move(key),
                {.who = options.who,
                 .readerPolicy = options.readerPolicy,
                 .retryAfter = options.retryAfter,
                 .logModule = "probe"},
                *this) {}

ProbeRunner::~ProbeRunner() {
    stop();
}

void ProbeRunner::start() {
    {
        std::lock_guard lock(statusMutex_);
        status_.running = true;
    }
    follower_.start();
}

void ProbeRunner::stop() {
    follower_.stop();
    std::lock_guard lock(statusMutex_);
    status_.running = false;
}

ProbeRunnerStatus ProbeRunner::status() const {
    std::lock_guard lock(statusMutex_);
    return status_;
}

void ProbeRunner::report(const std::string& problem) {
    {
        std::lock_guard lock(statusMutex_);
        status_.lastProblem = problem;
    }
    // A broken stream repeats the same error every keyframe: log each new text once.
    if (problem != lastLogged_) {
        lastLogged_ = problem;
        base::log(base::LogLevel::Warning, "probe", key().str() + ": " + problem);
    }
}

void ProbeRunner::subscribed() {
    probe_.reset();
    std::lock_guard lock(statusMutex_);
    ++status_.subscriptions;
}

void ProbeRunner::subscribeFailed(const std::string& reason) {
    report(reason);
}

void ProbeRunner::packet(const stream::MediaPacket& packet) {
    if (auto ok = probe_.feed(packet, samples_); !ok) {
        report(ok.error().message());
    }
    if (samples_.empty()) {
        return;
    }
    for (const auto& s : samples_) {
        if (onSample_) {
            onSample_(key(), s);
        }
    }
    {
        std::lock_guard lock(statusMutex_);
        status_.samplesDelivered += samples_.size();
    }
    samples_.clear();
}

void ProbeRunner::drained(stream::Subscription& subscription) {
    auto counters = probe_.counters();
    auto reader = subscription.reader().counters();
    std::lock_guard lock(statusMutex_);
    status_.probe = std::move(counters);
    status_.reader = reader;
}

} // namespace stagecast::media
