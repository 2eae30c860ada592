#pragma once
/// Outgoing bytes of one connection: callers append, one async_write is in flight at a time,
/// and what arrives meanwhile is sent as the next batch. Single-threaded (the socket's thread).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

namespace stagecast::load {

class WriteQueue : public std::enable_shared_from_this<WriteQueue> {
public:
    using ErrorHandler = std::function<void(const std::string&)>;

    WriteQueue(boost::asio::ip::tcp::socket& socket, ErrorHandler onError)
        : socket_(socket), onError_(std::move(onError)) {}

    /// The buffer to append to; call send() afterwards.
    std::vector<std::uint8_t>& buffer() { return pending_; }
    void send();
    /// Bytes appended but not yet written: a publisher uses it to see a stalled server.
    std::size_t backlog() const { return pending_.size() + inflight_.size(); }
    void cancel() { cancelled_ = true; }

private:
    boost::asio::ip::tcp::socket& socket_;
    ErrorHandler onError_;
    std::vector<std::uint8_t> pending_;
    std::vector<std::uint8_t> inflight_;
    bool writing_ = false;
    bool cancelled_ = false;
};

} // namespace stagecast::load
