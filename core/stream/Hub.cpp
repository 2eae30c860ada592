#include "Hub.h"

#include <algorithm>

namespace stagecast::stream {

Publisher::Publisher(Hub& hub, std::shared_ptr<Stream> stream, std::uint64_t generation,
                     PublisherIdentity who)
    : hub_(hub), stream_(std::move(stream)), generation_(generation), who_(std::move(who)) {}

Publisher::~Publisher() {
    hub_.unpublish(stream_, generation_, who_, std::move(endReason_));
}

void Publisher::push(const PacketPtr& packet) {
    stream_->push(generation_, packet, hub_.now());
}

void Publisher::setVideoInfo(VideoTrackInfo info) {
    stream_->setVideoInfo(generation_, std::move(info));
}

void Publisher::setAudioInfo(AudioTrackInfo info) {
    stream_->setAudioInfo(generation_, std::move(info));
}

Subscription::Subscription(Hub& hub, std::shared_ptr<Stream> stream, std::shared_ptr<Reader> reader,
                           PublisherIdentity who)
    : hub_(hub), stream_(std::move(stream)), reader_(std::move(reader)), who_(std::move(who)) {}

Subscription::~Subscription() {
    hub_.unsubscribe(stream_, reader_, who_);
}

Hub::Hub(HubOptions options, Clock clock) : options_(options), clock_(std::move(clock)) {}

Hub::~Hub() = default;

base::Result<std::unique_ptr<Publisher>> Hub::publish(PublishRequest request) {
    std::unique_ptr<Publisher> publisher;
    std::function<void(const std::string&)> evicted;
    {
        std::lock_guard lock(mutex_);
        auto& stream = streams_[request.key];
        if (!stream) {
            stream = std::make_shared<Stream>(request.key, options_.stream);
        }
        if (auto current = stream->publisher()) {
            if (options_.onDuplicatePublish == DuplicatePublish::Reject) {
                auto reason = "stream " + request.key.str() +
                              " is already being published (by client " +
                              std::to_string(current->clientId) + ")";
                report(makeEvent(HubEventType::AuthDenied, request.key.str(), request.who, reason));
                return base::fail(reason);
            }
            evicted = std::move(evictors_[request.key]);
        }
        auto generation = stream->attachPublisher(request.who, clock_());
        evictors_[request.key] = std::move(request.onEvicted);
        publisher.reset(new Publisher(*this, stream, generation, request.who));
        if (evicted) {
            evicted("taken over by client " + std::to_string(request.who.clientId));
        }
    }
    report(makeEvent(HubEventType::Published, request.key.str(), request.who, {}));
    return publisher;
}

base::Result<std::unique_ptr<Subscription>> Hub::subscribe(SubscribeRequest request,
                                                           std::optional<ReaderPolicy> policy) {
    std::unique_ptr<Subscription> subscription;
    {
        std::lock_guard lock(mutex_);
        auto it = streams_.find(request.key);
        bool live = it != streams_.end() && it->second->live();
        if (!live && !request.waitForPublisher) {
            return base::fail("stream " + request.key.str() + " is not being published");
        }
        if (it == streams_.end()) {
            it = streams_
                     .emplace(request.key, std::make_shared<Stream>(request.key, options_.stream))
                     .first;
        }
        auto reader = std::make_shared<Reader>(request.who.clientId,
                                               policy.value_or(options_.stream.readerPolicy),
                                               std::move(request.notify));
        it->second->addReader(reader, request.endWithPublisher, clock_());
        subscription.reset(new Subscription(*this, it->second, reader, request.who));
    }
    report(makeEvent(HubEventType::ClientJoined, request.key.str(), request.who, {}));
    return subscription;
}

void Hub::unpublish(const std::shared_ptr<Stream>& stream, std::uint64_t generation,
                    const PublisherIdentity& who, std::string reason) {
    bool wasCurrent = false;
    {
        std::lock_guard lock(mutex_);
        wasCurrent = stream->detachPublisher(generation, true);
        if (wasCurrent) {
            evictors_.erase(stream->key());
        }
        dropIfIdleLocked(stream);
    }
    if (wasCurrent) {
        report(makeEvent(HubEventType::Unpublished, stream->key().str(), who, std::move(reason)));
    }
}

void Hub::unsubscribe(const std::shared_ptr<Stream>& stream, const std::shared_ptr<Reader>& reader,
                      const PublisherIdentity& who) {
    auto state = reader->state();
    auto counters = reader->counters();
    {
        std::lock_guard lock(mutex_);
        stream->removeReader(reader);
        dropIfIdleLocked(stream);
    }
    std::string reason = state == ReaderState::Open ? "client closed" : toString(state);
    if (counters.droppedPackets > 0) {
        reason += "; dropped " + std::to_string(counters.droppedPackets) + " packets (" +
                  std::to_string(counters.droppedBytes) + " bytes) in " +
                  std::to_string(counters.skips) + " skips";
    }
    if (state == ReaderState::TooSlow) {
        report(makeEvent(HubEventType::ReaderDropped, stream->key().str(), who, reason));
    }
    auto left = makeEvent(HubEventType::ClientLeft, stream->key().str(), who, reason);
    left.bytes = counters.deliveredBytes;
    report(std::move(left));
}

void Hub::dropIfIdleLocked(const std::shared_ptr<Stream>& stream) {
    auto it = streams_.find(stream->key());
    if (it != streams_.end() && it->second == stream && stream->idle()) {
        streams_.erase(it);
    }
}

std::vector<StreamSnapshot> Hub::snapshot() const {
    std::vector<std::shared_ptr<Stream>> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, stream] : streams_) {
            all.push_back(stream);
        }
    }
    std::vector<StreamSnapshot> out;
    auto now = clock_();
    for (const auto& s : all) {
        out.push_back(s->snapshot(now));
    }
    return out;
}

