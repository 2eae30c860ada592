#include "moderation/ViewerLimits.h"

#include <algorithm>
#include <functional>

namespace stagecast::moderation {

namespace {

template <typename Map, typename Idle>
void evict(Map& map, std::size_t max, Idle idle) {
    if (map.size() < max) {
        return;
    }
    std::erase_if(map, [&](const auto& entry) { return idle(entry.second); });
    if (map.size() < max) {
        return;
    }
    auto oldest = std::min_element(map.begin(), map.end(), [](const auto& a, const auto& b) {
        return a.second.last < b.second.last;
    });
    map.erase(oldest);
}

} // namespace

RateLimiter::RateLimiter(RateLimit limit, std::size_t maxViewers)
    : limit_(limit), maxViewers_(std::max<std::size_t>(maxViewers, 1)) {
    limit_.messages = std::max(limit_.messages, 1u);
    limit_.window = std::max(limit_.window, std::chrono::seconds{1});
    interval_ = std::chrono::duration_cast<SteadyTime::duration>(limit_.window) /
                static_cast<SteadyTime::rep>(limit_.messages);
    burst_ = interval_ * static_cast<SteadyTime::rep>(limit_.messages - 1);
}

void RateLimiter::makeRoom(SteadyTime now) {
    evict(buckets_, maxViewers_, [&](const Bucket& bucket) { return bucket.last <= now; });
}

std::optional<std::chrono::milliseconds> RateLimiter::take(std::string_view viewer,
                                                           SteadyTime now) {
    auto it = buckets_.find(std::string(viewer));
    if (it == buckets_.end()) {
        makeRoom(now);
        it = buckets_.emplace(std::string(viewer), Bucket{now}).first;
    }
    const SteadyTime tat = std::max(it->second.last, now);
    if (tat - now > burst_) {
        return std::chrono::ceil<std::chrono::milliseconds>(tat - now - burst_);
    }
    it->second.last = tat + interval_;
    return std::nullopt;
}

RepeatDetector::RepeatDetector(std::chrono::seconds window, std::size_t maxViewers,
                               std::size_t perViewer)
    : window_(window), maxViewers_(std::max<std::size_t>(maxViewers, 1)),
      perViewer_(std::max<std::size_t>(perViewer, 1)) {}

void RepeatDetector::expire(History& history, SteadyTime now) const {
    while (!history.sent.empty() && now - history.sent.front().at >= window_) {
        history.sent.pop_front();
    }
}

void RepeatDetector::makeRoom(SteadyTime now) {
    // Idle: its newest message has left the window.
    evict(viewers_, maxViewers_, [&](const History& history) {
        return history.sent.empty() || now - history.sent.back().at >= window_;
    });
}

bool RepeatDetector::repeated(std::string_view viewer, std::string_view normalized,
                              SteadyTime now) {
    if (window_.count() <= 0) {
        return false;
    }
    // A hash, not the text: bounded memory per viewer. A collision (2^-64) would only hold or
    // reject one message, by the rule's action.
    const std::uint64_t hash = std::hash<std::string_view>{}(normalized);
    auto it = viewers_.find(std::string(viewer));
    if (it == viewers_.end()) {
        makeRoom(now);
        it = viewers_.emplace(std::string(viewer), History{{}, now}).first;
    }
    auto& history = it->second;
    expire(history, now);
    bool seen = std::any_of(history.sent.begin(), history.sent.end(),
                            [&](const Sent& s) { return s.hash == hash; });
    history.sent.push_back({hash, now});
    if (history.sent.size() > perViewer_) {
        history.sent.pop_front();
    }
    history.last = now;
    return seen;
}

} // namespace stagecast::moderation
