#pragma once
/// Owns the configured relays: starts them with the server, stops them before it, and reports
/// their status. Thread-safe after start().

#include <memory>
#include <string>
#include <vector>

#include "base/Result.h"
#include "server/relay/RelayStatus.h"

namespace stagecast::server {
struct ServerContext;
class IoPool;
} // namespace stagecast::server

namespace stagecast::server::relay {

class Relay;

struct RelayTarget {
    std::string stream; // APP/NAME
    std::string url;    // rtmp[s]://HOST[:PORT]/APP/NAME[?query]
    std::string caFile; // rtmps: PEM trust anchors instead of the system store
    bool verifyTls = true;
};

class RelayManager {
public:
    RelayManager();
    ~RelayManager();
    /// Validates every target first; the error names the bad one ("relay[1]: ...").
    base::Status start(ServerContext& ctx, IoPool& pool, const std::vector<RelayTarget>& targets);
    void stop();
    std::vector<RelayStatus> statuses() const;

private:
    std::vector<std::shared_ptr<Relay>> relays_;
};

} // namespace stagecast::server::relay