std::optional<StreamSnapshot> Hub::snapshot(const StreamKey& key) const {
    std::shared_ptr<Stream> stream;
    {
        std::lock_guard lock(mutex_);
        auto it = streams_.find(key);
        if (it == streams_.end()) {
            return std::nullopt;
        }
        stream = it->second;
    }
    return stream->snapshot(clock_());
}

bool Hub::kickStream(const StreamKey& key, const std::string& reason) {
    std::shared_ptr<Stream> stream;
    std::function<void(const std::string&)> evictor;
    {
        std::lock_guard lock(mutex_);
        auto it = streams_.find(key);
        if (it == streams_.end()) {
            return false;
        }
        stream = it->second;
        auto ev = evictors_.find(key);
        if (ev != evictors_.end()) {
            evictor = ev->second;
        }
    }
    if (evictor) {
        evictor(reason);
    }
    stream->endReaders(ReaderState::Kicked);
    return true;
}

void Hub::addListener(HubEventListener* listener) {
    std::lock_guard lock(listenersMutex_);
    listeners_.push_back(listener);
}

void Hub::removeListener(HubEventListener* listener) {
    std::lock_guard lock(listenersMutex_);
    std::erase(listeners_, listener);
}

void Hub::report(HubEvent event) {
    if (event.time == std::chrono::system_clock::time_point{}) {
        event.time = std::chrono::system_clock::now();
    }
    std::lock_guard lock(listenersMutex_);
    for (auto* l : listeners_) {
        l->onHubEvent(event);
    }
}

HubEvent Hub::makeEvent(HubEventType type, const std::string& stream, const PublisherIdentity& who,
                        std::string reason) const {
    HubEvent e;
    e.type = type;
    e.time = std::chrono::system_clock::now();
    e.stream = stream;
    e.clientId = who.clientId;
    e.protocol = who.protocol;
    e.address = who.address;
    e.userAgent = who.userAgent;
    e.reason = std::move(reason);
    e.param = who.param;
    e.tcUrl = who.tcUrl;
    return e;
}

} // namespace stagecast::stream
