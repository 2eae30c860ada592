#pragma once
/// What every listener and session shares. Owned by Server; outlives all sessions.

#include <chrono>

#include "server/AccessControl.h"
#include "server/ClientRegistry.h"
#include "server/ServerOptions.h"
#include "server/relay/RelayManager.h"
#include "server/webhook/WebhookDispatcher.h"
#include "stream/Hub.h"

namespace stagecast::server {

struct ServerContext {
    const ServerOptions& options;
    stream::Hub& hub;
    ClientRegistry& clients;
    const AccessControl& access;
    relay::RelayManager& relays;
    webhook::WebhookDispatcher& webhooks;
    std::chrono::steady_clock::time_point startedAt;
};

} // namespace stagecast::server
