#pragma once
/// Takes the snapshots of one hub stream on a worker thread of its own: every `interval` of
/// media time it decodes the next keyframe (non-key packets are never decoded), scales it to a
/// thumbnail, encodes a JPEG and replaces FOLDER/APP/STREAM/latest.jpg (SnapshotStore).
///
/// It subscribes like a probe: waits for a publisher and stays subscribed across republishes;
/// the reader's notify callback only wakes the worker, so the hub never waits for a decode.
/// Behind, the bounded reader skips by GOP (`readerPolicy`). A decode, encode or write failure
/// is counted and logged (each new text once, with the path and reason) and the next interval
/// tries again; other streams have runners of their own and carry on.
///
/// Threads: start(), stop() and status() from any thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "media/snapshot/SnapshotStore.h"
#include "stream/Hub.h"

namespace stagecast::media::snapshot {

struct SnapshotRunnerOptions {
    std::chrono::milliseconds interval{5000};
    int width = 320;
    /// Skip soon (a snapshot wants the present) and never disconnect for slowness.
    stream::ReaderPolicy readerPolicy{std::chrono::milliseconds(2000), 8 * 1024 * 1024,
                                      std::chrono::hours(24)};
    stream::PublisherIdentity who{0, "snapshot", "internal"};
    std::chrono::milliseconds retryAfter{1000};
};

struct SnapshotStatus {
    bool running = false;
    std::uint64_t written = 0;        // latest.jpg replaced
    std::uint64_t decodeFailures = 0; // decode or encode failed for a due picture
    std::uint64_t writeFailures = 0;  // the file could not be written
    std::uint64_t keyframesSkipped = 0;
    std::uint64_t readerSkips = 0; // GOPs the hub reader dropped behind a slow worker
    int width = 0;
    int height = 0;
    std::chrono::system_clock::time_point lastWrittenAt{};
    std::string lastError;
};

class SnapshotRunner {
public:
    SnapshotRunner(stream::Hub& hub, stream::StreamKey key, SnapshotStore& store,
                   SnapshotRunnerOptions options);
    ~SnapshotRunner();
    SnapshotRunner(const SnapshotRunner&) = delete;
    SnapshotRunner& operator=(const SnapshotRunner&) = delete;

    void start();
    /// Stops the worker and unsubscribes. Idempotent.
    void stop();

    const stream::StreamKey& key() const { return key_; }
    SnapshotStatus status() const;

private:
    void run();
    void wake();
    void report(const std::string& problem);

    stream::Hub& hub_;
    const stream::StreamKey key_;
    SnapshotStore& store_;
    const SnapshotRunnerOptions options_;

    std::mutex mutex_; // guards wake_ and stop_; never held while calling the hub
    std::condition_variable cv_;
    bool wake_ = true;
    bool stop_ = false;
    std::thread worker_;

    mutable std::mutex statusMutex_;
    SnapshotStatus status_;
    std::string lastLogged_; // worker only
};

} // namespace stagecast::media::snapshot
