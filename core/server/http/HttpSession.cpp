#include "HttpSession.h"

#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <openssl/crypto.h>

#include "base/Log.h"
#include "server/UrlParts.h"
#include "server/api/ApiMount.h"
#include "server/auth/SignedUrl.h"
#include "server/http/EventSocket.h"
#include "server/http/FileDownload.h"
#include "server/http/FlvPlaySession.h"

namespace stagecast::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::uint64_t kMaxBodyBytes = 64 * 1024;
constexpr auto kRequestTimeout = std::chrono::seconds(15);

bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace

HttpSession::HttpSession(ServerContext& ctx, api::ApiRouter& api, asio::ip::tcp::socket socket)
    : ctx_(ctx), api_(api), stream_(std::move(socket)) {
    boost::system::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) {
        auto addr = remote.address();
        if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
            addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
        }
        address_ = addr.to_string();
        loopback_ = addr.is_loopback();
    } else {
        address_ = "unknown";
    }
}

void HttpSession::start() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->begin(); });
}

void HttpSession::begin() {
    std::weak_ptr<HttpSession> weak = weak_from_this();
    auto exec = stream_.get_executor();
    auto admitted = ctx_.clients.admit("http", address_, [weak, exec](const std::string& reason) {
        asio::post(exec, [weak, reason] {
            if (auto self = weak.lock()) {
                self->close(reason);
            }
        });
    });
    if (!admitted) {
        base::log(base::LogLevel::Warning, "http",
                  "refused connection from " + address_ + ": " + admitted.error().message());
        boost::system::error_code ec;
        stream_.socket().close(ec);
        closed_ = true;
        return;
    }
    client_ = *admitted;
    readRequest();
}

void HttpSession::readRequest() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(ctx_.options.httpMaxHeaderBytes));
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(kRequestTimeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            if (self->client_) {
                self->client_->bytesIn += n;
            }
            self->onRequest(ec);
        });
}

void HttpSession::onRequest(const boost::system::error_code& ec) {
    if (closed_) {
        return;
    }
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof) {
        close("peer closed the connection");
        return;
    }
    if (ec == beast::error::timeout) {
        close("request not received within 15 s");
        return;
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::body_limit) {
        respond(431, "text/plain", "request too large: " + ec.message() + "\n", false);
        return;
    }
    if (ec) {
        respond(400, "text/plain", "bad request: " + ec.message() + "\n", false);
        return;
    }
    route(parser_->get());
}

bool HttpSession::authorizeApi(const Request& request, std::string_view query, bool allowQueryToken,
                               Response& denied) {
    denied.set(bhttp::field::content_type, "application/json");
    if (!loopback_ && !ctx_.options.apiAllowRemote) {
        denied.result(bhttp::status::forbidden);
        denied.body() = api::errorResponse(403, "the control API answers loopback clients "
                                                "only (api.allow_remote is off)")
                            .body;
        return false;
    }
    auto header = request[bhttp::field::authorization];
    constexpr std::string_view kBearer = "Bearer ";
    std::string_view given;
    if (header.size() > kBearer.size() && header.substr(0, kBearer.size()) == kBearer) {
        given = std::string_view(header.data() + kBearer.size(), header.size() - kBearer.size());
    }
    std::optional<std::string> fromQuery;
    if (given.empty() && allowQueryToken) {
        fromQuery = auth::queryParam(query, "access_token");
        if (fromQuery) {
            given = *fromQuery;
        }
    }
    if (given.empty() || !constantTimeEquals(given, ctx_.options.apiToken)) {
        denied.result(bhttp::status::unauthorized);
        denied.set(bhttp::field::www_authenticate, "Bearer realm=\"stagecast\"");
        denied.body() =
            api::errorResponse(401, given.empty() ? "missing bearer token: send "
                                                    "'Authorization: Bearer <token>' (see "
                                                    "'stagecast api-token')"
                                                  : "invalid bearer token")
                .body;
        return false;
    }
    return true;
}

