#include "WebhookEvent.h"

#include <cstdio>
#include <ctime>

#include "server/UrlParts.h"

namespace stagecast::server::webhook {

namespace {

// "APP/STREAM" -> {"APP", "STREAM"}; a key without '/' is all stream.
std::pair<std::string, std::string> splitKey(const std::string& key) {
    auto slash = key.find('/');
    if (slash == std::string::npos) {
        return {{}, key};
    }
    return {key.substr(0, slash), key.substr(slash + 1)};
}

} // namespace

std::string rfc3339(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(time.time_since_epoch()).count();
    auto seconds = static_cast<std::time_t>(ms / 1000);
    auto millis = ms % 1000;
    if (millis < 0) {
        millis += 1000;
        seconds -= 1;
    }
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string out(text, n);
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(millis));
    return out + frac;
}

nlohmann::json commonFields(std::string_view action, std::string_view serverId,
                            std::chrono::system_clock::time_point time) {
    return nlohmann::json{{"action", action}, {"server_id", serverId}, {"time", rfc3339(time)}};
}

nlohmann::json clientEventBody(std::string_view action, std::string_view serverId,
                               std::chrono::system_clock::time_point time,
                               const ClientFields& client) {
    auto body = commonFields(action, serverId, time);
    body["client_id"] = std::to_string(client.clientId);
    body["ip"] = client.ip;
    body["vhost"] = kDefaultVhost;
    body["app"] = client.app;
    body["stream"] = client.stream;
    body["param"] = redactedParam(client.param);
    body["tcUrl"] = redactedUrl(client.tcUrl);
    body["stream_url"] = "/" + client.app + "/" + client.stream;
    body["protocol"] = client.protocol;
    return body;
}

std::optional<std::string_view> actionForHubEvent(const stream::HubEvent& event) {
    using stream::HubEventType;
    // Readers inside the server (relays, HLS packagers, content probes) have no client id:
    // they are not players. A relay reports as on_relay instead.
    const bool internalReader = event.clientId == 0;
    switch (event.type) {
    case HubEventType::Published:
        return "on_publish";
    case HubEventType::Unpublished:
        return "on_unpublish";
    case HubEventType::ClientJoined:
        return internalReader ? std::nullopt : std::optional<std::string_view>("on_play");
    case HubEventType::ClientLeft:
        return internalReader ? std::nullopt : std::optional<std::string_view>("on_stop");
    case HubEventType::RelayStateChanged:
        return "on_relay";
    case HubEventType::AuthDenied:
    case HubEventType::ReaderSkipped:
    case HubEventType::ReaderDropped:
        break;
    }
    return std::nullopt;
}

std::optional<EventBody> bodyForHubEvent(const stream::HubEvent& event, std::string_view serverId) {
    auto action = actionForHubEvent(event);
    if (!action) {
        return std::nullopt;
    }
    auto [app, name] = splitKey(event.stream);
    if (event.type == stream::HubEventType::RelayStateChanged) {
        auto body = commonFields(*action, serverId, event.time);
        body["vhost"] = kDefaultVhost;
        body["app"] = app;
        body["stream"] = name;
        body["stream_url"] = "/" + event.stream;
        body["destination"] = redactedUrl(event.address);
        // RtmpRelay reports "STATE" or "STATE: last error".
        auto colon = event.reason.find(':');
        body["state"] = event.reason.substr(0, colon);
        body["reason"] = event.reason;
        body["protocol"] = "rtmp";
        return EventBody{std::string(*action), std::move(body)};
    }
    ClientFields client{event.clientId, event.address, app,           name,
                        event.param,    event.tcUrl,   event.protocol};
    auto body = clientEventBody(*action, serverId, event.time, client);
    if (event.type == stream::HubEventType::Unpublished ||
        event.type == stream::HubEventType::ClientLeft) {
        body["reason"] = event.reason;
    }
    return EventBody{std::string(*action), std::move(body)};
}

} // namespace stagecast::server::webhook
