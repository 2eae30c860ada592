#pragma once
/// A blocking HTTP/1.1 client for one origin: requests (PUT, DELETE; GET for the load tool's
/// HLS players) on one persistent (keep-alive) connection, http or https (TLS with the system's
/// trust anchors, SNI and host name verification). A request on a kept connection that the origin
/// closed meanwhile is sent again once on a new connection; any other failure closes the
/// connection, and the next request reconnects.
///
/// Threads: one thread only (the HLS origin writer's); it blocks that thread for at most
/// `timeout` per step (resolve, connect, handshake, write, read).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "base/HttpUrl.h"
#include "base/Result.h"

namespace stagecast::server::hls {

/// https only: whom to trust. The certificate chain and the URL's host name are checked
/// against the system's CAs, or against `caFile` (PEM) when given; `verify` false skips both
/// (a lab origin with a self-signed certificate).
struct OriginTls {
    std::string caFile;
    bool verify = true;
};

class OriginClient {
public:
    /// `header`: "Name: value" sent with every request, or empty. Answer bodies larger than
    /// `maxAnswerBytes` fail the request. A CA file that cannot be loaded fails every request
    /// with the reason.
    OriginClient(base::HttpUrl url, std::string header, std::chrono::milliseconds timeout,
                 OriginTls tls = {}, std::size_t maxAnswerBytes = 64 * 1024);
    ~OriginClient();
    OriginClient(const OriginClient&) = delete;
    OriginClient& operator=(const OriginClient&) = delete;

    struct Answer {
        unsigned status = 0;
        bool reconnected = false; // a new connection was opened for it
        std::string body;
        std::string location; // the Location header, if any
    };
    /// `method` "PUT", "DELETE", "GET"...; `path` is appended to the URL's path. The error says
    /// which step failed ("cannot connect to 127.0.0.1:9: Connection refused").
    base::Result<Answer> send(std::string_view method, const std::string& path,
                              std::string_view contentType, std::string_view body);
    void close();

private:
    base::Status connect();
    base::Status exchange(std::string_view method, const std::string& path,
                          std::string_view contentType, std::string_view body, Answer& answer,
                          bool& keepAlive);
    /// Runs the io_context until `done` or the timeout (then closes the socket and says so).
    bool runUntil(const bool& done);

    const base::HttpUrl url_;
    std::string headerName_;
    std::string headerValue_;
    const std::chrono::milliseconds timeout_;
    const std::size_t maxAnswerBytes_;
    boost::asio::io_context io_;
    std::optional<boost::asio::ssl::context> tlsContext_;
    bool verify_ = true;
    std::string tlsProblem_; // the CA file could not be loaded
    std::unique_ptr<boost::asio::ip::tcp::socket> socket_;
    std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
    boost::beast::flat_buffer buffer_;
    bool connected_ = false;
};

} // namespace stagecast::server::hls
