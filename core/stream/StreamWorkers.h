#pragma once
/// Keeps one worker per stream worth following (a content probe, a snapshotter), within a
/// bound on how many run at once.
///
/// Which streams: those given to setPinned() (whether live or not: their workers wait for the
/// publisher) and, with `followPublished`, every published stream. A followed stream keeps its
/// worker for `lingerAfterUnpublish` after it ends, so a publisher that reconnects keeps it.
/// Over `maxWorkers`, further streams wait (waiting()) in the order they came and start when a
/// worker ends.
///
/// The set learns of publishes from hub events (it registers itself as a HubEventListener in
/// start()) and also compares with the hub's snapshot every `reconcileEvery`, so a missed or
/// reordered event cannot leave a worker behind.
///
/// Threads: onHubEvent() runs on whatever thread the hub reports from (network threads) and
/// only records; workers are made, started and stopped on the set's own control thread, never
/// under its lock (stopping joins a worker that may be busy). Every public member is
/// thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "stream/Hub.h"
#include "stream/LiveStreams.h"

namespace stagecast::stream {

/// One stream's worker as the set sees it.
class StreamWorker {
public:
    virtual ~StreamWorker() = default;
    virtual void start() = 0;
    /// Stops and joins; idempotent.
    virtual void stop() = 0;
};

struct StreamWorkersOptions {
    /// At most this many workers at once (each is usually one thread).
    std::size_t maxWorkers = 8;
    bool followPublished = true;
    /// Published streams that following leaves alone (a pinned one still gets a worker).
    std::set<StreamKey> notFollowed;
    std::chrono::milliseconds lingerAfterUnpublish{10000};
    std::chrono::milliseconds reconcileEvery{5000};
    /// Log module and the noun of the start/stop lines ("probe": "live/a: probe stopped").
    std::string logModule = "workers";
    std::string what = "worker";
};

class StreamWorkers : public HubEventListener {
public:
    /// Makes the (not yet started) worker of a stream; called on the control thread.
    using Factory = std::function<std::unique_ptr<StreamWorker>(const StreamKey&)>;

    StreamWorkers(Hub& hub, StreamWorkersOptions options, Factory factory);
    ~StreamWorkers() override;
    StreamWorkers(const StreamWorkers&) = delete;
    StreamWorkers& operator=(const StreamWorkers&) = delete;

    /// Registers with the hub, picks up the streams already live, starts the control thread.
    void start();
    /// Unregisters and stops every worker. Idempotent.
    void stop();

    void onHubEvent(const HubEvent& event) override;
    /// Streams to follow in any case (replaces the previous list).
    void setPinned(std::vector<StreamKey> keys);

    /// Streams with a worker, and streams waiting for a free slot.
    std::vector<StreamKey> active() const;
    std::vector<StreamKey> waiting() const;
    /// Calls `visit` with the stream's worker under the set's lock (keep it short); false
    /// when the stream has none.
    bool visit(const StreamKey& key, const std::function<void(const StreamWorker&)>& visit) const;

private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Plan {
        std::vector<StreamKey> toStop;
        std::vector<StreamKey> toStart;
    };
    void run();
    void reconcileWithHub();
    Plan planLocked(TimePoint now);
    TimePoint nextWakeLocked(TimePoint nextReconcile) const;
    void apply(const Plan& plan);

    Hub& hub_;
    const StreamWorkersOptions options_;
    const Factory factory_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool dirty_ = true;
    bool stop_ = false;
    bool started_ = false;
    std::set<StreamKey> pinned_;
    LiveStreams streams_; // ended(): followed streams lingering
    /// When a stream became wanted (a sequence number), for first-come order over the bound.
    std::map<StreamKey, std::uint64_t> wantedSince_;
    std::uint64_t sequence_ = 0;
    std::map<StreamKey, std::unique_ptr<StreamWorker>> workers_; // changed by run() only
    std::vector<StreamKey> waiting_;
    std::thread control_;
};

} // namespace stagecast::stream
