#include "DeliveryQueue.h"

#include <algorithm>

namespace stagecast::server::webhook {

DeliveryQueue::DeliveryQueue(std::size_t limit) : limit_(std::max<std::size_t>(limit, 1)) {}

std::optional<Delivery> DeliveryQueue::push(Delivery delivery) {
    items_.push_back(std::move(delivery));
    if (items_.size() <= limit_) {
        return std::nullopt;
    }
    Delivery dropped = std::move(items_.front());
    items_.pop_front();
    return dropped;
}

std::optional<Delivery> DeliveryQueue::popDue(std::chrono::steady_clock::time_point now) {
    auto it = std::find_if(items_.begin(), items_.end(),
                           [now](const Delivery& d) { return d.notBefore <= now; });
    if (it == items_.end()) {
        return std::nullopt;
    }
    Delivery due = std::move(*it);
    items_.erase(it);
    return due;
}

std::optional<std::chrono::steady_clock::time_point> DeliveryQueue::nextDue() const {
    if (items_.empty()) {
        return std::nullopt;
    }
    auto it =
        std::min_element(items_.begin(), items_.end(), [](const Delivery& a, const Delivery& b) {
            return a.notBefore < b.notBefore;
        });
    return it->notBefore;
}

std::size_t DeliveryQueue::clear() {
    auto n = items_.size();
    items_.clear();
    return n;
}

} // namespace stagecast::server::webhook
