#pragma once
/// One HTTP/1.1 POST to a webhook receiver, on a connection of its own (webhooks are rare
/// and receivers are often short-lived scripts, so no connection is kept between them).
///
/// Threads: runs on the io_context it is given; `done` is called exactly once, on that
/// context's thread, also when the context is stopped first (then never: the caller stops
/// the context only when it no longer waits).

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace boost::asio::ssl {
class context;
}

#include "base/Result.h"
#include "server/webhook/WebhookUrl.h"

namespace stagecast::server::webhook {

struct HttpAnswer {
    unsigned status = 0;
    std::string body; // at most kMaxAnswerBytes; empty when the receiver sent more
};

/// The most of an answer's body that is read; receivers answer "0" or a small JSON object.
inline constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

using HttpHeader = std::pair<std::string, std::string>;
using PostDone = std::function<void(base::Result<HttpAnswer>)>;

/// Resolve, connect, (for https: TLS handshake with `tls`, SNI and the certificate checked
/// against the URL's host), send and read the answer, all within `timeout`; the error says
/// which step failed ("cannot connect to 127.0.0.1:9: Connection refused", "TLS handshake
/// with localhost:8443 failed: certificate verify failed", "no answer within 5000 ms").
void postJson(boost::asio::io_context& io, boost::asio::ssl::context* tls, const WebhookUrl& url,
              std::vector<HttpHeader> headers, std::string body, std::chrono::milliseconds timeout,
              PostDone done);

} // namespace stagecast::server::webhook
