#pragma once
/// Runs the stream recorders: one StreamRecorder per stream being recorded, started by rule
/// (streams matching a pattern are recorded whenever they are live) or on demand (API),
/// within a bound on concurrent recorders, and the disk guard.
///
/// Rule recorders start when their stream is published and stop once it has been gone longer
/// than the resume window (the recorder has closed its file by then). On-demand recorders run
/// until stopRecording(): a stream that goes away and comes back is recorded again, in the
/// same file within the resume window.
///
/// Disk guard: the free space of the recordings folder is checked every `diskCheckEvery`.
/// Below `minFreeBytes` every recorder is stopped cleanly (its file closed and finalised, or
/// kept fragmented when there is no room to finalise), no recording starts, and the disk
/// callback says so; once the free space is back above the threshold plus a margin (a tenth of
/// the threshold, within 16..256 MiB), rule
/// recorders start again for the live streams they match (on-demand ones do not restart).
///
/// Threads: onHubEvent() on the hub's reporting threads only records; rule recorders are
/// started and stopped on the service's control thread. startRecording/stopRecording/active
/// from any thread (stopRecording blocks while the file is finalised). Callbacks come from
/// recorder and control threads and must not call back into the service.

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
#include <string_view>
#include <thread>
#include <vector>

#include "base/Result.h"
#include "media/StreamRecorder.h"
#include "stream/Hub.h"
#include "stream/LiveStreams.h"

namespace stagecast::media {

struct RecordingServiceOptions {
    record::RecordingOptions recording;
    /// "APP/STREAM" patterns, either part may be "*": recorded whenever live.
    std::vector<std::string> patterns;
    std::uint64_t minFreeBytes = 1024ULL * 1024 * 1024; // 0 = no disk guard
    std::chrono::milliseconds diskCheckEvery{1000};
    std::size_t maxRecorders = 16;
    /// A rule recorder is stopped this long after the resume window once its stream is gone.
    std::chrono::milliseconds stopGrace{2000};
    std::chrono::milliseconds reconcileEvery{5000};
};

enum class RecordingOrigin : std::uint8_t { Rule = 1, Demand };
/// "rule", "demand".
const char* toString(RecordingOrigin origin);

struct ActiveRecording {
    stream::StreamKey key;
    RecordingOrigin origin = RecordingOrigin::Rule;
    StreamRecorderStatus status;
};

struct DiskState {
    std::string folder;
    bool low = false;
    std::uint64_t availableBytes = 0;
    std::uint64_t thresholdBytes = 0;
    std::string error; // the free space could not be read
};

/// Called when the disk becomes low (with the streams whose recording was stopped) and when
/// it has room again (empty list).
using DiskCallback =
    std::function<void(const DiskState& state, const std::vector<std::string>& stopped)>;

/// True when "APP/STREAM" pattern `pattern` (either part "*") matches `key`.
bool matchesPattern(std::string_view pattern, const stream::StreamKey& key);

class RecordingService : public stream::HubEventListener {
public:
    /// `options.recording` must have passed validate().
    RecordingService(stream::Hub& hub, RecordingServiceOptions options,
                     record::RecordingCallback onEvent, DiskCallback onDisk);
    ~RecordingService() override;
    RecordingService(const RecordingService&) = delete;
    RecordingService& operator=(const RecordingService&) = delete;

    /// Registers with the hub, checks the disk, starts rule recorders for live streams and
    /// the control thread.
    void start();
    /// Stops every recorder (files finalised) and the control thread. Idempotent.
    void stop();

    void onHubEvent(const stream::HubEvent& event) override;

    /// Records `key` until stopRecording(). Fails (naming why) when it is already recorded,
    /// the bound is reached, the disk is low or the service is stopped. A rule recorder
    /// already running for the stream becomes an on-demand one.
    base::Status startRecording(const stream::StreamKey& key);
    /// Stops the recorder of `key` (rule or on demand); blocks until its files are finalised.
    /// A rule stream stays unrecorded until it is published again.
    base::Status stopRecording(const stream::StreamKey& key);

    std::vector<ActiveRecording> active() const;
    DiskState disk() const;

private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Entry {
        std::unique_ptr<StreamRecorder> recorder;
        RecordingOrigin origin = RecordingOrigin::Rule;
    };
    void run();
    void checkDisk();
    void reconcileWithHub();
    /// Under the lock: recorders to start and entries to stop now.
    void planLocked(TimePoint now, std::vector<stream::StreamKey>& toStart,
                    std::vector<std::unique_ptr<StreamRecorder>>& toStop);
    bool wantedByRule(const stream::StreamKey& key) const;
    std::unique_ptr<StreamRecorder> makeRecorder(const stream::StreamKey& key);

    stream::Hub& hub_;
    const RecordingServiceOptions options_;
    const record::RecordingCallback onEvent_;
    const DiskCallback onDisk_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool dirty_ = true;
    bool stop_ = false;
    bool started_ = false;
    stream::LiveStreams streams_; // ended(): streams gone, for the rule recorders' linger
    /// Rule streams an operator stopped: not recorded again until their next publish.
    std::set<stream::StreamKey> suppressed_;
    std::map<stream::StreamKey, Entry> entries_;
    DiskState disk_;
    std::thread control_;
};

} // namespace stagecast::media
