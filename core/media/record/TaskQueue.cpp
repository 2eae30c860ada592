#include "TaskQueue.h"

namespace stagecast::media::record {

TaskQueue::~TaskQueue() {
    finish();
}

void TaskQueue::post(std::function<void()> task) {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
    if (!thread_.joinable()) {
        finishing_ = false;
        thread_ = std::thread([this] { run(); });
    }
    cv_.notify_one();
}

void TaskQueue::finish() {
    std::thread thread;
    {
        std::lock_guard lock(mutex_);
        finishing_ = true;
        thread = std::move(thread_);
    }
    cv_.notify_all();
    if (thread.joinable()) {
        thread.join();
    }
}

std::size_t TaskQueue::pending() const {
    std::lock_guard lock(mutex_);
    return tasks_.size() + running_;
}

void TaskQueue::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        cv_.wait(lock, [this] { return finishing_ || !tasks_.empty(); });
        if (tasks_.empty()) {
            return; // finishing and nothing left
        }
        auto task = std::move(tasks_.front());
        tasks_.pop_front();
        ++running_;
        lock.unlock();
        task();
        lock.lock();
        --running_;
    }
}

} // namespace stagecast::media::record
