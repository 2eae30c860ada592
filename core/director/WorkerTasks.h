#pragma once
/// Work an API thread hands to the director's own thread and waits for: making libobs
/// objects whose creation enters libobs' graphics (transitions). On an API thread that would
/// leave thread-local GL state behind which outlives libobs' modules and crashes when the
/// server's thread pool ends after the director.
///
/// Threads: runAndWait() from any thread not holding the director's lock; runQueued() on the
/// director's thread.

#include <deque>
#include <functional>
#include <mutex>

namespace stagecast::director {

class WorkerTasks {
public:
    /// Queues `task`, calls `wake` (to wake the director's thread) and waits until it ran.
    void runAndWait(const std::function<void()>& task, const std::function<void()>& wake);
    /// Runs every queued task (on the director's thread, also when it is stopping).
    void runQueued();
    bool pending() const;

private:
    mutable std::mutex mutex_;
    std::deque<std::function<void()>> tasks_;
};

} // namespace stagecast::director
