#pragma once
/// The hub: the registry of live streams that every ingest publishes into and every player,
/// relay, recorder and director input subscribes to. A packet enters once and is shared by
/// reference with every subscriber.
///
/// Thread-safety: all members are thread-safe. Lock order is hub, then stream, then reader;
/// callbacks given to the hub (Reader::Notify, onEvicted, event listeners) run with locks
/// held and must only post work elsewhere. The Hub must outlive every Publisher and
/// Subscription it hands out.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"
#include "stream/Clock.h"
#include "stream/HubEvent.h"
#include "stream/MediaPacket.h"
#include "stream/Reader.h"
#include "stream/Stream.h"
#include "stream/StreamInfo.h"
#include "stream/StreamKey.h"

namespace stagecast::stream {

enum class DuplicatePublish : std::uint8_t { Reject = 1, TakeOver };

struct HubOptions {
    StreamOptions stream;
    DuplicatePublish onDuplicatePublish = DuplicatePublish::Reject;
};

class Hub;

/// The right to publish one stream. Destroying it unpublishes. Used from one thread.
class Publisher {
public:
    ~Publisher();
    Publisher(const Publisher&) = delete;
    Publisher& operator=(const Publisher&) = delete;

    const StreamKey& key() const { return stream_->key(); }
    void push(const PacketPtr& packet);
    void setVideoInfo(VideoTrackInfo info);
    void setAudioInfo(AudioTrackInfo info);
    /// Why the publish ends, carried by the Unpublished event ("deleteStream", "connection
    /// reset"); set just before destroying. Default: "publisher left".
    void setEndReason(std::string reason) { endReason_ = std::move(reason); }

private:
    friend class Hub;
    Publisher(Hub& hub, std::shared_ptr<Stream> stream, std::uint64_t generation,
              PublisherIdentity who);
    Hub& hub_;
    std::shared_ptr<Stream> stream_;
    std::uint64_t generation_;
    PublisherIdentity who_;
    std::string endReason_ = "publisher left";
};

/// One reader's subscription. Destroying it unsubscribes.
class Subscription {
public:
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    const StreamKey& key() const { return stream_->key(); }
    Reader& reader() { return *reader_; }
    /// True once the stream has a publisher (a waiting subscription may start without one).
    bool live() const { return stream_->live(); }

private:
    friend class Hub;
    Subscription(Hub& hub, std::shared_ptr<Stream> stream, std::shared_ptr<Reader> reader,
                 PublisherIdentity who);
    Hub& hub_;
    std::shared_ptr<Stream> stream_;
    std::shared_ptr<Reader> reader_;
    PublisherIdentity who_;
};

struct PublishRequest {
    StreamKey key;
    PublisherIdentity who;
    /// Called (with hub locks held: post, do not block) when the publish is ended from
    /// outside: taken over by another publisher or kicked by an operator.
    std::function<void(const std::string& reason)> onEvicted;
};

struct SubscribeRequest {
    StreamKey key;
    PublisherIdentity who;
    /// Subscribe even when nobody publishes yet (RTMP play, director inputs).
    bool waitForPublisher = false;
    /// End the reader when the publisher leaves (players); relays and director inputs stay.
    bool endWithPublisher = true;
    Reader::Notify notify;
};

class Hub {
public:
    explicit Hub(HubOptions options, Clock clock = systemClock());
    ~Hub();

    /// Fails with "stream live/foo is already being published" unless take-over is on.
    base::Result<std::unique_ptr<Publisher>> publish(PublishRequest request);
    /// Fails with "stream live/foo is not being published" unless waitForPublisher. `policy`
    /// overrides the hub's reader policy for this subscriber (a content probe that skips
    /// sooner and is never disconnected for being slow).
    base::Result<std::unique_ptr<Subscription>>
    subscribe(SubscribeRequest request, std::optional<ReaderPolicy> policy = std::nullopt);

    std::vector<StreamSnapshot> snapshot() const;
    std::optional<StreamSnapshot> snapshot(const StreamKey& key) const;
    /// Ends the publish and every reader of `key`. False if there is no such stream.
    bool kickStream(const StreamKey& key, const std::string& reason);

    /// Listeners must outlive the hub or be removed first.
    void addListener(HubEventListener* listener);
    void removeListener(HubEventListener* listener);
    /// Sessions report what the hub cannot see itself (auth denials).
    void report(HubEvent event);

    SteadyTime now() const { return clock_(); }

private:
    friend class Publisher;
    friend class Subscription;
    void unpublish(const std::shared_ptr<Stream>& stream, std::uint64_t generation,
                   const PublisherIdentity& who, std::string reason);
    void unsubscribe(const std::shared_ptr<Stream>& stream, const std::shared_ptr<Reader>& reader,
                     const PublisherIdentity& who);
    void dropIfIdleLocked(const std::shared_ptr<Stream>& stream);
    HubEvent makeEvent(HubEventType type, const std::string& stream, const PublisherIdentity& who,
                       std::string reason) const;

    const HubOptions options_;
    const Clock clock_;

    mutable std::mutex mutex_;
    std::map<StreamKey, std::shared_ptr<Stream>> streams_;
    std::map<StreamKey, std::function<void(const std::string&)>> evictors_;

    mutable std::mutex listenersMutex_;
    std::vector<HubEventListener*> listeners_;
};

} // namespace stagecast::stream
