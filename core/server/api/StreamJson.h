#pragma once
/// JSON views of streams and clients for the control API.

#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "server/ClientRegistry.h"
#include "stream/StreamInfo.h"

namespace stagecast::server::api {

nlohmann::json streamToJson(const stream::StreamSnapshot& s,
                            const std::vector<ClientView>& clients);
nlohmann::json clientToJson(const ClientView& c);

} // namespace stagecast::server::api
