#pragma once
/// One clip export as a job: cutClip() (ClipCutter.h) on a thread of its own, with its state,
/// progress and error readable from any thread, cancellable, and waitable. The recordings API
/// keeps one per requested clip.
///
///   ClipExporter job({.input = rec, .output = clip, .from = 5s, .to = 10s,
///                     .mode = ClipMode::Copy});
///   job.start();            // returns at once
///   job.status().progress;  // 0..1 while Running
///   job.cancel();           // from any thread: the partial output is deleted
///   auto final = job.wait();
///
/// Threads: every member is thread-safe. The progress callback runs on the job's thread and
/// must not call wait() or the destructor. Destroying a running job cancels and joins it.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "media/record/ClipCutter.h"

namespace stagecast::media::record {

enum class ClipState : std::uint8_t { Idle = 1, Running, Done, Failed, Cancelled };

/// "idle", "running", "done", "failed", "cancelled".
std::string_view toString(ClipState state);

struct ClipStatus {
    ClipState state = ClipState::Idle;
    double progress = 0; // 0..1 by output media time; 1 when Done
    std::string
        error; // Failed: what went wrong, naming the file; Cancelled: "clip export cancelled"
    ClipOutcome outcome; // Done
};

class ClipExporter {
public:
    explicit ClipExporter(ClipRequest request, ClipProgressFn onProgress = {});
    ~ClipExporter();
    ClipExporter(const ClipExporter&) = delete;
    ClipExporter& operator=(const ClipExporter&) = delete;

    const ClipRequest& request() const { return request_; }

    /// Starts the export (once; later calls do nothing).
    void start();
    /// Asks the export to stop; it ends Cancelled with no output file. Before start(), the
    /// job ends Cancelled without running.
    void cancel();
    /// Waits until the job has ended (at once when it never started) and returns its status.
    ClipStatus wait();
    ClipStatus status() const;

private:
    void run();

    const ClipRequest request_;
    const ClipProgressFn onProgress_;
    std::atomic<bool> cancelled_{false};

    mutable std::mutex mutex_;
    std::condition_variable ended_;
    ClipStatus status_;
    std::thread worker_;
};

} // namespace stagecast::media::record
