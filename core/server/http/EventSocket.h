#pragma once
/// A WebSocket client of the event bus (GET /api/v1/events, /api/v1/public/events): after the
/// upgrade it receives one text message per event whose topic its filter names. Messages it
/// sends are read and ignored (they only keep the connection open); Beast answers pings and
/// pings an idle peer itself.
///
/// Backpressure: events wait in a queue bounded in count and bytes; a client that lets it
/// fill up is disconnected with "event subscriber too slow" rather than grow memory or slow
/// the publisher. Lives on one io_context thread.

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "server/ClientRegistry.h"
#include "server/ServerContext.h"
#include "server/api/EventBus.h"

namespace stagecast::server::http {

class EventSocket : public std::enable_shared_from_this<EventSocket> {
public:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;

    static constexpr std::size_t kMaxQueuedEvents = 1024;
    static constexpr std::size_t kMaxQueuedBytes = 8 * 1024 * 1024;

    EventSocket(ServerContext& ctx, boost::asio::ip::tcp::socket socket,
                std::shared_ptr<ClientInfo> client, std::vector<std::string> topics,
                std::string address);
    /// Completes the upgrade for `request` (already authorised) and starts delivering.
    void start(Request request);

private:
    void onAccept(const boost::system::error_code& ec);
    void readLoop();
    void enqueue(const api::EventFrame& frame);
    void writeNext();
    void close(const std::string& reason);

    ServerContext& ctx_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer readBuffer_;
    std::shared_ptr<ClientInfo> client_;
    std::vector<std::string> topics_;
    std::string address_;
    std::deque<api::EventFrame> queue_;
    std::size_t queuedBytes_ = 0;
    std::uint64_t subscription_ = 0;
    bool writing_ = false;
    bool closed_ = false;
};

} // namespace stagecast::server::http
