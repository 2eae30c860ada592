#pragma once
/// Follows one hub stream on a worker thread of its own, the way the in-process consumers
/// (content probes, snapshotters) read it: it subscribes like a relay — waits for a publisher
/// and stays subscribed across unpublish and republish — and the reader's notify callback only
/// wakes the worker, so the publisher's (network) thread never waits for a decode. Packets are
/// drained in slices, stop() being noticed between them, and handed to the handler on the
/// worker. A reader the hub ends (too slow, kicked) is replaced by a new subscription at once;
/// a refused subscribe is retried after `retryAfter`.
///
/// Threads: start() and stop() from any thread except the handler's callbacks; the handler
/// only ever runs on the worker.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

#include "stream/Hub.h"

namespace stagecast::stream {

struct FollowerOptions {
    /// How the follower appears in hub events (ClientJoined/ClientLeft).
    PublisherIdentity who;
    ReaderPolicy readerPolicy;
    /// Wait before subscribing again after the hub refused.
    std::chrono::milliseconds retryAfter{1000};
    /// Bytes drained between two looks at stop().
    std::size_t drainBytes = 1024 * 1024;
    /// Log module of the follower's own lines ("probe", "snapshot").
    std::string logModule = "follower";
};

/// What a follower does with the stream. Every call is on the follower's worker thread.
class FollowerHandler {
public:
    virtual ~FollowerHandler() = default;
    /// A new subscription: what follows may be a new publisher's timeline.
    virtual void subscribed() = 0;
    virtual void packet(const MediaPacket& packet) = 0;
    /// After each round of draining, before the worker sleeps again.
    virtual void drained(Subscription& subscription) { (void)subscription; }
    /// The hub refused to subscribe (its reason); retried after `retryAfter`.
    virtual void subscribeFailed(const std::string& reason) = 0;
};

class StreamFollower {
public:
    StreamFollower(Hub& hub, StreamKey key, FollowerOptions options, FollowerHandler& handler);
    ~StreamFollower();
    StreamFollower(const StreamFollower&) = delete;
    StreamFollower& operator=(const StreamFollower&) = delete;

    /// Starts the worker (once).
    void start();
    /// Stops the worker and unsubscribes. Idempotent.
    void stop();

    const StreamKey& key() const { return key_; }

private:
    void run();
    void wake();
    bool stopping();

    Hub& hub_;
    const StreamKey key_;
    const FollowerOptions options_;
    FollowerHandler& handler_;

    std::mutex mutex_; // guards wake_ and stop_; never held while calling the hub
    std::condition_variable cv_;
    bool wake_ = true;
    bool stop_ = false;
    std::thread worker_;
};

} // namespace stagecast::stream
