#pragma once
/// What the hub and the sessions around it report to monitoring and storage.

#include <chrono>
#include <cstdint>
#include <string>

namespace stagecast::stream {

enum class HubEventType : std::uint8_t {
    Published = 1,
    Unpublished,
    ClientJoined, // a player started reading a stream
    ClientLeft,
    AuthDenied, // publish or play refused (bad signature, ACL, duplicate publish)
    ReaderSkipped,
    ReaderDropped,     // too slow: disconnected
    RelayStateChanged, // a relay to an external server connected, failed or stopped
};

const char* toString(HubEventType type);

struct HubEvent {
    HubEventType type = HubEventType::Published;
    std::chrono::system_clock::time_point time;
    std::string stream; // "APP/STREAM" (may be empty for AuthDenied on a bad name)
    std::uint64_t clientId = 0;
    std::string protocol;       // "rtmp", "http-flv", ...
    std::string address;        // peer address
    std::string reason;         // human-readable; why it ended or was refused
    std::string userAgent = {}; // ClientJoined/ClientLeft: the player's, when it sent one
    std::uint64_t bytes = 0;    // ClientLeft: media payload bytes handed to the player
};

/// Receives hub events. Called synchronously on the thread that caused the event (often a
/// network thread): implementations must only record or enqueue, never block.
class HubEventListener {
public:
    virtual ~HubEventListener() = default;
    virtual void onHubEvent(const HubEvent& event) = 0;
};

} // namespace stagecast::stream
