#pragma once
/// One background thread running tasks in order: the recorder finalises MP4 files here (a
/// remux that reads and writes the whole file) so its worker keeps draining the hub.
/// Unbounded in tasks, but each task is one closed file, so the queue is as long as the
/// number of files closed faster than they are finalised.
///
/// Threads: post() and finish() from any thread except the queue's own.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace stagecast::media::record {

class TaskQueue {
public:
    TaskQueue() = default;
    ~TaskQueue();
    TaskQueue(const TaskQueue&) = delete;
    TaskQueue& operator=(const TaskQueue&) = delete;

    /// Runs `task` after the ones already posted; starts the thread on first use.
    void post(std::function<void()> task);
    /// Runs every posted task, then stops the thread. post() after finish() starts it again.
    void finish();
    std::size_t pending() const;

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> tasks_;
    std::size_t running_ = 0;
    bool finishing_ = false;
    std::thread thread_;
};

} // namespace stagecast::media::record
