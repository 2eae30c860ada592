#include "FlvPlaySession.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "base/Log.h"
#include "protocol/flv/Flv.h"

namespace stagecast::server::http {

namespace asio = boost::asio;
namespace flv = protocol::flv;

namespace {

constexpr std::size_t kMaxBatchBytes = 2 * 1024 * 1024;
constexpr std::size_t kTagOverhead = flv::kTagHeaderSize + 4;

flv::TagType tagTypeFor(stream::TrackKind kind) {
    switch (kind) {
    case stream::TrackKind::Video:
        return flv::TagType::Video;
    case stream::TrackKind::Audio:
        return flv::TagType::Audio;
    case stream::TrackKind::Data:
        break;
    }
    return flv::TagType::Script;
}

} // namespace

FlvPlaySession::FlvPlaySession(ServerContext& ctx, asio::ip::tcp::socket socket,
                               std::shared_ptr<ClientInfo> client, stream::StreamKey key,
                               std::string address, std::string param, std::string tcUrl)
    : ctx_(ctx), socket_(std::move(socket)), client_(std::move(client)), key_(std::move(key)),
      address_(std::move(address)), param_(std::move(param)), tcUrl_(std::move(tcUrl)) {}

void FlvPlaySession::start(std::string userAgent) {
    std::weak_ptr<FlvPlaySession> weak = weak_from_this();
    auto exec = socket_.get_executor();
    ctx_.clients.setCloser(client_->id, [weak, exec](const std::string& reason) {
        asio::post(exec, [weak, reason] {
            if (auto self = weak.lock()) {
                self->close(reason);
            }
        });
    });
    ctx_.clients.setProtocol(client_->id, "http-flv");
    wakeup_.emplace(exec, [weak] {
        if (auto self = weak.lock()) {
            self->flush();
        }
    });
    auto subscribed =
        ctx_.hub.subscribe({key_,
                            {client_->id, "http-flv", address_, param_, tcUrl_, userAgent},
                            false,
                            true,
                            wakeup_->notifier()});
    if (!subscribed) {
        writeError(404, subscribed.error().message());
        return;
    }
    subscription_ = std::move(*subscribed);
    boost::system::error_code ignored;
    socket_.set_option(
        asio::socket_base::send_buffer_size(static_cast<int>(ctx_.options.playerSendBufferBytes)),
        ignored);
    ctx_.clients.describe(client_->id, ClientRole::Player, key_.str(), std::move(userAgent));
    base::log(base::LogLevel::Info, "http-flv",
              "client " + std::to_string(client_->id) + " (" + address_ + ") plays " + key_.str());

    auto snap = ctx_.hub.snapshot(key_);
    bool hasAudio = !snap || snap->audio.codec.size() > 0 || snap->video.codec.empty();
    bool hasVideo = !snap || snap->video.codec.size() > 0 || snap->audio.codec.empty();
    std::string head = "HTTP/1.1 200 OK\r\n"
                       "Content-Type: video/x-flv\r\n"
                       "Cache-Control: no-cache, no-store\r\n"
                       "Connection: close\r\n"
                       "Access-Control-Allow-Origin: " +
                       ctx_.options.corsOrigin +
                       "\r\n"
                       "Server: Stagecast/" +
                       ctx_.options.version + "\r\n\r\n";
    preamble_.assign(head.begin(), head.end());
    auto fileHeader = flv::fileHeader(hasAudio, hasVideo);
    preamble_.insert(preamble_.end(), fileHeader.begin(), fileHeader.end());
    watchPeer();
    flush();
}

void FlvPlaySession::watchPeer() {
    // A player sends nothing after its request; reading tells us when it goes away.
    socket_.async_read_some(
        asio::buffer(peerBuffer_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
            if (ec) {
                self->close(ec == asio::error::eof ? "player closed the connection" : ec.message());
                return;
            }
            self->watchPeer();
        });
}

void FlvPlaySession::flush() {
    // Cleared first: a wake-up that arrives while a write is in flight must post again.
    if (wakeup_) {
        wakeup_->clear();
    }
    if (closed_) {
        return;
    }
    if (writing_) {
        // A write that never completes (the peer stopped reading) must not keep a reader the
        // hub has given up on: end the session now, cancelling the write.
        if (subscription_ && PlayerWakeup::readerGaveUp(*subscription_)) {
            close("player of " + key_.str() +
                  " ended: " + stream::toString(subscription_->reader().state()));
        }
        return;
    }
    batch_.clear();
    if (subscription_) {
        auto state = subscription_->reader().drain(batch_, kMaxBatchBytes, ctx_.hub.now());
        if (state != stream::ReaderState::Open && batch_.empty()) {
            close(std::string("player of ") + key_.str() + " ended: " + stream::toString(state));
            return;
        }
    }
    if (batch_.empty() && preamble_.empty()) {
        return;
    }
    tagHeaders_.resize(batch_.size() * kTagOverhead);
    buffers_.clear();
    if (!preamble_.empty()) {
        buffers_.emplace_back(preamble_.data(), preamble_.size());
    }
    for (std::size_t i = 0; i < batch_.size(); ++i) {
        const auto& p = *batch_[i];
        auto* h = tagHeaders_.data() + i * kTagOverhead;
        auto size = static_cast<std::uint32_t>(p.payload.size());
        flv::writeTagHeader(h, tagTypeFor(p.kind), size, static_cast<std::uint32_t>(p.dts.count()));
        flv::writePreviousTagSize(h + flv::kTagHeaderSize, size);
        buffers_.emplace_back(h, flv::kTagHeaderSize);
        buffers_.emplace_back(p.payload.data(), p.payload.size());
        buffers_.emplace_back(h + flv::kTagHeaderSize, 4);
    }
    writing_ = true;
    asio::async_write(
        socket_, buffers_,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            self->writing_ = false;
            self->preamble_.clear();
            self->batch_.clear();
            if (self->closed_) {
                return;
            }
            self->client_->bytesOut += n;
            if (ec) {
                self->close("write failed: " + ec.message());
                return;
            }
            if (self->endAfterFlush_) {
                self->close("error response sent");
                return;
            }
            self->flush();
        });
}

void FlvPlaySession::writeError(unsigned status, const std::string& message) {
    std::string reason = status == 404 ? "Not Found" : "Forbidden";
    std::string body = message + "\n";
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                       "\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                       "Access-Control-Allow-Origin: " +
                       ctx_.options.corsOrigin +
                       "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    preamble_.assign(head.begin(), head.end());
    endAfterFlush_ = true;
    flush();
}

void FlvPlaySession::close(const std::string& reason) {
    if (closed_) {
        return;
    }
    closed_ = true;
    if (subscription_) {
        base::log(base::LogLevel::Info, "http-flv",
                  "client " + std::to_string(client_->id) + " (" + address_ +
                      ") closed: " + reason);
    }
    subscription_.reset();
    boost::system::error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    ctx_.clients.remove(client_->id);
}

} // namespace stagecast::server::http