void HttpSession::route(const Request& request) {
    std::string_view target(request.target().data(), request.target().size());
    auto [path, query] = splitQuery(target);
    if (path.find("..") != std::string_view::npos) {
        respond(400, "text/plain", "path may not contain '..'\n", false);
        return;
    }
    if (request.method() == bhttp::verb::options) {
        respond(204, "text/plain", {});
        return;
    }
    auto segments = api::splitSegments(path);
    if (!segments) {
        respond(400, "text/plain", "malformed percent escape in the path\n", false);
        return;
    }
    if (beast::websocket::is_upgrade(request)) {
        startEvents(request, path, query);
        return;
    }
    auto method = std::string_view(request.method_string().data(), request.method_string().size());
    if (const auto* mount = api_.findMount(method, *segments)) {
        dispatchMount(*mount, request, path, query, std::move(*segments));
        return;
    }
    if (path.starts_with("/api/") || path == "/metrics") {
        ctx_.clients.describe(client_->id, ClientRole::Api, {},
                              std::string(request[bhttp::field::user_agent]));
        Response denied;
        if (!authorizeApi(request, query, false, denied)) {
            respond(denied.result_int(), "application/json", denied.body());
            return;
        }
        auto r = api_.handle(
            std::string_view(request.method_string().data(), request.method_string().size()), path,
            request.body());
        respond(r.status, r.contentType, std::move(r.body));
        return;
    }
    if (request.method() == bhttp::verb::get && ctx_.hls != nullptr) {
        if (path.find("/ll/") != std::string_view::npos &&
            (path.ends_with(".m4s") || path.ends_with(".mp4"))) {
            serveLlMedia(path, query);
            return;
        }
        if (path.ends_with(".m3u8")) {
            serveHlsPlaylist(request, path, query);
            return;
        }
        if (auto dvr = hls::parseDvrSegmentPath(path)) {
            serveDvrSegment(*dvr, query);
            return;
        }
        if (path.ends_with(".ts")) {
            serveHlsSegment(path, query);
            return;
        }
        if (path.ends_with(".key") && path.find("/key/") != std::string_view::npos) {
            serveHlsKey(path, query);
            return;
        }
    }
    if (path.ends_with(".flv") && (request.method() == bhttp::verb::get)) {
        startFlv(request, path, query);
        return;
    }
    respond(404, "text/plain", "not found: " + std::string(path) + "\n");
}

void HttpSession::dispatchMount(const api::ApiMount& mount, const Request& request,
                                std::string_view path, std::string_view query,
                                std::vector<std::string> segments) {
    ctx_.clients.describe(client_->id, ClientRole::Api, {},
                          std::string(request[bhttp::field::user_agent]));
    if (mount.requireToken) {
        Response denied;
        if (!authorizeApi(request, query, false, denied)) {
            respond(denied.result_int(), "application/json", denied.body());
            return;
        }
    }
    if (request.body().size() > mount.maxBodyBytes) {
        respond(413, "application/json",
                api::errorResponse(413, "request body over " + std::to_string(mount.maxBodyBytes) +
                                            " bytes")
                    .body,
                false);
        return;
    }
    api::ApiRequest r;
    r.method = std::string(request.method_string());
    r.path = std::string(path);
    r.query = std::string(query);
    r.body = request.body();
    r.contentType = std::string(request[bhttp::field::content_type]);
    r.address = address_;
    r.userAgent = std::string(request[bhttp::field::user_agent]);
    r.segments = std::move(segments);
    // The handler may block (SQLite): it runs on the worker pool and the answer comes back
    // to this session's thread. The session is kept alive by the captured pointer.
    FileRequest file;
    file.range = std::string(request[bhttp::field::range]);
    file.headOnly = request.method() == bhttp::verb::head;
    asio::post(ctx_.workers, [self = shared_from_this(), handler = &mount.handler, r = std::move(r),
                              file = std::move(file)]() mutable {
        api::ApiResponse response;
        try {
            response = (*handler)(r);
        } catch (const std::exception& e) {
            base::log(base::LogLevel::Error, "api",
                      r.method + " " + r.path + " failed: " + e.what());
            response = api::errorResponse(500, std::string("internal error: ") + e.what());
        }
        asio::post(self->stream_.get_executor(),
                   [self, response = std::move(response), file = std::move(file)]() mutable {
                       if (self->closed_) {
                           return;
                       }
                       if (!response.filePath.empty()) {
                           file.path = std::move(response.filePath);
                           file.contentType = std::move(response.contentType);
                           file.downloadName = std::move(response.downloadName);
                           self->startFile(std::move(file));
                           return;
                       }
                       self->respond(response.status, std::move(response.contentType),
                                     std::move(response.body));
                   });
    });
}

void HttpSession::startFile(FileRequest file) {
    stream_.expires_never();
    handedOff_ = true;
    auto download =
        std::make_shared<FileDownload>(ctx_, stream_.release_socket(), client_, std::move(file));
    download->start();
    closed_ = true;
}

