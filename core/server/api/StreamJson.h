#pragma once
/// JSON views of streams and clients for the control API.

#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "server/ClientRegistry.h"
#include "server/relay/RelayStatus.h"
#include "stream/StreamInfo.h"

namespace stagecast::server::api {

nlohmann::json streamToJson(const stream::StreamSnapshot& s,
                            const std::vector<ClientView>& clients);
nlohmann::json clientToJson(const ClientView& c);
nlohmann::json relayToJson(const relay::RelayStatus& r);

} // namespace stagecast::server::api
