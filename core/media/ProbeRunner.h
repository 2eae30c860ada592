#pragma once
/// Runs a ContentProbe on one hub stream, on a worker thread of its own.
///
/// The runner reads the stream with a stream::StreamFollower: it waits for a publisher and
/// stays subscribed across unpublish/republish (a new publisher's timeline restarts the
/// measurement); all decoding happens on the follower's worker, never on the publisher's
/// (network) thread. When the worker falls behind, the hub's bounded reader drops by GOP
/// (skips to the newest keyframe: ProbeRunnerOptions::readerPolicy); if it is ended anyway
/// (too slow, kicked) the follower subscribes again.
///
/// Threads: start(), stop() and status() from any thread (stop() not from the callback).
/// `onSample` runs on the worker thread; it should hand the sample on quickly (a queue, the
/// monitor's lock), since decoding waits for it.

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "media/ContentProbe.h"
#include "stream/Hub.h"
#include "stream/StreamFollower.h"
#include "stream/StreamWorkers.h"

namespace stagecast::media {

struct ProbeRunnerOptions {
    ProbeOptions probe;
    /// Skip sooner than players do (the probe wants the present, not every frame) and never
    /// disconnect for slowness: a probe starved of CPU catches up by skipping.
    stream::ReaderPolicy readerPolicy{std::chrono::milliseconds(2000), 8 * 1024 * 1024,
                                      std::chrono::hours(24)};
    /// How the probe appears in hub events (ClientJoined/ClientLeft).
    stream::PublisherIdentity who{0, "probe", "internal"};
    /// Wait before subscribing again after the hub refused.
    std::chrono::milliseconds retryAfter{1000};
};

using SampleCallback = std::function<void(const stream::StreamKey&, const ContentSample&)>;

struct ProbeRunnerStatus {
    bool running = false;
    ProbeCounters probe;
    stream::ReaderCounters reader; // of the current subscription
    std::uint64_t subscriptions = 0;
    std::uint64_t samplesDelivered = 0;
    std::string lastProblem; // the latest decoder/analysis problem, also logged
};

class ProbeRunner : public stream::StreamWorker, private stream::FollowerHandler {
public:
    ProbeRunner(stream::Hub& hub, stream::StreamKey key, ProbeRunnerOptions options,
                SampleCallback onSample);
    ~ProbeRunner() override;
    ProbeRunner(const ProbeRunner&) = delete;
    ProbeRunner& operator=(const ProbeRunner&) = delete;

    /// Starts the worker (once).
    void start() override;
    /// Stops the worker and unsubscribes. Idempotent.
    void stop() override;

    const stream::StreamKey& key() const { return follower_.key(); }
    ProbeRunnerStatus status() const;

private:
    // stream::FollowerHandler, on the worker thread
    void subscribed() override;
    void packet(const stream::MediaPacket& packet) override;
    void drained(stream::Subscription& subscription) override;
    void subscribeFailed(const std::string& reason) override;

    void report(const std::string& problem);

    const SampleCallback onSample_;
    ContentProbe probe_;                 // worker only
    std::vector<ContentSample> samples_; // worker only
    std::string lastLogged_;             // worker only

    mutable std::mutex statusMutex_;
    ProbeRunnerStatus status_;

    stream::StreamFollower follower_; // last: its worker stops before the rest goes
};

} // namespace stagecast::media
