#include "media/record/ClipExporter.h"

namespace stagecast::media::record {

std::string_view toString(ClipState state) {
    switch (state) {
    case ClipState::Idle:
        return "idle";
    case ClipState::Running:
        return "running";
    case ClipState::Done:
        return "done";
    case ClipState::Failed:
        return "failed";
    case ClipState::Cancelled:
        return "cancelled";
    }
    return "unknown";
}

ClipExporter::ClipExporter(ClipRequest request, ClipProgressFn onProgress)
    : request_(std::move(request)), onProgress_(std::move(onProgress)) {}

ClipExporter::~ClipExporter() {
    cancel();
    std::thread worker;
    {
        std::lock_guard lock(mutex_);
        worker = std::move(worker_);
    }
    if (worker.joinable()) {
        worker.join();
    }
}

void ClipExporter::start() {
    std::lock_guard lock(mutex_);
    if (status_.state != ClipState::Idle) {
        return;
    }
    if (cancelled_) {
        status_.state = ClipState::Cancelled;
        status_.error = "clip export cancelled";
        ended_.notify_all();
        return;
    }
    status_.state = ClipState::Running;
    worker_ = std::thread([this] { run(); });
}

void ClipExporter::cancel() {
    cancelled_ = true;
}

ClipStatus ClipExporter::wait() {
    std::unique_lock lock(mutex_);
    ended_.wait(lock, [this] { return status_.state != ClipState::Running; });
    return status_;
}

ClipStatus ClipExporter::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void ClipExporter::run() {
    const ClipProgressFn progress = [this](double share) {
        {
            std::lock_guard lock(mutex_);
            status_.progress = share;
        }
        if (onProgress_) {
            onProgress_(share);
        }
    };
    auto outcome = cutClip(request_, progress, cancelled_);
    std::lock_guard lock(mutex_);
    if (outcome) {
        status_.state = ClipState::Done;
        status_.progress = 1.0;
        status_.outcome = *outcome;
    } else if (cancelled_) {
        status_.state = ClipState::Cancelled;
        status_.error = "clip export cancelled";
    } else {
        status_.state = ClipState::Failed;
        status_.error = outcome.error().message();
    }
    ended_.notify_all();
}

} // namespace stagecast::media::record
