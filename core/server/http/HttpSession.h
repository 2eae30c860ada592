#pragma once
/// One HTTP/1.1 connection on the media port: HTTP-FLV play requests (handed to
/// FlvPlaySession), event WebSockets (handed to EventSocket), the control API and the
/// routes other modules mount (run on the worker pool), and /metrics (loopback and bearer token
/// unless configured otherwise), and CORS preflight. Requests are bounded in header and body size
/// and in time. Lives on one io_context thread.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/ClientRegistry.h"
#include "server/ServerContext.h"
#include "server/api/ApiRouter.h"
#include "server/hls/DvrService.h"
#include "server/hls/HlsStream.h"
#include "server/hls/MultiVariant.h"
#include "server/hls/PlaylistSplice.h"
#include "server/http/FileDownload.h"

namespace stagecast::server::http {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(ServerContext& ctx, api::ApiRouter& api, boost::asio::ip::tcp::socket socket);
    void start();

private:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    void begin();
    void readRequest();
    void onRequest(const boost::system::error_code& ec);
    void route(const Request& request);
    /// Loopback rule and bearer token; `query` may carry access_token= for WebSocket
    /// clients (browsers cannot set headers on a WebSocket).
    bool authorizeApi(const Request& request, std::string_view query, bool allowQueryToken,
                      Response& denied);
    void dispatchMount(const api::ApiMount& mount, const Request& request, std::string_view path,
                       std::string_view query, std::vector<std::string> segments);
    void startEvents(const Request& request, std::string_view path, std::string_view query);
    void startFlv(const Request& request, std::string_view path, std::string_view query);
    /// Hands the connection to a FileDownload (a mount answered with a file).
    void startFile(FileRequest file);
    void respond(unsigned status, std::string contentType, std::string body, bool keepAlive = true,
                 std::vector<std::pair<boost::beast::http::field, std::string>> headers = {});
    void onWritten(const boost::system::error_code& ec, std::size_t n, bool keepAlive);

    // HLS (HlsHttp.cpp): playlists with viewer sessions, segments from memory.
    void serveHlsPlaylist(const Request& request, std::string_view path, std::string_view query);
    /// With play auth: signs each variant URI of a multi-variant playlist requested with
    /// `query`, valid as long as that request's auth_key. Without: nothing.
    hls::VariantQuery variantSigner(std::string_view query) const;
    void serveHlsSegment(std::string_view path, std::string_view query);
    void waitForHlsPlaylist(std::shared_ptr<hls::HlsStream> stream, std::string sessionId,
                            std::chrono::steady_clock::time_point deadline);
    void respondSegment(std::shared_ptr<const hls::HlsSegment> segment);
    // HLS keys (HlsKeyHttp.cpp): /APP/STREAM/key/ID.key for a viewer session or signed URL.
    void serveHlsKey(std::string_view path, std::string_view query);
    /// The viewer session named by the query's hls_session (touched), or null; with play
    /// auth on and no valid session, answers 403 about `what` and returns false.
    bool hlsViewer(const stream::StreamKey& key, std::string_view query, std::string_view what,
                   std::shared_ptr<ClientInfo>& viewer);
    /// 200 with `data` as the body, written from memory without a copy.
    void respondBytes(std::shared_ptr<const std::vector<std::uint8_t>> data,
                      std::string_view contentType, std::string_view cacheControl);
    /// 200 with `body` (kept alive by `hold` until written): a prebuilt header block and the
    /// body in one gathered write. `corsMethods`: the CORS fields respond() sends too.
    void respondHeld(std::shared_ptr<const void> hold, boost::asio::const_buffer body,
                     std::string_view contentType, std::string_view cacheControl, bool corsMethods);
    // DVR (DvrHttp.cpp): /APP/STREAM_dvr.m3u8 and /APP/STREAM/dvr/ID/SEQ.ts.
    void serveDvrPlaylist(const Request& request, const stream::StreamKey& key,
                          std::string_view path, std::string_view query);
    void serveDvrSegment(const hls::DvrSegmentPath& segment, std::string_view query);
    // LL-HLS (LlHlsHttp.cpp): the blocking playlist and fMP4 init, parts and segments.
    void serveLlPlaylist(std::shared_ptr<hls::HlsStream> stream, const std::string& sessionId,
                         std::string_view query);
    void serveLlMedia(std::string_view path, std::string_view query);
    /// Answers (`answer`) once `ready` holds, the deadline passes or packaging ends; waits
    /// for the packager's change notifications, never blocking the thread.
    void waitForLl(std::shared_ptr<hls::HlsStream> stream, std::function<bool()> ready,
                   std::function<void()> answer, std::chrono::steady_clock::time_point deadline);
    void close(const std::string& reason);

    ServerContext& ctx_;
    api::ApiRouter& api_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<Response> response_;
    std::string head_;                        // respondHeld()'s header block (capacity reused)
    std::shared_ptr<const void> bodyHold_;    // respondHeld()'s body, alive while written
    hls::SplicedPlaylistCache playlistCache_; // this connection's last playlist reload
    std::uint64_t llWaitGeneration_ = 0;
    std::optional<boost::asio::steady_timer> hlsWait_;
    std::string address_;
    bool loopback_ = false;
    std::shared_ptr<ClientInfo> client_;
    bool handedOff_ = false;
    bool closed_ = false;
};

} // namespace stagecast::server::http
