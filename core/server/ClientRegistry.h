#pragma once
/// Every connected client (publisher or player, any protocol): ids, per-IP admission limits,
/// live byte counters for the API, and a way to close one from outside (kick, shutdown).
/// Thread-safe. Counters are atomics updated by the owning session without locking.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"
#include "server/LinkStats.h"

namespace stagecast::server {

enum class ClientRole : std::uint8_t { Connecting = 1, Publisher, Player, Api };

const char* toString(ClientRole role);

struct ClientInfo {
    std::uint64_t id = 0;
    std::string protocol; // "rtmp", "http-flv"
    std::string address;
    std::chrono::system_clock::time_point connectedAt;
    std::chrono::steady_clock::time_point connectedSteady;
    std::atomic<std::uint64_t> bytesIn{0};
    std::atomic<std::uint64_t> bytesOut{0};

    // Guarded by the registry's mutex (set through ClientRegistry::describe / setLink).
    ClientRole role = ClientRole::Connecting;
    std::string stream;
    std::string userAgent;
    std::optional<LinkStats> link;
};

struct ClientView {
    std::uint64_t id = 0;
    std::string protocol;
    std::string address;
    ClientRole role = ClientRole::Connecting;
    std::string stream;
    std::string userAgent;
    std::chrono::system_clock::time_point connectedAt;
    std::chrono::milliseconds connectedFor{0};
    std::uint64_t bytesIn = 0;
    std::uint64_t bytesOut = 0;
    std::optional<LinkStats> link;
};

struct ClientLimits {
    std::size_t maxConnections = 4096;
    std::size_t maxPerAddress = 256;
};

class ClientRegistry {
public:
    using Closer = std::function<void(const std::string& reason)>;

    explicit ClientRegistry(ClientLimits limits) : limits_(limits) {}

    /// Admits a new connection or says why not ("too many connections from 10.0.0.5: limit
    /// 256"). `closer` must only post the close to the session's thread.
    base::Result<std::shared_ptr<ClientInfo>> admit(std::string protocol, std::string address,
                                                    Closer closer);
    void remove(std::uint64_t id);
    void describe(std::uint64_t id, ClientRole role, std::string stream,
                  std::string userAgent = {});

    /// Hands the client over to another session (HTTP request -> FLV player).
    void setCloser(std::uint64_t id, Closer closer);
    void setProtocol(std::uint64_t id, std::string protocol);
    /// Latest transport statistics of a connection that measures them (SRT).
    void setLink(std::uint64_t id, const LinkStats& link);

    std::vector<ClientView> list() const;
    /// Posts a close to client `id`; false if unknown.
    bool kick(std::uint64_t id, const std::string& reason);
    /// Posts a close to every client.
    void closeAll(const std::string& reason);
    std::size_t size() const;
    std::uint64_t totalBytesOut() const;
    std::uint64_t totalBytesIn() const;

private:
    struct Entry {
        std::shared_ptr<ClientInfo> info;
        Closer closer;
    };
    const ClientLimits limits_;
    mutable std::mutex mutex_;
    std::uint64_t nextId_ = 1;
    std::map<std::uint64_t, Entry> clients_;
    std::map<std::string, std::size_t> perAddress_;
    std::uint64_t retiredBytesOut_ = 0;
    std::uint64_t retiredBytesIn_ = 0;
};

} // namespace stagecast::server
