#include "SendLog.h"

#include <chrono>

namespace stagecast::load {

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void SendLog::record(std::uint32_t timestampMs, std::int64_t sentNs) {
    std::lock_guard lock(mutex_);
    sent_.insert_or_assign(timestampMs, sentNs);
}

std::optional<std::int64_t> SendLog::lookup(std::uint32_t timestampMs) const {
    std::lock_guard lock(mutex_);
    auto it = sent_.find(timestampMs);
    if (it == sent_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::size_t SendLog::size() const {
    std::lock_guard lock(mutex_);
    return sent_.size();
}

} // namespace stagecast::load
