#pragma once
/// Streams one hub stream to an HTTP client as FLV (HTTP-FLV): response headers with CORS,
/// the FLV file header, then every packet as a tag, written in gathered batches around the
/// shared payloads. The body ends when the connection does. Lives on one io_context thread.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/ClientRegistry.h"
#include "server/PlayerWakeup.h"
#include "server/ServerContext.h"
#include "stream/Hub.h"

namespace stagecast::server::http {

class FlvPlaySession : public std::enable_shared_from_this<FlvPlaySession> {
public:
    /// Takes over `client` (already admitted) and the socket of the HTTP request. `param` and
    /// `tcUrl` (redacted) go into the hub's events for webhooks.
    FlvPlaySession(ServerContext& ctx, boost::asio::ip::tcp::socket socket,
                   std::shared_ptr<ClientInfo> client, stream::StreamKey key, std::string address,
                   std::string param = {}, std::string tcUrl = {});
    /// Call on the socket's thread.
    void start(std::string userAgent);

private:
    void flush();
    void watchPeer();
    void close(const std::string& reason);
    void writeError(unsigned status, const std::string& message);

    ServerContext& ctx_;
    boost::asio::ip::tcp::socket socket_;
    std::shared_ptr<ClientInfo> client_;
    stream::StreamKey key_;
    std::string address_;
    std::string param_;
    std::string tcUrl_;
    std::unique_ptr<stream::Subscription> subscription_;
    std::optional<PlayerWakeup> wakeup_;
    bool writing_ = false;
    bool closed_ = false;
    bool endAfterFlush_ = false;

    std::vector<std::uint8_t> preamble_; // response headers + FLV header, then empty
    std::vector<stream::PacketPtr> batch_;
    std::vector<std::uint8_t> tagHeaders_;
    std::vector<boost::asio::const_buffer> buffers_;
    std::array<std::uint8_t, 512> peerBuffer_{};
};

} // namespace stagecast::server::http
