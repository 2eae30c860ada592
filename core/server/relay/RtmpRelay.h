#pragma once
/// Pushes one hub stream to an external RTMP or RTMPS server as a publisher (an OBS-like client):
/// handshake, connect, releaseStream/FCPublish/createStream, publish, then the stream's
/// packets, with timestamps kept continuous across source restarts. On any failure it closes,
/// waits (1 s doubling to 30 s) and starts again; the hub's bounded reader drops by GOP when
/// the link is slower than the stream. Lives on one io_context thread; status() is thread-safe.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "protocol/amf0/Amf0.h"
#include "protocol/rtmp/ChunkReader.h"
#include "protocol/rtmp/ChunkWriter.h"
#include "protocol/rtmp/Handshake.h"
#include "server/PlayerWakeup.h"
#include "server/ServerContext.h"
#include "server/relay/Relay.h"
#include "server/relay/RelayTracker.h"
#include "server/relay/RtmpUrl.h"
#include "server/rtmp/RtmpPlayWriter.h"

namespace stagecast::server::relay {

class RtmpRelay : public Relay, public std::enable_shared_from_this<RtmpRelay> {
public:
    RtmpRelay(ServerContext& ctx, boost::asio::io_context& io, std::size_t index,
              stream::StreamKey source, RtmpUrl destination);
    void start() override;
    void stop() override;
    RelayStatus status() const override;

private:
    void connect();
    void onConnected(const boost::system::error_code& ec);
    /// After TCP (and TLS, for rtmps) is up: the RTMP handshake starts.
    void onTransportReady();
    void readSome();
    void onRead(const boost::system::error_code& ec, std::size_t n);
    base::Status onMessage(protocol::rtmp::Message&& m);
    void startPublishing();
    void sendCommand(const std::string& name, double transaction,
                     std::vector<protocol::amf0::Value> args, std::uint32_t streamId = 0);
    void flush();
    void fail(const std::string& why);
    void closeSocket();

    ServerContext& ctx_;
    boost::asio::io_context& io_;
    const std::size_t index_;
    const stream::StreamKey source_;
    const RtmpUrl destination_;

    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::ip::tcp::socket socket_;
    // rtmps: TLS over socket_, made per connection (a TLS session cannot be restarted).
    std::unique_ptr<boost::asio::ssl::context> tlsContext_;
    std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
    boost::asio::steady_timer timer_;
    std::chrono::seconds backoff_{1};
    bool stopped_ = false;
    std::uint64_t attempt_ = 0; // guards callbacks from an older connection

    protocol::rtmp::ClientHandshake handshake_;
    protocol::rtmp::ChunkReader reader_;
    protocol::rtmp::ChunkWriter writer_;
    std::array<std::uint8_t, 16 * 1024> readBuffer_{};
    std::uint32_t streamId_ = 0;
    bool publishing_ = false;
    std::chrono::steady_clock::time_point publishingSince_{};

    std::unique_ptr<stream::Subscription> subscription_;
    std::optional<PlayerWakeup> wakeup_;
    std::vector<std::uint8_t> controlOut_;
    rtmp::RtmpPlayWriter playWriter_;
    bool writing_ = false;
    // Continuous output timeline across source restarts.
    std::optional<std::int64_t> lastIn_;
    std::int64_t lastOut_ = 0;
    std::int64_t offset_ = 0;
    bool started_ = false;

    RelayTracker tracker_;
};

} // namespace stagecast::server::relay
