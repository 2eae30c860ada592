#include "stream/LiveStreams.h"

#include "stream/Hub.h"

namespace stagecast::stream {

bool LiveStreams::apply(const HubEvent& event, TimePoint now) {
    if (event.type != HubEventType::Published && event.type != HubEventType::Unpublished) {
        return false;
    }
    auto key = StreamKey::parse(event.stream);
    if (!key) {
        return false;
    }
    if (event.type == HubEventType::Published) {
        live_.insert(*key);
        ended_.erase(*key);
    } else if (live_.erase(*key) > 0) {
        ended_[*key] = now;
    }
    return true;
}

void LiveStreams::reconcile(const Hub& hub, TimePoint now) {
    std::set<StreamKey> live;
    for (const auto& s : hub.snapshot()) {
        if (!s.live) {
            continue;
        }
        if (auto key = StreamKey::parse(s.key)) {
            live.insert(*key);
        }
    }
    for (const auto& key : live_) {
        if (!live.contains(key)) {
            ended_.try_emplace(key, now);
        }
    }
    for (const auto& key : live) {
        ended_.erase(key);
    }
    live_ = std::move(live);
}

} // namespace stagecast::stream
