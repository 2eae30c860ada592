#pragma once
/// One subscriber's view of a stream: a bounded queue of shared packets with a named overflow
/// policy ("skip to keyframe", then "disconnect").
///
/// Threads: push()/end() are called by the stream on the publisher's thread; drain(),
/// state() and counters() by the consumer on its own thread. The notify callback runs on the
/// publisher's thread with the stream locked: it must only post work elsewhere (e.g.
/// asio::post), never call back into the hub.
///
/// Overflow policy: when the queued media spans more than `skipBacklog` or holds more than
/// `maxBacklogBytes`, the reader skips forward — to the newest keyframe already queued, or
/// else drops everything and waits for the next keyframe (decoder configs are always kept).
/// A reader that stays behind (skipping, or not draining at all) for `disconnectAfter` is
/// ended with ReaderState::TooSlow. It never slows the publisher or other readers.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "stream/Clock.h"
#include "stream/MediaPacket.h"

namespace stagecast::stream {

struct ReaderPolicy {
    std::chrono::milliseconds skipBacklog{3000};
    std::size_t maxBacklogBytes = 16 * 1024 * 1024;
    std::chrono::milliseconds disconnectAfter{10000};
};

enum class ReaderState : std::uint8_t {
    Open = 1,
    StreamEnded, // the publisher left (and the subscription asked to end then)
    TooSlow,     // behind for longer than disconnectAfter
    Kicked,      // an operator ended the stream or the client
};

const char* toString(ReaderState state);

struct ReaderCounters {
    std::uint64_t deliveredPackets = 0;
    std::uint64_t deliveredBytes = 0;
    std::uint64_t droppedPackets = 0;
    std::uint64_t droppedBytes = 0;
    std::uint64_t skips = 0;
    std::size_t queuedPackets = 0;
    std::size_t queuedBytes = 0;
};

class Reader {
public:
    using Notify = std::function<void()>;

    enum class PushOutcome : std::uint8_t { Queued = 1, Skipped, Ended };

    Reader(std::uint64_t clientId, ReaderPolicy policy, Notify notify);
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    /// Consumer: moves queued packets into `out`, at least one if any is queued and then
    /// until `maxBytes` would be exceeded. Returns the state; a reader that is not Open still
    /// hands out what it had queued before it ended, and returns its end state once empty.
    ReaderState drain(std::vector<PacketPtr>& out, std::size_t maxBytes, SteadyTime now);
    ReaderState state() const;
    ReaderCounters counters() const;
    std::uint64_t clientId() const { return clientId_; }

    /// Stream side: queue one packet, applying the overflow policy.
    PushOutcome push(const PacketPtr& packet, SteadyTime now);
    /// Stream side: queue the join burst (metadata, configs, GOP cache) without applying the
    /// backlog-duration bound to it, so a viewer joining a long GOP is not skipped at once.
    void preload(const std::vector<PacketPtr>& packets, SteadyTime now);
    /// Stream side: end the reader; queued packets stay drainable.
    void end(ReaderState reason);

private:
    void skipLocked(SteadyTime now);

    const std::uint64_t clientId_;
    const ReaderPolicy policy_;
    const Notify notify_;

    mutable std::mutex mutex_;
    std::deque<PacketPtr> queue_;
    std::size_t queuedBytes_ = 0;
    ReaderState state_ = ReaderState::Open;
    bool waitingForKeyframe_ = false;
    std::optional<std::chrono::milliseconds> spanBaseline_; // dts where the join burst ends
    SteadyTime lastProgress_{};
    std::optional<SteadyTime> behindSince_;
    ReaderCounters counters_;
};

} // namespace stagecast::stream
