#pragma once
/// Accepts TCP connections and hands each socket, already bound to one of the pool's
/// io_contexts, to a callback. Accepts on its own context (`acceptContext`), so a burst of
/// new viewers is not kept waiting behind the media the session threads are writing.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "base/Result.h"
#include "server/IoPool.h"

namespace stagecast::server {

class TcpListener : public std::enable_shared_from_this<TcpListener> {
public:
    using OnAccept = std::function<void(boost::asio::ip::tcp::socket)>;

    TcpListener(boost::asio::io_context& acceptContext, IoPool& pool, std::string name,
                OnAccept onAccept);

    /// Binds and listens; the error names the address ("rtmp: cannot listen on
    /// 0.0.0.0:1935: Address already in use"). Port 0 picks a free port.
    base::Status listen(const std::string& address, std::uint16_t port);
    void start();
    /// Thread-safe; stops accepting.
    void stop();
    std::uint16_t port() const { return port_; }

private:
    void acceptOne();

    IoPool& pool_;
    std::string name_;
    OnAccept onAccept_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
};

} // namespace stagecast::server
