#include "EventBus.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "StreamJson.h"

namespace stagecast::server::api {

bool EventBus::matches(const std::vector<std::string>& filter, std::string_view topic) {
    for (const auto& entry : filter) {
        if (entry == "*" && !topic.starts_with("public.")) {
            return true;
        }
        if (topic == entry) {
            return true;
        }
        if (topic.size() > entry.size() && topic.starts_with(entry) && topic[entry.size()] == '.') {
            return true;
        }
    }
    return false;
}

std::uint64_t EventBus::subscribe(std::vector<std::string> filter, Deliver deliver) {
    std::lock_guard lock(mutex_);
    auto id = nextId_++;
    subscribers_.emplace(id, Subscriber{std::move(filter), std::move(deliver)});
    return id;
}

void EventBus::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    subscribers_.erase(id);
}

void EventBus::publish(std::string_view topic, std::string_view json) {
    published_.fetch_add(1, std::memory_order_relaxed);
    EventFrame frame;
    std::lock_guard lock(mutex_);
    for (const auto& [id, sub] : subscribers_) {
        if (!matches(sub.filter, topic)) {
            continue;
        }
        if (!frame) {
            // Built once, only when someone listens; the topic is escaped, the data is
            // the publisher's JSON as given.
            std::string text = "{\"topic\":" + nlohmann::json(std::string(topic)).dump() +
                               ",\"time\":\"" + isoTime(std::chrono::system_clock::now(), true) +
                               "\",\"data\":";
            text.append(json);
            text.push_back('}');
            frame = std::make_shared<const std::string>(std::move(text));
        }
        sub.deliver(frame);
    }
}

std::size_t EventBus::subscribers() const {
    std::lock_guard lock(mutex_);
    return subscribers_.size();
}

} // namespace stagecast::server::api
