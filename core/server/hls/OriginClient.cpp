#include "OriginClient.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http.hpp>

namespace stagecast::server::hls {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

OriginClient::OriginClient(base::HttpUrl url, std::string header, std::chrono::milliseconds timeout,
                           OriginTls tls, std::size_t maxAnswerBytes)
    : url_(std::move(url)), timeout_(timeout), maxAnswerBytes_(maxAnswerBytes),
      verify_(tls.verify) {
    if (const auto colon = header.find(':'); colon != std::string::npos) {
        headerName_ = header.substr(0, colon);
        auto value = header.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        headerValue_ = value;
    }
    if (url_.tls) {
        namespace ssl = asio::ssl;
        tlsContext_.emplace(ssl::context::tls_client);
        tlsContext_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                                 ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                                 ssl::context::no_tlsv1_1);
        boost::system::error_code ec; // a missing system store fails each handshake, with a reason
        if (!tls.caFile.empty()) {
            tlsContext_->load_verify_file(tls.caFile, ec);
            if (ec) {
                tlsProblem_ = "cannot load the CA file '" + tls.caFile + "': " + ec.message();
            }
        } else {
            tlsContext_->set_default_verify_paths(ec);
        }
        tlsContext_->set_verify_mode(verify_ ? ssl::verify_peer : ssl::verify_none);
    }
}

OriginClient::~OriginClient() {
    close();
}

void OriginClient::close() {
    boost::system::error_code ignored;
    tls_.reset();
    if (socket_) {
        socket_->close(ignored);
        socket_.reset();
    }
    buffer_.clear();
    connected_ = false;
}

bool OriginClient::runUntil(const bool& done) {
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    while (!done) {
        if (io_.run_one_until(deadline) == 0 && !done) {
            // Out of time: abort what is pending and let its handler run.
            boost::system::error_code ignored;
            if (socket_) {
                socket_->close(ignored);
            }
            io_.restart();
            io_.run();
            return false;
        }
    }
    return true;
}

base::Status OriginClient::connect() {
    close();
    if (!tlsProblem_.empty()) {
        return base::fail(tlsProblem_);
    }
    const auto within = " within " + std::to_string(timeout_.count()) + " ms";
    tcp::resolver resolver(io_);
    bool done = false;
    boost::system::error_code ec;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(url_.host, url_.port, [&](auto e, auto results) {
        ec = e;
        endpoints = std::move(results);
        done = true;
    });
    if (!runUntil(done)) {
        resolver.cancel();
        io_.restart();
        io_.run();
        return base::fail("cannot resolve " + url_.host + within);
    }
    if (ec) {
        return base::fail("cannot resolve " + url_.host + ": " + ec.message());
    }
    socket_ = std::make_unique<tcp::socket>(io_);
    done = false;
    asio::async_connect(*socket_, endpoints, [&](auto e, const auto&) {
        ec = e;
        done = true;
    });
    const auto where = url_.host + ":" + url_.port;
    if (!runUntil(done)) {
        close();
        return base::fail("cannot connect to " + where + within);
    }
    if (ec) {
        close();
        return base::fail("cannot connect to " + where + ": " + ec.message());
    }
    boost::system::error_code ignored;
    socket_->set_option(tcp::no_delay(true), ignored);
    if (tlsContext_) {
        tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(*socket_, *tlsContext_);
        // SNI (SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to).
        SSL_ctrl(tls_->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(url_.host.c_str()));
        if (verify_) {
            tls_->set_verify_callback(asio::ssl::host_name_verification(url_.host));
        }
        done = false;
        tls_->async_handshake(asio::ssl::stream_base::client, [&](auto e) {
            ec = e;
            done = true;
        });
        if (!runUntil(done) || ec) {
            const auto why = ec ? ": " + ec.message() : within;
            close();
            return base::fail("TLS handshake with " + where + " failed" + why);
        }
    }
    connected_ = true;
    return {};
}

base::Status OriginClient::exchange(std::string_view method, const std::string& path,
                                    std::string_view contentType, std::string_view body,
                                    Answer& answer, bool& keepAlive) {
    http::request<http::string_body> req{http::string_to_verb(method), url_.path + path, 11};
    req.set(http::field::host, url_.hostHeader);
    req.set(http::field::user_agent, "Stagecast");
    if (!contentType.empty()) {
        req.set(http::field::content_type, contentType);
    }
    if (!headerName_.empty()) {
        req.set(headerName_, headerValue_);
    }
    req.body() = std::string(body);
    req.keep_alive(true);
    req.prepare_payload();

    const auto within = " within " + std::to_string(timeout_.count()) + " ms";
    bool done = false;
    boost::system::error_code ec;
    auto onWrite = [&](auto e, std::size_t) {
        ec = e;
        done = true;
    };
    if (tls_) {
        http::async_write(*tls_, req, onWrite);
    } else {
        http::async_write(*socket_, req, onWrite);
    }
    if (!runUntil(done)) {
        return base::fail("cannot send the request" + within);
    }
    if (ec) {
        return base::fail("cannot send the request: " + ec.message());
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(maxAnswerBytes_);
    done = false;
    auto onRead = [&](auto e, std::size_t) {
        ec = e;
        done = true;
    };
    if (tls_) {
        http::async_read(*tls_, buffer_, parser, onRead);
    } else {
        http::async_read(*socket_, buffer_, parser, onRead);
    }
    if (!runUntil(done)) {
        return base::fail("no answer" + within);
    }
    if (ec) {
        return base::fail("no answer: " + ec.message());
    }
    auto& res = parser.get();
    keepAlive = res.keep_alive();
    answer.status = res.result_int();
    answer.location = std::string(res[http::field::location]);
    answer.body = std::move(res.body());
    return {};
}

base::Result<OriginClient::Answer> OriginClient::send(std::string_view method,
                                                      const std::string& path,
                                                      std::string_view contentType,
                                                      std::string_view body) {
    Answer answer;
    const bool reused = connected_;
    if (!connected_) {
        if (auto ok = connect(); !ok) {
            return base::fail(ok.error());
        }
        answer.reconnected = true;
    }
    bool keepAlive = false;
    auto status = exchange(method, path, contentType, body, answer, keepAlive);
    if (!status && reused) {
        // The origin may have closed the idle connection: once more on a new one.
        if (auto ok = connect(); !ok) {
            return base::fail(ok.error());
        }
        answer.reconnected = true;
        status = exchange(method, path, contentType, body, answer, keepAlive);
    }
    if (!status) {
        close();
        return base::fail(status.error());
    }
    if (!keepAlive) {
        close();
    }
    return answer;
}

} // namespace stagecast::server::hls
