#pragma once
/// Takes the snapshots of one hub stream on a worker thread of its own: every `interval` of
/// media time it decodes the next keyframe (non-key packets are never decoded), scales it to a
/// thumbnail, encodes a JPEG and replaces FOLDER/APP/STREAM/latest.jpg (SnapshotStore).
///
/// It reads the stream with a stream::StreamFollower like a probe: waits for a publisher and
/// stays subscribed across republishes; the hub never waits for a decode.
/// Behind, the bounded reader skips by GOP (`readerPolicy`). A decode, encode or write failure
/// is counted and logged (each new text once, with the path and reason) and the next interval
/// tries again; other streams have runners of their own and carry on.
///
/// Threads: start(), stop() and status() from any thread.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "media/VideoDecoder.h"
#include "media/snapshot/JpegThumbnail.h"
#include "media/snapshot/SnapshotStore.h"
#include "stream/Hub.h"
#include "stream/StreamFollower.h"
#include "stream/StreamWorkers.h"

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

class SnapshotRunner : public stream::StreamWorker, private stream::FollowerHandler {
public:
    SnapshotRunner(stream::Hub& hub, stream::StreamKey key, SnapshotStore& store,
                   SnapshotRunnerOptions options);
    ~SnapshotRunner() override;
    SnapshotRunner(const SnapshotRunner&) = delete;
    SnapshotRunner& operator=(const SnapshotRunner&) = delete;

    void start() override;
    /// Stops the worker and unsubscribes. Idempotent.
    void stop() override;

    const stream::StreamKey& key() const { return follower_.key(); }
    SnapshotStatus status() const;

private:
    // stream::FollowerHandler, on the worker thread
    void subscribed() override;
    void packet(const stream::MediaPacket& packet) override;
    void drained(stream::Subscription& subscription) override;
    void subscribeFailed(const std::string& reason) override;

    void picture(const AVFrame& picture);
    void report(const std::string& problem);

    SnapshotStore& store_;
    VideoDecoder decoder_;     // worker only
    JpegThumbnail thumbnails_; // worker only
    std::string lastLogged_;   // worker only

    mutable std::mutex statusMutex_;
    SnapshotStatus status_;

    stream::StreamFollower follower_; // last: its worker stops before the rest goes
};

} // namespace stagecast::media::snapshot
