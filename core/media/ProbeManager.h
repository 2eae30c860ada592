#pragma once
/// Keeps one ProbeRunner per stream worth probing, within a bound on concurrent probes.
///
/// Which streams: those given to setStreams() (probed whether live or not: the runner waits
/// for the publisher) and, with `followPublished`, every published stream. A followed stream
/// keeps its runner for `lingerAfterUnpublish` after it ends, so a publisher that reconnects
/// keeps its probe. Over `maxProbes`, further streams wait (waiting()) in the order they came
/// and start when a probe ends.
///
/// The manager learns of publishes from hub events (it is a HubEventListener; register it
/// with start()) and also compares with the hub's snapshot every `reconcileEvery`, so a
/// missed or reordered event cannot leave a probe behind.
///
/// Threads: onHubEvent() runs on whatever thread the hub reports from (network threads) and
/// only records; runners are started and stopped on the manager's own control thread. Every
/// public member is thread-safe; stop() must not be called from the sample callback.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "media/ProbeRunner.h"
#include "stream/Hub.h"
#include "stream/LiveStreams.h"

namespace stagecast::media {

struct ProbeManagerOptions {
    ProbeRunnerOptions runner;
    /// At most this many probes decode at once (each is one worker thread).
    std::size_t maxProbes = 8;
    bool followPublished = true;
    std::chrono::milliseconds lingerAfterUnpublish{10000};
    std::chrono::milliseconds reconcileEvery{5000};
};

class ProbeManager : public stream::HubEventListener {
public:
    ProbeManager(stream::Hub& hub, ProbeManagerOptions options, SampleCallback onSample);
    ~ProbeManager() override;
    ProbeManager(const ProbeManager&) = delete;
    ProbeManager& operator=(const ProbeManager&) = delete;

    /// Registers with the hub, picks up streams already live and starts the control thread.
    void start();
    /// Unregisters and stops every runner. Idempotent.
    void stop();

    void onHubEvent(const stream::HubEvent& event) override;
    /// Streams to probe in any case (replaces the previous list).
    void setStreams(std::vector<stream::StreamKey> keys);

    /// Streams with a running probe, and streams waiting for a free slot.
    std::vector<stream::StreamKey> probed() const;
    std::vector<stream::StreamKey> waiting() const;
    std::optional<ProbeRunnerStatus> status(const stream::StreamKey& key) const;

private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Plan {
        std::vector<stream::StreamKey> toStop;
        std::vector<stream::StreamKey> toStart;
    };
    void run();
    void reconcileWithHub();
    Plan planLocked(TimePoint now);
    std::optional<TimePoint> nextDeadlineLocked() const;

    stream::Hub& hub_;
    const ProbeManagerOptions options_;
    const SampleCallback onSample_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool dirty_ = true;
    bool stop_ = false;
    bool started_ = false;
    std::set<stream::StreamKey> pinned_;
    stream::LiveStreams streams_; // ended(): followed streams lingering
    /// When a stream became wanted (a sequence number), for first-come order over the bound.
    std::map<stream::StreamKey, std::uint64_t> wantedSince_;
    std::uint64_t sequence_ = 0;
    std::map<stream::StreamKey, std::unique_ptr<ProbeRunner>> runners_; // changed by run() only
    std::vector<stream::StreamKey> waiting_;
    std::thread control_;
};

} // namespace stagecast::media
