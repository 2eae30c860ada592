#pragma once
/// Publishes the hub's events (publish, unpublish, players joining and leaving, refusals,
/// relay state) on the event bus topic "streams", so dashboards see them live.

#include "server/api/EventBus.h"
#include "stream/HubEvent.h"

namespace stagecast::server::api {

class HubEventBridge : public stream::HubEventListener {
public:
    explicit HubEventBridge(EventBus& bus) : bus_(bus) {}
    void onHubEvent(const stream::HubEvent& event) override;

    /// The JSON object published for `event` (also used by tests).
    static std::string toJson(const stream::HubEvent& event);

private:
    EventBus& bus_;
};

} // namespace stagecast::server::api
