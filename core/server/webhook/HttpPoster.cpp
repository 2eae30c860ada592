#include "HttpPoster.h"

#include <memory>

#include <type_traits>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/ssl.h>

namespace stagecast::server::webhook {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

/// One POST over a plain TCP stream (http) or TLS over it (https).
template <class Stream>
class HttpPost : public std::enable_shared_from_this<HttpPost<Stream>> {
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

public:
    HttpPost(asio::io_context& io, WebhookUrl url, std::chrono::milliseconds timeout,
             PostDone done) requires(!kTls)
        : url_(std::move(url)), timeout_(timeout), done_(std::move(done)), resolver_(io),
          stream_(io), timer_(io) {}
    HttpPost(asio::io_context& io, asio::ssl::context& tls, WebhookUrl url,
             std::chrono::milliseconds timeout, PostDone done) requires kTls
        : url_(std::move(url)),
          timeout_(timeout),
          done_(std::move(done)),
          resolver_(io),
          stream_(io, tls),
          timer_(io) {}

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
        timer_.async_wait([self = this->shared_from_this()](const boost::system::error_code& ec) {
            if (!ec) {
                self->onTimeout();
            }
        });
        resolver_.async_resolve(
            url_.host, url_.port,
            [self = this->shared_from_this()](const boost::system::error_code& ec,
                                              const tcp::resolver::results_type& results) {
                self->onResolved(ec, results);
            });
    }

private:
    void onTimeout() {
        timedOut_ = true;
        resolver_.cancel();
        boost::system::error_code ignored;
        socket().close(ignored);
    }

    tcp::socket& socket() { return beast::get_lowest_layer(stream_).socket(); }

    void onResolved(const boost::system::error_code& ec,
                    const tcp::resolver::results_type& results) {
        if (ec) {
            fail("cannot resolve " + url_.host, ec);
            return;
        }
        beast::get_lowest_layer(stream_).async_connect(
            results,
            [self = this->shared_from_this()](const boost::system::error_code& e,
                                              const tcp::endpoint&) { self->onConnected(e); });
    }

    void onConnected(const boost::system::error_code& ec) {
        // A range connect may move on to the next address after the timeout closed the socket.
        if (ec || timedOut_) {
            fail("cannot connect to " + url_.hostHeader, ec);
            return;
        }
        if constexpr (kTls) {
            // Server name indication, then the certificate must name the host (unless the
            // context does not verify at all).
            SSL_ctrl(stream_.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                     TLSEXT_NAMETYPE_host_name, const_cast<char*>(url_.host.c_str()));
            stream_.set_verify_callback(asio::ssl::host_name_verification(url_.host));
            stream_.async_handshake(
                asio::ssl::stream_base::client,
                [self = this->shared_from_this()](const boost::system::error_code& e) {
                    if (e || self->timedOut_) {
                        self->fail("TLS handshake with " + self->url_.hostHeader + " failed", e);
                        return;
                    }
                    self->sendRequest();
                });
        } else {
            sendRequest();
        }
    }

    void sendRequest() {
        bhttp::async_write(stream_, request_,
                           [self = this->shared_from_this()](const boost::system::error_code& e,
                                                             std::size_t) { self->onWritten(e); });
    }

    void onWritten(const boost::system::error_code& ec) {
        if (ec || timedOut_) {
            fail("cannot send to " + url_.hostHeader, ec);
            return;
        }
        bhttp::async_read(stream_, buffer_, parser_,
                          [self = this->shared_from_this()](const boost::system::error_code& e,
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
        socket().shutdown(tcp::socket::shutdown_both, ignored);
        socket().close(ignored);
        auto done = std::move(done_);
        done_ = nullptr;
        done(std::move(result));
    }

    WebhookUrl url_;
    std::chrono::milliseconds timeout_;
    PostDone done_;
    tcp::resolver resolver_;
    Stream stream_;
    asio::steady_timer timer_;
    bhttp::request<bhttp::string_body> request_;
    bhttp::response_parser<bhttp::string_body> parser_;
    beast::flat_buffer buffer_;
    bool timedOut_ = false;
};

} // namespace

void postJson(asio::io_context& io, asio::ssl::context* tls, const WebhookUrl& url,
              std::vector<HttpHeader> headers, std::string body, std::chrono::milliseconds timeout,
              PostDone done) {
    if (url.tls) {
        if (tls == nullptr) {
            done(base::fail("cannot post to " + url.display + ": TLS is not set up"));
            return;
        }
        auto post = std::make_shared<HttpPost<TlsStream>>(io, *tls, url, timeout, std::move(done));
        post->start(std::move(headers), std::move(body));
        return;
    }
    auto post = std::make_shared<HttpPost<beast::tcp_stream>>(io, url, timeout, std::move(done));
    post->start(std::move(headers), std::move(body));
}

} // namespace stagecast::server::webhook