void HttpSession::startEvents(const Request& request, std::string_view path,
                              std::string_view query) {
    bool isPublic = path == "/api/v1/public/events";
    if (!isPublic && path != "/api/v1/events") {
        respond(404, "text/plain",
                "no WebSocket endpoint at " + std::string(path) +
                    ": use /api/v1/events or /api/v1/public/events\n",
                false);
        return;
    }
    std::vector<std::string> topics;
    auto list = auth::queryParam(query, "topics").value_or(isPublic ? "" : "*");
    std::string_view rest = list;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto topic = rest.substr(0, comma);
        if (!topic.empty()) {
            topics.emplace_back(topic);
        }
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    if (isPublic) {
        if (topics.empty()) {
            respond(400, "text/plain", "topics= is required, e.g. topics=public.chat.live/demo\n",
                    false);
            return;
        }
        for (const auto& t : topics) {
            if (!t.starts_with("public.")) {
                respond(403, "text/plain",
                        "topic '" + t + "' is not public: public topics start with 'public.'\n",
                        false);
                return;
            }
        }
    } else {
        ctx_.clients.describe(client_->id, ClientRole::Api, {},
                              std::string(request[bhttp::field::user_agent]));
        Response denied;
        if (!authorizeApi(request, query, true, denied)) {
            respond(denied.result_int(), "application/json", denied.body(), false);
            return;
        }
    }
    stream_.expires_never();
    handedOff_ = true;
    auto socket = std::make_shared<EventSocket>(ctx_, stream_.release_socket(), client_,
                                                std::move(topics), address_);
    socket->start(request);
    closed_ = true;
}

void HttpSession::startFlv(const Request& request, std::string_view path, std::string_view query) {
    // /APP/STREAM.flv
    auto rest = path.substr(1, path.size() - 1 - 4);
    auto key = stream::StreamKey::parse(rest);
    if (!key) {
        respond(404, "text/plain", "not found: " + key.error().message() + "\n", false);
        return;
    }
    auto allowed = ctx_.access.check(Action::Play, *key, path, query, address_, unixNow());
    if (!allowed) {
        auto reason = "play refused: " + allowed.error().message();
        base::log(base::LogLevel::Warning, "http-flv",
                  "client " + std::to_string(client_->id) + " (" + address_ + ") " + key->str() +
                      ": " + reason);
        ctx_.hub.report({stream::HubEventType::AuthDenied,
                         {},
                         key->str(),
                         client_->id,
                         "http-flv",
                         address_,
                         reason});
        respond(403, "text/plain", reason + "\n", false);
        return;
    }
    stream_.expires_never();
    handedOff_ = true;
    std::string userAgent(request[bhttp::field::user_agent]);
    auto tcUrl = "http://" + std::string(request[bhttp::field::host]) + "/" + key->app();
    auto player = std::make_shared<FlvPlaySession>(ctx_, stream_.release_socket(), client_, *key,
                                                   address_, redactedParam(query), tcUrl);
    player->start(std::move(userAgent));
    closed_ = true;
}

void HttpSession::respond(unsigned status, std::string contentType, std::string body,
                          bool keepAlive,
                          std::vector<std::pair<bhttp::field, std::string>> headers) {
    response_ = std::make_shared<Response>();
    auto& r = *response_;
    r.version(11);
    r.result(status);
    r.set(bhttp::field::server, "Stagecast/" + ctx_.options.version);
    r.set(bhttp::field::access_control_allow_origin, ctx_.options.corsOrigin);
    r.set(bhttp::field::access_control_allow_methods, "GET, HEAD, DELETE, POST, OPTIONS");
    r.set(bhttp::field::access_control_allow_headers, "Authorization, Content-Type, Range");
    r.set(bhttp::field::cache_control, "no-cache");
    if (!body.empty() || status != 204) {
        r.set(bhttp::field::content_type, contentType);
    }
    for (auto& [field, value] : headers) {
        r.set(field, std::move(value));
    }
    r.body() = std::move(body);
    bool keep = keepAlive && parser_ && parser_->get().keep_alive();
    r.keep_alive(keep);
    r.prepare_payload();
    stream_.expires_after(kRequestTimeout);
    bhttp::async_write(
        stream_, r,
        [self = shared_from_this(), keep](const boost::system::error_code& ec, std::size_t n) {
            self->onWritten(ec, n, keep);
        });
}

void HttpSession::onWritten(const boost::system::error_code& ec, std::size_t n, bool keepAlive) {
    if (client_) {
        client_->bytesOut += n;
    }
    bodyHold_.reset();
    if (ec) {
        close("write failed: " + ec.message());
        return;
    }
    if (!keepAlive) {
        close("response sent");
        return;
    }
    readRequest();
}

void HttpSession::close(const std::string& reason) {
    if (handedOff_) {
        return;
    }
    if (closed_) {
        return;
    }
    closed_ = true;
    base::log(base::LogLevel::Debug, "http", "connection from " + address_ + " closed: " + reason);
    boost::system::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
    if (client_) {
        ctx_.clients.remove(client_->id);
    }
}

} // namespace stagecast::server::http
