#pragma once
/// JSON views of streams and clients for the control API.

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "server/ClientRegistry.h"
#include "server/hls/HlsOutput.h"
#include "server/relay/RelayStatus.h"
#include "stream/StreamInfo.h"

namespace stagecast::server::api {

/// UTC time as ISO 8601 ("2026-12-03T17:40:00Z", or with ".123" milliseconds).
std::string isoTime(std::chrono::system_clock::time_point t, bool withMillis = false);

nlohmann::json streamToJson(const stream::StreamSnapshot& s,
                            const std::vector<ClientView>& clients);
nlohmann::json clientToJson(const ClientView& c);
nlohmann::json linkToJson(const LinkStats& link);
nlohmann::json relayToJson(const relay::RelayStatus& r);
nlohmann::json hlsOutputToJson(const hls::HlsOutputStats& s);

} // namespace stagecast::server::api
