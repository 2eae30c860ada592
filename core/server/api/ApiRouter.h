#pragma once
/// The control API under /api/v1/ (JSON) and /metrics (Prometheus text). Transport-free: the
/// HTTP session authenticates the caller and hands over method, path and body.
/// Thread-safe (reads the hub and the client registry, both thread-safe).
///
/// Routes:
///   GET    /api/v1/summary                 server figures
///   GET    /api/v1/streams                 every stream
///   GET    /api/v1/streams/{app}/{name}    one stream
///   DELETE /api/v1/streams/{app}/{name}    kick the publisher and every player
///   GET    /api/v1/clients                 every connection
///   DELETE /api/v1/clients/{id}            kick one connection
///   GET    /api/v1/relays                  every relay with its state and figures
///   GET    /metrics                        Prometheus text exposition format 0.0.4

#include <string>
#include <string_view>

#include "server/ServerContext.h"

namespace stagecast::server::api {

struct ApiResponse {
    unsigned status = 200;
    std::string contentType = "application/json";
    std::string body;
};

class ApiRouter {
public:
    explicit ApiRouter(ServerContext& ctx) : ctx_(ctx) {}

    ApiResponse handle(std::string_view method, std::string_view path, std::string_view body);

private:
    ApiResponse summary();
    ApiResponse streams();
    ApiResponse stream(std::string_view app, std::string_view name);
    ApiResponse kickStream(std::string_view app, std::string_view name);
    ApiResponse clients();
    ApiResponse kickClient(std::string_view id);
    ApiResponse relays();
    ApiResponse metrics();

    ServerContext& ctx_;
};

/// {"error": message} with the given status.
ApiResponse errorResponse(unsigned status, std::string_view message);

} // namespace stagecast::server::api
