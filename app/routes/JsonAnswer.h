#pragma once
/// A 200 answer with a JSON body for the app's API routes (invalid UTF-8 in strings replaced,
/// never thrown).

#include <nlohmann/json.hpp>

#include "server/api/ApiMount.h"

namespace stagecast::app {

server::api::ApiResponse jsonResponse(const nlohmann::json& value);

} // namespace stagecast::app
