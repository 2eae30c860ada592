#pragma once
/// The bounded queue of webhook deliveries waiting to be sent, new ones and those waiting
/// for a retry. Overflow policy "drop oldest": a receiver that is down for long must not
/// grow memory without bound, and the newest events are the ones still worth telling.
///
/// Not thread-safe: WebhookDispatcher guards it with its mutex.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace stagecast::server::webhook {

struct WebhookUrl;

struct Delivery {
    std::uint64_t id = 0;               // X-Stagecast-Delivery; the same on every attempt
    std::string action;                 // "on_publish", ...
    std::string url;                    // where it goes, for logs (WebhookUrl::display)
    const WebhookUrl* target = nullptr; // where it goes; owned by the dispatcher
    std::string body;                   // the JSON text
    unsigned attempts = 0;              // attempts made so far
    std::chrono::steady_clock::time_point notBefore{}; // not sent before this (retry delay)
};

class DeliveryQueue {
public:
    /// `limit` of at least 1.
    explicit DeliveryQueue(std::size_t limit);

    /// Appends `delivery`. When that makes the queue longer than its limit, the oldest
    /// delivery is removed and returned for the caller to count and log.
    std::optional<Delivery> push(Delivery delivery);
    /// Removes and returns the oldest delivery that is due at `now`, if any.
    std::optional<Delivery> popDue(std::chrono::steady_clock::time_point now);
    /// When the next delivery becomes due; nullopt when the queue is empty.
    std::optional<std::chrono::steady_clock::time_point> nextDue() const;
    /// Removes everything; returns how many deliveries there were.
    std::size_t clear();

    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    std::size_t limit() const { return limit_; }

private:
    std::size_t limit_;
    std::deque<Delivery> items_;
};

} // namespace stagecast::server::webhook
