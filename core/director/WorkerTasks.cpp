#include "director/WorkerTasks.h"

#include <future>

namespace stagecast::director {

void WorkerTasks::runAndWait(const std::function<void()>& task, const std::function<void()>& wake) {
    std::promise<void> done;
    auto finished = done.get_future();
    {
        std::lock_guard lock(mutex_);
        tasks_.emplace_back([&] {
            task();
            done.set_value();
        });
    }
    wake();
    finished.wait();
}

void WorkerTasks::runQueued() {
    std::deque<std::function<void()>> work;
    {
        std::lock_guard lock(mutex_);
        work.swap(tasks_);
    }
    for (auto& task : work) {
        task();
    }
}

bool WorkerTasks::pending() const {
    std::lock_guard lock(mutex_);
    return !tasks_.empty();
}

} // namespace stagecast::director
