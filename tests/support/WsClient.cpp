#include "WsClient.h"

#include <chrono>

#include <QElapsedTimer>
#include <QJsonDocument>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace stagecast::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct WsClient::Impl {
    asio::io_context io;
    websocket::stream<beast::tcp_stream> ws{io};
    beast::flat_buffer buffer;

    /// Runs the io_context until `done` or the timeout; on timeout closes the socket so the
    /// pending operation completes with an error.
    bool runUntil(const bool& done, int timeoutMs) {
        io.restart();
        io.run_for(std::chrono::milliseconds(timeoutMs));
        if (!done) {
            beast::get_lowest_layer(ws).cancel();
            io.restart();
            io.run();
            return false;
        }
        return true;
    }
};

WsClient::WsClient() : impl_(std::make_unique<Impl>()) {}

WsClient::~WsClient() {
    close();
}

bool WsClient::connect(int port, const std::string& target, int timeoutMs) {
    status_ = 0;
    error_.clear();
    beast::error_code ec;
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
    beast::get_lowest_layer(impl_->ws).socket().connect(endpoint, ec);
    if (ec) {
        error_ = "connect: " + ec.message();
        return false;
    }
    websocket::response_type response;
    bool done = false;
    impl_->ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), target,
                              [&](beast::error_code e) {
                                  ec = e;
                                  done = true;
                              });
    if (!impl_->runUntil(done, timeoutMs)) {
        error_ = "handshake timed out";
        return false;
    }
    status_ = response.result_int();
    if (ec) {
        error_ = "handshake: " + ec.message() + " (HTTP " + std::to_string(status_) + ": " +
                 response.body() + ")";
        return false;
    }
    return true;
}

std::optional<std::string> WsClient::read(int timeoutMs) {
    beast::error_code ec;
    bool done = false;
    impl_->buffer.clear();
    impl_->ws.async_read(impl_->buffer, [&](beast::error_code e, std::size_t) {
        ec = e;
        done = true;
    });
    if (!impl_->runUntil(done, timeoutMs)) {
        error_ = "read timed out";
        return std::nullopt;
    }
    if (ec) {
        error_ = "read: " + ec.message();
        if (ec == websocket::error::closed) {
            error_ += " (" + std::string(impl_->ws.reason().reason.c_str()) + ")";
        }
        return std::nullopt;
    }
    return beast::buffers_to_string(impl_->buffer.data());
}

void WsClient::close() {
    beast::error_code ec;
    auto& socket = beast::get_lowest_layer(impl_->ws).socket();
    if (socket.is_open()) {
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
    }
}

QJsonObject waitForTopicEvent(WsClient& ws, const QString& topic,
                              const std::function<bool(const QJsonObject&)>& match, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        auto text = ws.read(500);
        if (!text) {
            continue;
        }
        const auto frame = QJsonDocument::fromJson(QByteArray::fromStdString(*text)).object();
        const auto data = frame.value("data").toObject();
        if (frame.value("topic").toString() == topic && match(data)) {
            return data;
        }
    }
    return {};
}

} // namespace stagecast::test
