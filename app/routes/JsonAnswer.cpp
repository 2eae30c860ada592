#include "app/routes/JsonAnswer.h"

namespace stagecast::app {

server::api::ApiResponse jsonResponse(const nlohmann::json& value) {
    server::api::ApiResponse r;
    r.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

} // namespace stagecast::app
