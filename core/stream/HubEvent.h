#pragma once
/// What the hub and the sessions around it report to monitoring and storage.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

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

/// A constructor (not an aggregate) so the positional brace form of the first seven fields
/// stays valid for reporters that have no query or URL to add.
struct HubEvent {
    HubEvent(HubEventType type_ = HubEventType::Published,
             std::chrono::system_clock::time_point time_ = {}, std::string stream_ = {},
             std::uint64_t clientId_ = 0, std::string protocol_ = {}, std::string address_ = {},
             std::string reason_ = {}, std::string param_ = {}, std::string tcUrl_ = {})
        : type(type_), time(time_), stream(std::move(stream_)), clientId(clientId_),
          protocol(std::move(protocol_)), address(std::move(address_)), reason(std::move(reason_)),
          param(std::move(param_)), tcUrl(std::move(tcUrl_)) {}

    HubEventType type = HubEventType::Published;
    std::chrono::system_clock::time_point time;
    std::string stream; // "APP/STREAM" (may be empty for AuthDenied on a bad name)
    std::uint64_t clientId = 0;
    std::string protocol;    // "rtmp", "http-flv", ...
    std::string address;     // peer address
    std::string reason;      // human-readable; why it ended or was refused
    std::string param;       // the client's query ("?a=b"), secrets redacted; may be empty
    std::string tcUrl;       // the URL the client connected to, redacted; may be empty
    std::string userAgent;   // ClientJoined/ClientLeft: the player's, when it sent one
    std::uint64_t bytes = 0; // ClientLeft: media payload bytes handed to the player
};

/// Receives hub events. Called synchronously on the thread that caused the event (often a
/// network thread): implementations must only record or enqueue, never block.
class HubEventListener {
public:
    virtual ~HubEventListener() = default;
    virtual void onHubEvent(const HubEvent& event) = 0;
};

} // namespace stagecast::stream
