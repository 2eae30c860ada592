#include "HttpPoster.h"

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace stagecast::server::webhook {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

class HttpPost : public std::enable_shared_from_this<HttpPost> {
public:
    HttpPost(asio::io_context& io, WebhookUrl url, std::chrono::milliseconds timeout, PostDone done)
        : url_(std::move(url)), timeout_(timeout), done_(std::move(done)), resolver_(io),
          stream_(io), timer_(io) {}

    void start(std::vector<HttpHeader> headers, std::string body) {
        request_.method(bhttp::verb::post);
        request_.target(url_.target);
        request_.version(11);
        request_.set(bhttp::field::host, url_.hostHeader);
        request_.set(bhttp::field::content_type, "application/json");
        request_.set(bhttp::field::connection, "close");
        for (auto& [name, value] : headers) {
            request_.set(name, value);
        }
        request_.body() = std::move(body);
        request_.prepare_payload();
        parser_.body_limit(kMaxAnswerBytes);

        timer_.expires_after(timeout_);
        timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec) {
                self->onTimeout();
            }
        });
        resolver_.async_resolve(
            url_.host, url_.port,
            [self = shared_from_this()](const boost::system::error_code& ec,
                                        const tcp::resolver::results_type& results) {
                self->onResolved(ec, results);
            });
    }

private:
    void onTimeout() {
        timedOut_ = true;
        resolver_.cancel();
        boost::system::error_code ignored;
        stream_.socket().close(ignored);
    }

    void onResolved(const boost::system::error_code& ec,
                    const tcp::resolver::results_type& results) {
        if (ec) {
            fail("cannot resolve " + url_.host, ec);
            return;
        }
        stream_.async_connect(
            results, [self = shared_from_this()](const boost::system::error_code& e,
                                                 const tcp::endpoint&) { self->onConnected(e); });
    }

    void onConnected(const boost::system::error_code& ec) {
        // A range connect may move on to the next address after the timeout closed the socket.
        if (ec || timedOut_) {
            fail("cannot connect to " + url_.hostHeader, ec);
            return;
        }
        bhttp::async_write(stream_, request_,
                           [self = shared_from_this()](const boost::system::error_code& e,
                                                       std::size_t) { self->onWritten(e); });
    }

    void onWritten(const boost::system::error_code& ec) {
        if (ec || timedOut_) {
            fail("cannot send to " + url_.hostHeader, ec);
            return;
        }
        bhttp::async_read(stream_, buffer_, parser_,
                          [self = shared_from_this()](const boost::system::error_code& e,
                                                      std::size_t) { self->onRead(e); });
    }

    void onRead(const boost::system::error_code& ec) {
        // An oversized body still carries a status; the body itself is not needed then.
        if (!timedOut_ && ec == bhttp::error::body_limit && parser_.is_header_done()) {
            finish(HttpAnswer{parser_.get().result_int(), {}});
            return;
        }
        if (ec || timedOut_) {
            fail("no valid answer from " + url_.hostHeader, ec);
            return;
        }
        finish(HttpAnswer{parser_.get().result_int(), std::move(parser_.get().body())});
    }

    void fail(const std::string& what, const boost::system::error_code& ec) {
        if (timedOut_) {
            finish(base::fail("no answer from " + url_.hostHeader + " within " +
                              std::to_string(timeout_.count()) + " ms"));
            return;
        }
        finish(base::fail(what + ": " + ec.message()));
    }

    void finish(base::Result<HttpAnswer> result) {
        if (!done_) {
            return;
        }
        timer_.cancel();
        boost::system::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
        auto done = std::move(done_);
        done_ = nullptr;
        done(std::move(result));
    }

    WebhookUrl url_;
    std::chrono::milliseconds timeout_;
    PostDone done_;
    tcp::resolver resolver_;
    beast::tcp_stream stream_;
    asio::steady_timer timer_;
    bhttp::request<bhttp::string_body> request_;
    bhttp::response_parser<bhttp::string_body> parser_;
    beast::flat_buffer buffer_;
    bool timedOut_ = false;
};

} // namespace

void postJson(asio::io_context& io, const WebhookUrl& url, std::vector<HttpHeader> headers,
              std::string body, std::chrono::milliseconds timeout, PostDone done) {
    auto post = std::make_shared<HttpPost>(io, url, timeout, std::move(done));
    post->start(std::move(headers), std::move(body));
}

} // namespace stagecast::server::webhook
