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
///   GET    /api/v1/hls/dvr                 every HLS DVR window with its figures
///   GET    /metrics                        Prometheus text exposition format 0.0.4
///
/// Other modules add routes with mount() and metric families with addMetrics(), both before
/// the server starts (they are not guarded for changes while serving).

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "server/ServerContext.h"
#include "server/api/ApiMount.h"

namespace stagecast::server::api {

class ApiRouter {
public:
    explicit ApiRouter(ServerContext& ctx) : ctx_(ctx) {}

    ApiResponse handle(std::string_view method, std::string_view path, std::string_view body);

    /// Adds a route served on the worker pool. Before start() only.
    void mount(ApiMount mount);
    /// The most specific mount for this path and method, or nullptr.
    const ApiMount* findMount(std::string_view method,
                              const std::vector<std::string>& segments) const;
    /// Appends a producer of Prometheus text to /metrics. It runs on a network thread: it
    /// must only read in-memory values. Before start() only.
    void addMetrics(std::function<std::string()> render);

private:
    ApiResponse summary();
    ApiResponse streams();
    /// Adds "hls_outputs" (folder, origin figures) when the stream has any.
    nlohmann::json withHlsOutputs(nlohmann::json stream, const std::string& key) const;
    ApiResponse stream(std::string_view app, std::string_view name);
    ApiResponse kickStream(std::string_view app, std::string_view name);
    ApiResponse clients();
    ApiResponse kickClient(std::string_view id);
    ApiResponse relays();
    ApiResponse metrics();

    ServerContext& ctx_;
    std::vector<ApiMount> mounts_;
    std::vector<std::function<std::string()>> metrics_;
};

/// {"error": message} with the given status.
ApiResponse errorResponse(unsigned status, std::string_view message);

} // namespace stagecast::server::api
