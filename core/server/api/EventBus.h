#pragma once
/// Live events for WebSocket clients (operators' dashboards and moderation queues, the viewer
/// page): any module publishes a JSON object on a topic; each subscriber gets the events
/// whose topic its filter names. The bus only fans out: the subscriber (a WebSocket
/// session) keeps its own bounded queue and disconnects itself when it falls behind.
///
/// Topics are dotted names: "streams", "alerts", "health", "moderation.item",
/// "public.chat.live/demo". A filter entry matches its own topic and every topic below it
/// ("moderation" matches "moderation.item"); "*" matches every topic.
///
/// Thread-safety: every member is thread-safe. `Deliver` callbacks run with the bus locked
/// on the publisher's thread (often a network thread): they must only post, never block
/// or call back into the bus.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace stagecast::server::api {

/// One serialised event: {"topic":..,"time":..,"data":{..}}, shared by every subscriber.
using EventFrame = std::shared_ptr<const std::string>;

class EventBus {
public:
    using Deliver = std::function<void(const EventFrame& frame)>;

    /// Returns the subscription id for unsubscribe().
    std::uint64_t subscribe(std::vector<std::string> filter, Deliver deliver);
    void unsubscribe(std::uint64_t id);

    /// `json` must be one JSON value (normally an object): it becomes the frame's "data".
    void publish(std::string_view topic, std::string_view json);

    std::size_t subscribers() const;
    std::uint64_t published() const { return published_.load(std::memory_order_relaxed); }

    /// True when `filter` lets `topic` through.
    static bool matches(const std::vector<std::string>& filter, std::string_view topic);

private:
    struct Subscriber {
        std::vector<std::string> filter;
        Deliver deliver;
    };
    mutable std::mutex mutex_;
    std::map<std::uint64_t, Subscriber> subscribers_;
    std::uint64_t nextId_ = 1;
    std::atomic<std::uint64_t> published_{0};
};

} // namespace stagecast::server::api
