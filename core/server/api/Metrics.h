#pragma once
/// Prometheus text exposition (format 0.0.4) of the server's live figures.

#include <string>

#include "server/ServerContext.h"

namespace stagecast::server::api {

std::string renderMetrics(ServerContext& ctx);

} // namespace stagecast::server::api
