#pragma once
/// Keeps one SnapshotRunner per live hub stream, at most `maxStreams` at once (further streams
/// wait, first come first served, and start when a stream ends).
///
/// Follows publish/unpublish through hub events (register with start()) and compares with the
/// hub's snapshot every `reconcileEvery`, so a missed event cannot leave a runner behind.
/// A stream that ends keeps its runner for `lingerAfterUnpublish`, so a publisher that
/// reconnects keeps its snapshotter.
///
/// Threads: onHubEvent() runs on the hub's reporting thread (network threads) and only
/// records; runners are started and stopped on the manager's own control thread. Every public
/// member is thread-safe.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "media/snapshot/SnapshotRunner.h"
#include "media/snapshot/SnapshotStore.h"
#include "stream/Hub.h"
#include "stream/LiveStreams.h"

namespace stagecast::media::snapshot {

struct SnapshotManagerOptions {
    SnapshotRunnerOptions runner;
    std::size_t maxStreams = 16;
    std::chrono::milliseconds lingerAfterUnpublish{10000};
    std::chrono::milliseconds reconcileEvery{5000};
};

class SnapshotManager : public stream::HubEventListener {
public:
    SnapshotManager(stream::Hub& hub, SnapshotStore& store, SnapshotManagerOptions options);
    ~SnapshotManager() override;
    SnapshotManager(const SnapshotManager&) = delete;
    SnapshotManager& operator=(const SnapshotManager&) = delete;

    /// Registers with the hub, picks up live streams and starts the control thread.
    void start();
    /// Unregisters and stops every runner. Idempotent.
    void stop();

    void onHubEvent(const stream::HubEvent& event) override;

    /// Streams with a runner, and streams waiting for a free slot.
    std::vector<stream::StreamKey> active() const;
    std::vector<stream::StreamKey> waiting() const;
    std::optional<SnapshotStatus> status(const stream::StreamKey& key) const;

private:
    using TimePoint = std::chrono::steady_clock::time_point;
    void run();
    void reconcileWithHub();
    /// Which runners to stop and start now (under the lock).
    std::pair<std::vector<stream::StreamKey>, std::vector<stream::StreamKey>>
    planLocked(TimePoint now);

    stream::Hub& hub_;
    SnapshotStore& store_;
    const SnapshotManagerOptions options_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool dirty_ = true;
    bool stop_ = false;
    bool started_ = false;
    stream::LiveStreams streams_; // ended(): streams lingering after unpublish
    std::map<stream::StreamKey, std::uint64_t> wantedSince_;
    std::uint64_t sequence_ = 0;
    std::map<stream::StreamKey, std::unique_ptr<SnapshotRunner>> runners_;
    std::vector<stream::StreamKey> waiting_;
    std::thread control_;
};

} // namespace stagecast::media::snapshot
