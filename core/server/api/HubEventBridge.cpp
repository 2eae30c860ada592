#include "HubEventBridge.h"

#include <nlohmann/json.hpp>

namespace stagecast::server::api {

std::string HubEventBridge::toJson(const stream::HubEvent& event) {
    nlohmann::json j = {
        {"event", stream::toString(event.type)},
        {"stream", event.stream},
        {"client_id", event.clientId},
        {"protocol", event.protocol},
        {"address", event.address},
        {"reason", event.reason},
    };
    return j.dump();
}

void HubEventBridge::onHubEvent(const stream::HubEvent& event) {
    // Skips are per player and frequent under load; they are counted in the stream stats.
    if (event.type == stream::HubEventType::ReaderSkipped) {
        return;
    }
    bus_.publish("streams", toJson(event));
}

} // namespace stagecast::server::api
