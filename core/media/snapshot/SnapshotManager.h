#pragma once
/// Keeps one SnapshotRunner per live hub stream, at most `maxStreams` at once (further streams
/// wait, first come first served, and start when a stream ends).
///
/// A stream that ends keeps its runner for `lingerAfterUnpublish`, so a publisher that
/// reconnects keeps its snapshotter. The bookkeeping (hub events, reconciling with the hub,
/// the bound, lingering) is stream::StreamWorkers'.
///
/// Threads: every public member is thread-safe.

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "media/snapshot/SnapshotRunner.h"
#include "media/snapshot/SnapshotStore.h"
#include "stream/Hub.h"
#include "stream/StreamWorkers.h"

namespace stagecast::media::snapshot {

struct SnapshotManagerOptions {
    SnapshotRunnerOptions runner;
    std::size_t maxStreams = 16;
    std::chrono::milliseconds lingerAfterUnpublish{10000};
    std::chrono::milliseconds reconcileEvery{5000};
};

class SnapshotManager {
public:
    SnapshotManager(stream::Hub& hub, SnapshotStore& store, SnapshotManagerOptions options);
    SnapshotManager(const SnapshotManager&) = delete;
    SnapshotManager& operator=(const SnapshotManager&) = delete;

    /// Registers with the hub, picks up live streams and starts the control thread.
    void start() { workers_.start(); }
    /// Unregisters and stops every runner. Idempotent.
    void stop() { workers_.stop(); }

    /// Streams with a runner, and streams waiting for a free slot.
    std::vector<stream::StreamKey> active() const { return workers_.active(); }
    std::vector<stream::StreamKey> waiting() const { return workers_.waiting(); }
    std::optional<SnapshotStatus> status(const stream::StreamKey& key) const;

private:
    stream::StreamWorkers workers_;
};

} // namespace stagecast::media::snapshot
