#pragma once
/// Runs a ContentProbe on one hub stream, on a worker thread of its own.
///
/// The runner subscribes like a relay: it waits for a publisher and stays subscribed across
/// unpublish/republish (a new publisher's timeline restarts the measurement). The reader's
/// notify callback only wakes the worker; all decoding happens on the worker, never on the
/// publisher's (network) thread. When the worker falls behind, the hub's bounded reader drops
/// by GOP (skips to the newest keyframe: ProbeRunnerOptions::readerPolicy); if it is ended
/// anyway (too slow, kicked) the runner subscribes again.
///
/// Threads: start(), stop() and status() from any thread (stop() not from the callback).
/// `onSample` runs on the worker thread; it should hand the sample on quickly (a queue, the
/// monitor's lock), since decoding waits for it.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "media/ContentProbe.h"
#include "stream/Hub.h"

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

class ProbeRunner {
public:
    ProbeRunner(stream::Hub& hub, stream::StreamKey key, ProbeRunnerOptions options,
                SampleCallback onSample);
    ~ProbeRunner();
    ProbeRunner(const ProbeRunner&) = delete;
    ProbeRunner& operator=(const ProbeRunner&) = delete;

    /// Starts the worker (once).
    void start();
    /// Stops the worker and unsubscribes. Idempotent.
    void stop();

    const stream::StreamKey& key() const { return key_; }
    ProbeRunnerStatus status() const;

private:
    void run();
    bool waitForWork(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout);
    void wake();
    void report(const base::Error& problem);
    void publishStatus(const ContentProbe& probe, stream::Subscription* subscription);

    stream::Hub& hub_;
    const stream::StreamKey key_;
    const ProbeRunnerOptions options_;
    const SampleCallback onSample_;

    std::mutex mutex_; // guards wake_ and stop_; never held while calling the hub
    std::condition_variable cv_;
    bool wake_ = true;
    bool stop_ = false;
    std::thread worker_;

    mutable std::mutex statusMutex_;
    ProbeRunnerStatus status_;
    std::string lastLogged_; // worker only
};

} // namespace stagecast::media
