#pragma once
/// What every listener and session shares. Owned by Server; outlives all sessions.

#include <chrono>

#include <boost/asio/thread_pool.hpp>

#include "server/AccessControl.h"
#include "server/ClientRegistry.h"
#include "server/ServerOptions.h"
#include "server/api/EventBus.h"
#include "server/relay/RelayManager.h"
#include "stream/Hub.h"

namespace stagecast::server {

namespace hls {
class HlsService;
}

struct ServerContext {
    const ServerOptions& options;
    stream::Hub& hub;
    ClientRegistry& clients;
    const AccessControl& access;
    relay::RelayManager& relays;
    std::chrono::steady_clock::time_point startedAt;
    /// Live events for WebSocket clients.
    api::EventBus& events;
    /// Threads for work that may block (mounted API routes reading SQLite): never the
    /// network threads.
    boost::asio::thread_pool& workers;
    /// HLS packagers and viewer sessions; set by Server before it starts.
    hls::HlsService* hls = nullptr;
};

} // namespace stagecast::server
