#include "TcpListener.h"

#include <boost/asio/post.hpp>

#include "base/Log.h"

namespace stagecast::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TcpListener::TcpListener(asio::io_context& acceptContext, IoPool& pool, std::string name,
                         OnAccept onAccept)
    : pool_(pool), name_(std::move(name)), onAccept_(std::move(onAccept)),
      acceptor_(acceptContext) {}

base::Status TcpListener::listen(const std::string& address, std::uint16_t port) {
    boost::system::error_code ec;
    auto where = name_ + ": cannot listen on " + address + ":" + std::to_string(port) + ": ";
    auto ip = asio::ip::make_address(address, ec);
    if (ec) {
        return base::fail(where + "'" + address + "' is not an IP address");
    }
    tcp::endpoint endpoint(ip, port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor_.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return base::fail(where + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    return {};
}

void TcpListener::start() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->acceptOne(); });
}

void TcpListener::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ec;
        self->acceptor_.close(ec);
    });
}

void TcpListener::acceptOne() {
    acceptor_.async_accept(pool_.next(), [self = shared_from_this()](boost::system::error_code ec,
                                                                     tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) {
            return;
        }
        if (ec) {
            // Out of file descriptors and the like: say so, and keep accepting.
            base::log(base::LogLevel::Warning, self->name_, "accept failed: " + ec.message());
        } else {
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            self->onAccept_(std::move(socket));
        }
        self->acceptOne();
    });
}

} // namespace stagecast::server
