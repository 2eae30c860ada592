#pragma once
/// HLS viewers as sessions, not requests: the first playlist request opens a session (an
/// unguessable id that the player then carries in every URL), registered in the client
/// registry as a player with protocol "hls" and reported to the hub (client_joined /
/// client_left) like any RTMP or FLV viewer. A session ends after `timeout` without a
/// request, or when an operator kicks it. Thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/Result.h"
#include "server/ClientRegistry.h"
#include "stream/StreamKey.h"

namespace stagecast::server {
struct ServerContext;
}

namespace stagecast::server::hls {

class HlsSessions {
public:
    HlsSessions(ServerContext& ctx, std::size_t maxSessions, std::chrono::seconds timeout);
    ~HlsSessions();

    /// A new session for a viewer of `key`; fails at the session or per-address limit.
    base::Result<std::string> open(const stream::StreamKey& key, const std::string& address,
                                   const std::string& userAgent);
    /// The session's client (for byte counters) if `id` names a live session of `key`.
    std::shared_ptr<ClientInfo> touch(std::string_view id, const stream::StreamKey& key);
    /// Ends sessions idle for longer than the timeout.
    void reap();
    void closeAll(const std::string& reason);
    std::size_t size() const;

private:
    struct Viewer {
        stream::StreamKey key;
        std::shared_ptr<ClientInfo> client;
        std::chrono::steady_clock::time_point lastSeen;
        std::string userAgent; // for the ClientLeft event
    };
    void end(const std::string& id, const std::string& reason);

    ServerContext& ctx_;
    const std::size_t maxSessions_;
    const std::chrono::seconds timeout_;
    mutable std::mutex mutex_;
    std::map<std::string, Viewer, std::less<>> viewers_;
};

} // namespace stagecast::server::hls
