#pragma once
/// The JSON bodies of webhook requests. Field names follow SRS's HTTP callbacks where SRS has
/// one (action, server_id, client_id, ip, vhost, app, stream, param, tcUrl, stream_url), so
/// receivers written for SRS work unchanged; Stagecast adds time, protocol and reason.
/// docs/webhooks.md lists every field. Pure functions, thread-safe.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "stream/HubEvent.h"

namespace stagecast::server::webhook {

/// SRS's name for "no virtual host"; Stagecast has none.
inline constexpr std::string_view kDefaultVhost = "__defaultVhost__";

/// What an event says about one client and its stream.
struct ClientFields {
    std::uint64_t clientId = 0;
    std::string ip;
    std::string app;
    std::string stream; // the name within the app
    std::string param;  // the query with its '?'; auth_key is redacted again here
    std::string tcUrl;
    std::string protocol; // "rtmp", "srt", "http-flv"
};

/// "2024-05-01T12:00:00.123Z" (RFC 3339, UTC, milliseconds).
std::string rfc3339(std::chrono::system_clock::time_point time);

/// The fields every body has: action, server_id, time.
nlohmann::json commonFields(std::string_view action, std::string_view serverId,
                            std::chrono::system_clock::time_point time);

/// A client event: the common fields plus client_id (a string, as in SRS), ip, vhost, app,
/// stream, param, tcUrl, stream_url ("/APP/STREAM") and protocol.
nlohmann::json clientEventBody(std::string_view action, std::string_view serverId,
                               std::chrono::system_clock::time_point time,
                               const ClientFields& client);

struct EventBody {
    std::string action;
    nlohmann::json body;
};

/// The webhook for a hub event: Published -> on_publish, Unpublished -> on_unpublish,
/// ClientJoined -> on_play, ClientLeft -> on_stop (both with reason), RelayStateChanged ->
/// on_relay. Nullopt for events that are no webhook (skips, denials) and for the hub
/// readers of relays (they report as on_relay).
std::optional<EventBody> bodyForHubEvent(const stream::HubEvent& event, std::string_view serverId);

/// The action a hub event maps to, without building the body (nullopt as above).
std::optional<std::string_view> actionForHubEvent(const stream::HubEvent& event);

} // namespace stagecast::server::webhook
