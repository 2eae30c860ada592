#include "HubEvent.h"

namespace stagecast::stream {

const char* toString(HubEventType type) {
    switch (type) {
    case HubEventType::Published:
        return "published";
    case HubEventType::Unpublished:
        return "unpublished";
    case HubEventType::ClientJoined:
        return "client_joined";
    case HubEventType::ClientLeft:
        return "client_left";
    case HubEventType::AuthDenied:
        return "auth_denied";
    case HubEventType::ReaderSkipped:
        return "reader_skipped";
    case HubEventType::ReaderDropped:
        return "reader_dropped";
    case HubEventType::RelayStateChanged:
        return "relay_state_changed";
    }
    return "unknown";
}

} // namespace stagecast::stream
