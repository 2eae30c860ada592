#pragma once
/// The embedded media server: the hub, the RTMP and HTTP listeners, the client registry and
/// the control API, started and stopped as one. Owned by app/ (or a test).
///
/// Threads: start() and stop() from one controlling thread; sessions run on the IoPool.

#include <cstdint>
#include <memory>

#include "base/Result.h"
#include "server/AccessControl.h"
#include "server/ClientRegistry.h"
#include "server/IoPool.h"
#include "server/ServerContext.h"
#include "server/ServerOptions.h"
#include "server/TcpListener.h"
#include "server/api/ApiRouter.h"
#include "server/api/EventBus.h"
#include "server/api/HubEventBridge.h"
#include "server/hls/HlsService.h"
#include "server/srt/SrtListener.h"
#include "server/webhook/WebhookDispatcher.h"
#include "stream/Hub.h"

namespace stagecast::server {

class Server {
public:
    explicit Server(ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds every listener (the error names the port that failed) and starts serving.
    base::Status start();
    /// Stops accepting, closes every session (publishers unpublish, players end), waits for
    /// them for at most `grace`, then stops the threads. Idempotent.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

    std::uint16_t rtmpPort() const;
    std::uint16_t httpPort() const;
    std::uint16_t srtPort() const;
    stream::Hub& hub() { return hub_; }
    ClientRegistry& clients() { return clients_; }
    /// Routes and metrics of other modules: mount before start().
    api::ApiRouter& api() { return api_; }
    api::EventBus& events() { return events_; }
    /// For events the hub does not emit (recordings, moderation): webhooks().post(...).
    webhook::WebhookDispatcher& webhooks() { return webhooks_; }
    /// HLS packagers; the multi-variant playlist's provider is set here before start().
    hls::HlsService& hls() { return hls_; }

private:
    ServerOptions options_;
    AccessControl access_;
    ClientRegistry clients_;
    stream::Hub hub_;
    IoPool pool_;
    IoPool acceptPool_{1};
    relay::RelayManager relays_;
    api::EventBus events_;
    api::HubEventBridge bridge_{events_};
    boost::asio::thread_pool workers_{2};
    webhook::WebhookDispatcher webhooks_;
    ServerContext ctx_;
    api::ApiRouter api_;
    hls::HlsService hls_;
    std::shared_ptr<TcpListener> rtmp_;
    std::shared_ptr<TcpListener> http_;
    std::unique_ptr<srt::SrtListener> srt_;
    bool running_ = false;
};

} // namespace stagecast::server
