#pragma once
/// When the publisher handed each video frame to its socket, by RTMP timestamp. Players look
/// the same timestamp up when the frame arrives: publisher and players share one process and
/// one steady clock, so the difference is the latency the server (and loopback TCP) added.
/// Written by the publisher thread, read by player threads: guarded by a mutex.

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace stagecast::load {

/// Nanoseconds on std::chrono::steady_clock.
std::int64_t nowNs();

class SendLog {
public:
    void record(std::uint32_t timestampMs, std::int64_t sentNs);
    std::optional<std::int64_t> lookup(std::uint32_t timestampMs) const;
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::uint32_t, std::int64_t> sent_;
};

} // namespace stagecast::load
