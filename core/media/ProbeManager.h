#pragma once
/// Keeps one ProbeRunner per stream worth probing, within a bound on concurrent probes.
///
/// Which streams: those given to setStreams() (probed whether live or not: the runner waits
/// for the publisher) and, with `followPublished`, every published stream. A followed stream
/// keeps its runner for `lingerAfterUnpublish` after it ends, so a publisher that reconnects
/// keeps its probe. Over `maxProbes`, further streams wait (waiting()) in the order they came
/// and start when a probe ends.
///
/// The bookkeeping (hub events, reconciling with the hub, the bound, lingering) is
/// stream::StreamWorkers'; this class makes the runners and reads their status.
///
/// Threads: every public member is thread-safe; stop() must not be called from the sample
/// callback.

#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <vector>

#include "media/ProbeRunner.h"
#include "stream/Hub.h"
#include "stream/StreamWorkers.h"

namespace stagecast::media {

struct ProbeManagerOptions {
    ProbeRunnerOptions runner;
    /// At most this many probes decode at once (each is one worker thread).
    std::size_t maxProbes = 8;
    bool followPublished = true;
    /// Published streams not probed unless pinned (the director's preview and multiview).
    std::set<stream::StreamKey> notFollowed;
    std::chrono::milliseconds lingerAfterUnpublish{10000};
    std::chrono::milliseconds reconcileEvery{5000};
};

class ProbeManager {
public:
    ProbeManager(stream::Hub& hub, ProbeManagerOptions options, SampleCallback onSample);
    ProbeManager(const ProbeManager&) = delete;
    ProbeManager& operator=(const ProbeManager&) = delete;

    /// Registers with the hub, picks up streams already live and starts the control thread.
    void start() { workers_.start(); }
    /// Unregisters and stops every runner. Idempotent.
    void stop() { workers_.stop(); }

    /// Streams to probe in any case (replaces the previous list).
    void setStreams(std::vector<stream::StreamKey> keys) { workers_.setPinned(std::move(keys)); }

    /// Streams with a running probe, and streams waiting for a free slot.
    std::vector<stream::StreamKey> probed() const { return workers_.active(); }
    std::vector<stream::StreamKey> waiting() const { return workers_.waiting(); }
    std::optional<ProbeRunnerStatus> status(const stream::StreamKey& key) const;

private:
    stream::StreamWorkers workers_;
};

} // namespace stagecast::media
