#include "EventSocket.h"

#include <boost/asio/post.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "base/Log.h"

namespace stagecast::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {
constexpr std::size_t kMaxIncomingMessage = 4096;
} // namespace

EventSocket::EventSocket(ServerContext& ctx, asio::ip::tcp::socket socket,
                         std::shared_ptr<ClientInfo> client, std::vector<std::string> topics,
                         std::string address)
    : ctx_(ctx), ws_(std::move(socket)), client_(std::move(client)), topics_(std::move(topics)),
      address_(std::move(address)) {}

void EventSocket::start(Request request) {
    std::weak_ptr<EventSocket> weak = weak_from_this();
    auto exec = ws_.get_executor();
    ctx_.clients.setCloser(client_->id, [weak, exec](const std::string& reason) {
        asio::post(exec, [weak, reason] {
            if (auto self = weak.lock()) {
                self->close(reason);
            }
        });
    });
    ctx_.clients.setProtocol(client_->id, "websocket");
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [version = ctx_.options.version](websocket::response_type& r) {
            r.set(beast::http::field::server, "Stagecast/" + version);
        }));
    ws_.read_message_max(kMaxIncomingMessage);
    ws_.text(true);
    auto self = shared_from_this();
    auto shared = std::make_shared<Request>(std::move(request));
    ws_.async_accept(*shared,
                     [self, shared](const boost::system::error_code& ec) { self->onAccept(ec); });
}

void EventSocket::onAccept(const boost::system::error_code& ec) {
    if (ec) {
        close("websocket upgrade failed: " + ec.message());
        return;
    }
    std::weak_ptr<EventSocket> weak = weak_from_this();
    auto exec = ws_.get_executor();
    subscription_ = ctx_.events.subscribe(topics_, [weak, exec](const api::EventFrame& frame) {
        asio::post(exec, [weak, frame] {
            if (auto self = weak.lock()) {
                self->enqueue(frame);
            }
        });
    });
    std::string list;
    for (const auto& t : topics_) {
        list += (list.empty() ? "" : ",") + t;
    }
    base::log(base::LogLevel::Info, "events",
              "client " + std::to_string(client_->id) + " (" + address_ +
                  ") subscribed to: " + list);
    readLoop();
}

void EventSocket::readLoop() {
    ws_.async_read(readBuffer_, [self = shared_from_this()](const boost::system::error_code& ec,
                                                            std::size_t n) {
        if (ec) {
            self->close(ec == websocket::error::closed ? "peer closed the websocket"
                                                       : "websocket read failed: " + ec.message());
            return;
        }
        self->client_->bytesIn += n;
        self->readBuffer_.consume(self->readBuffer_.size());
        self->readLoop();
    });
}

void EventSocket::enqueue(const api::EventFrame& frame) {
    if (closed_) {
        return;
    }
    if (queue_.size() >= kMaxQueuedEvents || queuedBytes_ + frame->size() > kMaxQueuedBytes) {
        close("event subscriber too slow: " + std::to_string(queue_.size()) + " events (" +
              std::to_string(queuedBytes_) + " bytes) waiting");
        return;
    }
    queue_.push_back(frame);
    queuedBytes_ += frame->size();
    if (!writing_) {
        writeNext();
    }
}

void EventSocket::writeNext() {
    if (queue_.empty() || closed_) {
        writing_ = false;
        return;
    }
    writing_ = true;
    auto frame = queue_.front();
    ws_.async_write(asio::buffer(*frame), [self = shared_from_this(), frame](
                                              const boost::system::error_code& ec, std::size_t n) {
        self->queue_.pop_front();
        self->queuedBytes_ -= frame->size();
        if (ec) {
            self->close("websocket write failed: " + ec.message());
            return;
        }
        self->client_->bytesOut += n;
        self->writeNext();
    });
}

void EventSocket::close(const std::string& reason) {
    if (closed_) {
        return;
    }
    closed_ = true;
    if (subscription_ != 0) {
        ctx_.events.unsubscribe(subscription_);
    }
    base::log(base::LogLevel::Info, "events",
              "client " + std::to_string(client_->id) + " (" + address_ + ") closed: " + reason);
    boost::system::error_code ec;
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket.close(ec);
    ctx_.clients.remove(client_->id);
}

} // namespace stagecast::server::http
