#include "RtmpSession.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "base/Log.h"
#include "protocol/rtmp/Control.h"
#include "server/UrlParts.h"

namespace stagecast::server::rtmp {

namespace asio = boost::asio;
namespace proto = protocol::rtmp;
using proto::MessageType;

namespace {

constexpr std::uint32_t kOutChunkSize = 60000;
constexpr std::uint32_t kWindowAckSize = 2500000;
constexpr std::size_t kMaxBatchBytes = 2 * 1024 * 1024;
constexpr auto kTick = std::chrono::seconds(1);

void log(base::LogLevel level, const std::string& text) {
    base::log(level, "rtmp", text);
}

} // namespace

RtmpSession::RtmpSession(ServerContext& ctx, asio::ip::tcp::socket socket)
    : ctx_(ctx), socket_(std::move(socket)), timer_(socket_.get_executor()),
      reader_(proto::ChunkReaderLimits{ctx.options.maxMessageBytes, 0xFFFFFF,
                                       ctx.options.maxChunkStreams}) {
    boost::system::error_code ec;
    auto remote = socket_.remote_endpoint(ec);
    address_ = ec ? "unknown" : remote.address().to_string();
}

void RtmpSession::start() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->begin(); });
}

void RtmpSession::begin() {
    std::weak_ptr<RtmpSession> weak = weak_from_this();
    auto admitted = ctx_.clients.admit("rtmp", address_, [weak](const std::string& reason) {
        if (auto self = weak.lock()) {
            self->postClose(reason);
        }
    });
    if (!admitted) {
        log(base::LogLevel::Warning,
            "refused connection from " + address_ + ": " + admitted.error().message());
        boost::system::error_code ec;
        socket_.close(ec);
        closed_ = true;
        return;
    }
    client_ = *admitted;
    lastInput_ = std::chrono::steady_clock::now();
    armTimer();
    readSome();
}

std::string RtmpSession::describe() const {
    return "client " + std::to_string(client_ ? client_->id : 0) + " (" + address_ + ")";
}

void RtmpSession::armTimer() {
    timer_.expires_after(kTick);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->closed_) {
            return;
        }
        auto idle = std::chrono::steady_clock::now() - self->lastInput_;
        if (!self->handshake_.done() && idle > self->ctx_.options.handshakeTimeout) {
            self->close("handshake not completed within " +
                        std::to_string(self->ctx_.options.handshakeTimeout.count()) + " ms");
            return;
        }
        // Players may legitimately stay silent; anyone else must keep sending.
        if (!self->subscription_ && idle > self->ctx_.options.idleTimeout) {
            self->close("no data for " + std::to_string(self->ctx_.options.idleTimeout.count()) +
                        " ms");
            return;
        }
        self->armTimer();
    });
}

void RtmpSession::readSome() {
    // Grown here, never while a read's bytes are being parsed: media arrives from now on.
    if (publisher_ && readBuffer_.size() < 64 * 1024) {
        readBuffer_.resize(64 * 1024);
    }
    socket_.async_read_some(asio::buffer(readBuffer_),
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        std::size_t n) { self->onRead(ec, n); });
}

void RtmpSession::onRead(const boost::system::error_code& ec, std::size_t n) {
    if (closed_) {
        return;
    }
    if (ec) {
        close(ec == asio::error::eof ? "peer closed the connection" : ec.message());
        return;
    }
    client_->bytesIn += n;
    lastInput_ = std::chrono::steady_clock::now();
    std::span<const std::uint8_t> data(readBuffer_.data(), n);
    if (closeAfterFlush_) {
        readSome(); // drain and ignore until our last words are out
        return;
    }
    if (!handshake_.done()) {
        auto used = handshake_.feed(data);
        if (!used) {
            close(used.error().message());
            return;
        }
        auto out = handshake_.takeOutput();
        controlOut_.insert(controlOut_.end(), out.begin(), out.end());
        data = data.subspan(*used);
    }
    if (handshake_.done() && !data.empty()) {
        std::optional<base::Error> failure;
        auto fed = reader_.feed(data, [&](proto::Message&& m) {
            if (failure || closeAfterFlush_ || closed_) {
                return;
            }
            if (auto ok = onMessage(std::move(m)); !ok) {
                failure = ok.error();
            }
        });
        if (!fed) {
            close(fed.error().message());
            return;
        }
        if (failure) {
            close(failure->message());
            return;
        }
        if (ackWindow_ > 0 && reader_.bytesReceived() - lastAck_ >= ackWindow_) {
            lastAck_ = reader_.bytesReceived();
            send(proto::makeAcknowledgement(static_cast<std::uint32_t>(lastAck_)));
        }
    }
    if (closed_) {
        return;
    }
    flush();
    readSome();
}

base::Status RtmpSession::onMessage(proto::Message&& m) {
    switch (static_cast<MessageType>(m.header.typeId)) {
    case MessageType::SetChunkSize:
    case MessageType::Abort:
    case MessageType::Acknowledgement:
    case MessageType::SetPeerBandwidth:
        return {}; // the chunk reader applied what matters
    case MessageType::WindowAckSize: {
        auto size = proto::parseU32Control(m.payload);
        if (!size) {
            return base::fail(size.error());
        }
        ackWindow_ = *size;
        return {};
    }
    case MessageType::UserControl: {
        auto uc = proto::parseUserControl(m.payload);
        if (!uc) {
            return base::fail(uc.error());
        }
        if (uc->event == proto::UserControlEvent::PingRequest) {
            send(proto::makeUserControl({proto::UserControlEvent::PingResponse, uc->value, 0}));
        }
        return {};
    }
    case MessageType::Audio:
    case MessageType::Video: {
        if (!ingest_) {
            return {};
        }
        auto ts = timeline_.unwrap(m.header.timestamp);
        auto ok = m.header.typeId == static_cast<std::uint8_t>(MessageType::Video)
                      ? ingest_->onVideo(ts, m.payload)
                      : ingest_->onAudio(ts, m.payload);
        if (!ok) {
            return base::fail(ok.error().withContext("malformed media from " + describe()));
        }
        return {};
    }
    case MessageType::DataAmf0:
    case MessageType::DataAmf3: {
        std::span<const std::uint8_t> body = m.payload;
        if (m.header.typeId == static_cast<std::uint8_t>(MessageType::DataAmf3) && !body.empty()) {
            body = body.subspan(1);
        }
        auto normalized = proto::normalizeDataFrame(body);
        if (!normalized) {
            return base::fail(normalized.error());
        }
        if (ingest_) {
            auto values = protocol::amf0::decodeAll(*normalized);
            if (values && !values->empty() && (*values)[0].asString() == "onMetaData") {
                return ingest_->onMetadata(timeline_.unwrap(m.header.timestamp), *normalized);
            }
        }
        return {};
    }
    case MessageType::CommandAmf0:
    case MessageType::CommandAmf3: {
        std::span<const std::uint8_t> body = m.payload;
        if (m.header.typeId == static_cast<std::uint8_t>(MessageType::CommandAmf3) &&
            !body.empty()) {
            body = body.subspan(1);
        }
        auto command = proto::parseCommand(body);
        if (!command) {
            return base::fail(command.error());
        }
        return onCommand(*command, m.header.streamId);
    }
    case MessageType::Aggregate: {
        auto parts = proto::splitAggregate(m);
        if (!parts) {
            return base::fail(parts.error());
        }
        for (auto& part : *parts) {
            if (auto ok = onMessage(std::move(part)); !ok) {
                return ok;
            }
        }
        return {};
    }
    default:
        return {}; // shared objects and unknown types are ignored, as other servers do
    }
}

base::Status RtmpSession::onCommand(const proto::Command& c, std::uint32_t streamId) {
    if (c.name == "connect") {
        return onConnect(c);
    }
    if (app_.empty()) {
        return base::fail("command '" + c.name + "' before connect");
    }
    if (c.name == "createStream") {
        send(proto::makeCreateStreamResult(c.transactionId, nextStreamId_++));
    } else if (c.name == "releaseStream" || c.name == "FCUnpublish") {
        send(proto::makeSimpleResult(c.transactionId));
    } else if (c.name == "FCPublish") {
        send(proto::makeSimpleResult(c.transactionId));
        auto name = c.arguments.empty() ? std::nullopt : c.arguments[0].asString();
        send(proto::makeOnFCPublish("NetStream.Publish.Start",
                                    name ? std::string(*name) : std::string()));
    } else if (c.name == "publish") {
        return onPublish(c, streamId);
    } else if (c.name == "play") {
        return onPlay(c, streamId);
    } else if (c.name == "deleteStream" || c.name == "closeStream") {
        endStream(c.name == "deleteStream" ? "deleteStream" : "closeStream");
    } else if (c.name == "getStreamLength" || c.name == "_checkbw") {
        send(proto::makeSimpleResult(c.transactionId));
    }
    return {}; // receiveAudio, pause, and unknown commands need no answer
}

base::Status RtmpSession::onConnect(const proto::Command& c) {
    if (!app_.empty()) {
        return base::fail("second connect on one connection");
    }
    const auto* app = c.commandObject.get("app");
    auto appName = app ? app->asString() : std::nullopt;
    if (!appName || appName->empty()) {
        return base::fail("connect without an app name");
    }
    auto [path, query] = splitQuery(*appName);
    app_ = std::string(path);
    while (!app_.empty() && app_.back() == '/') {
        app_.pop_back();
    }
    connectQuery_ = std::string(query);
    if (const auto* tc = c.commandObject.get("tcUrl"); tc && tc->asString()) {
        tcUrl_ = redactedUrl(*tc->asString());
    }
    // flashVer is the RTMP client's self-description ("LNX 9,0,124,2", "FMLE/3.0"): kept as
    // the player's user agent for viewer sessions, bounded like any peer-supplied text.
    if (const auto* flashVer = c.commandObject.get("flashVer")) {
        if (auto text = flashVer->asString()) {
            flashVer_ = std::string(text->substr(0, kMaxFlashVerBytes));
        }
    }
    double encoding = 0;
    if (const auto* enc = c.commandObject.get("objectEncoding"); enc && enc->asNumber()) {
        encoding = *enc->asNumber();
    }
    send(proto::makeWindowAckSize(kWindowAckSize));
    send(proto::makeSetPeerBandwidth(kWindowAckSize, 2));
    send(proto::makeSetChunkSize(kOutChunkSize));
    writer_.setChunkSize(kOutChunkSize);
    send(proto::makeConnectResult(c.transactionId, encoding));
    return {};
}

void RtmpSession::refuse(std::uint32_t streamId, const char* code, const std::string& reason) {
    send(proto::makeOnStatus(streamId, "error", code, reason));
    closeAfterFlush_ = true;
}

base::Status RtmpSession::onPublish(const proto::Command& c, std::uint32_t streamId) {
    auto rawName = c.arguments.empty() ? std::nullopt : c.arguments[0].asString();
    if (!rawName) {
        return base::fail("publish without a stream name");
    }
    if (publisher_ || subscription_ || publishChecking_) {
        return base::fail("publish on a connection that already publishes or plays");
    }
    auto [name, query] = splitQuery(*rawName);
    std::string fullQuery = query.empty() ? connectQuery_ : std::string(query);
    auto key = stream::StreamKey::make(app_, name);
    if (!key) {
        refuse(streamId, "NetStream.Publish.BadName", key.error().message());
        log(base::LogLevel::Warning, describe() + " publish refused: " + key.error().message());
        return {};
    }
    auto allowed =
        ctx_.access.check(Action::Publish, *key, "/" + key->str(), fullQuery, address_, unixNow());
    if (!allowed) {
        auto reason = allowed.error().message();
        log(base::LogLevel::Warning,
            describe() + " publish to " + key->str() + " refused: " + reason);
        ctx_.hub.report({stream::HubEventType::AuthDenied,
                         {},
                         key->str(),
                         client_->id,
                         "rtmp",
                         address_,
                         "publish refused: " + reason});
        refuse(streamId, "NetStream.Publish.Unauthorized", "publish refused: " + reason);
        return {};
    }
    auto param = redactedParam(fullQuery);
    if (ctx_.webhooks.checksPublish()) {
        // The receiver answers on its own time: keep reading (pings, a disconnect) and
        // start the publish when the verdict comes back to this thread.
        publishChecking_ = true;
        std::weak_ptr<RtmpSession> weak = weak_from_this();
        auto exec = socket_.get_executor();
        webhook::ClientFields who{client_->id, address_, key->app(), key->name(),
                                  param,       tcUrl_,   "rtmp"};
        ctx_.webhooks.checkPublish(
            who, [weak, exec, key = *key, streamId, param](webhook::PublishAnswer answer) {
                asio::post(exec, [weak, key, streamId, param, answer = std::move(answer)] {
                    if (auto self = weak.lock()) {
                        self->onPublishChecked(key, streamId, param, answer.allowed, answer.reason);
                    }
                });
            });
        return {};
    }
    startPublish(*key, streamId, param);
    return {};
}

void RtmpSession::onPublishChecked(const stream::StreamKey& key, std::uint32_t streamId,
                                   const std::string& param, bool allowed,
                                   const std::string& reason) {
    if (closed_ || !publishChecking_) {
        return;
    }
    publishChecking_ = false;
    if (!allowed) {
        log(base::LogLevel::Warning, describe() + " publish to " + key.str() +
                                         " refused by the on_publish webhook: " + reason);
        ctx_.hub.report({stream::HubEventType::AuthDenied,
                         {},
                         key.str(),
                         client_->id,
                         "rtmp",
                         address_,
                         "publish refused by the on_publish webhook: " + reason,
                         param,
                         tcUrl_});
        refuse(streamId, "NetStream.Publish.Unauthorized",
               "publish refused by the on_publish webhook: " + reason);
    } else {
        if (!reason.empty()) {
            log(base::LogLevel::Warning, describe() + " publish to " + key.str() +
                                             " not checked by the on_publish webhook: " + reason);
        }
        startPublish(key, streamId, param);
    }
    flush();
}

void RtmpSession::startPublish(const stream::StreamKey& key, std::uint32_t streamId,
                               const std::string& param) {
    std::weak_ptr<RtmpSession> weak = weak_from_this();
    auto published = ctx_.hub.publish(
        {key, {client_->id, "rtmp", address_, param, tcUrl_}, [weak](const std::string& reason) {
             if (auto self = weak.lock()) {
                 self->postClose(reason);
             }
         }});
    if (!published) {
        log(base::LogLevel::Warning,
            describe() + " publish refused: " + published.error().message());
        refuse(streamId, "NetStream.Publish.BadName", published.error().message());
        return;
    }
    publisher_ = std::move(*published);
    ingest_ = std::make_unique<MediaIngest>(*publisher_);
    ctx_.clients.describe(client_->id, ClientRole::Publisher, key.str());
    log(base::LogLevel::Info, describe() + " publishes " + key.str());
    send(proto::makeOnStatus(streamId, "status", "NetStream.Publish.Start",
                             key.str() + " is now published", key.name()));
}

base::Status RtmpSession::onPlay(const proto::Command& c, std::uint32_t streamId) {
    auto rawName = c.arguments.empty() ? std::nullopt : c.arguments[0].asString();
    if (!rawName) {
        return base::fail("play without a stream name");
    }
    if (publisher_ || subscription_ || publishChecking_) {
        return base::fail("play on a connection that already publishes or plays");
    }
    auto [name, query] = splitQuery(*rawName);
    std::string fullQuery = query.empty() ? connectQuery_ : std::string(query);
    auto key = stream::StreamKey::make(app_, name);
    if (!key) {
        refuse(streamId, "NetStream.Play.StreamNotFound", key.error().message());
        return {};
    }
    auto allowed =
        ctx_.access.check(Action::Play, *key, "/" + key->str(), fullQuery, address_, unixNow());
    if (!allowed) {
        auto reason = allowed.error().message();
        log(base::LogLevel::Warning, describe() + " play of " + key->str() + " refused: " + reason);
        ctx_.hub.report({stream::HubEventType::AuthDenied,
                         {},
                         key->str(),
                         client_->id,
                         "rtmp",
                         address_,
                         "play refused: " + reason});
        refuse(streamId, "NetStream.Play.Failed", "play refused: " + reason);
        return {};
    }
    std::weak_ptr<RtmpSession> weak = weak_from_this();
    wakeup_.emplace(socket_.get_executor(), [weak] {
        if (auto self = weak.lock()) {
            self->flush();
        }
    });
    auto subscribed = ctx_.hub.subscribe(
        {*key,
         {client_->id, "rtmp", address_, redactedParam(fullQuery), tcUrl_, flashVer_},
         true,
         true,
         wakeup_->notifier()});
    if (!subscribed) {
        refuse(streamId, "NetStream.Play.StreamNotFound", subscribed.error().message());
        return {};
    }
    playStreamId_ = streamId;
    boost::system::error_code ignored;
    socket_.set_option(
        asio::socket_base::send_buffer_size(static_cast<int>(ctx_.options.playerSendBufferBytes)),
        ignored);
    ctx_.clients.describe(client_->id, ClientRole::Player, key->str());
    log(base::LogLevel::Info, describe() + " plays " + key->str());
    send(proto::makeUserControl({proto::UserControlEvent::StreamBegin, streamId, 0}));
    send(proto::makeOnStatus(streamId, "status", "NetStream.Play.Reset",
                             "Playing and resetting " + key->str(), key->name()));
    send(proto::makeOnStatus(streamId, "status", "NetStream.Play.Start",
                             "Started playing " + key->str(), key->name()));
    send(proto::makeSampleAccess(streamId));
    subscription_ = std::move(*subscribed);
    return {};
}

void RtmpSession::endStream(const char* why) {
    if (publisher_) {
        log(base::LogLevel::Info,
            describe() + " unpublishes " + publisher_->key().str() + " (" + why + ")");
        ingest_.reset();
        publisher_->setEndReason(why);
        publisher_.reset();
    }
    subscription_.reset();
}

void RtmpSession::send(const proto::Message& message) {
    writer_.write(controlOut_, message.chunkStreamId, message.header, message.payload);
}

void RtmpSession::flush() {
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
            close("player of " + subscription_->key().str() +
                  " ended: " + stream::toString(subscription_->reader().state()));
        }
        return;
    }
    std::vector<stream::PacketPtr> packets;
    if (subscription_) {
        auto state = subscription_->reader().drain(packets, kMaxBatchBytes, ctx_.hub.now());
        if (state != stream::ReaderState::Open && packets.empty()) {
            onReaderEnded(state);
            if (closed_) {
                return;
            }
        }
    }
    if (controlOut_.empty() && packets.empty()) {
        if (closeAfterFlush_) {
            close("closed after refusal");
        }
        return;
    }
    const auto& buffers = playWriter_.prepare(controlOut_, packets, writer_, playStreamId_);
    writing_ = true;
    asio::async_write(
        socket_, buffers,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
            self->writing_ = false;
            self->playWriter_.clear();
            if (self->closed_) {
                return;
            }
            self->client_->bytesOut += n;
            if (ec) {
                self->close("write failed: " + ec.message());
                return;
            }
            self->flush();
        });
}

void RtmpSession::onReaderEnded(stream::ReaderState state) {
    auto key = subscription_->key().str();
    subscription_.reset();
    if (state == stream::ReaderState::StreamEnded) {
        send(proto::makeOnStatus(playStreamId_, "status", "NetStream.Play.UnpublishNotify",
                                 key + " is now unpublished", key));
        send(proto::makeUserControl({proto::UserControlEvent::StreamEof, playStreamId_, 0}));
        closeAfterFlush_ = true;
        return;
    }
    close(std::string("player of ") + key + " ended: " + stream::toString(state));
}

void RtmpSession::postClose(const std::string& reason) {
    asio::post(socket_.get_executor(),
               [self = shared_from_this(), reason] { self->close(reason); });
}

void RtmpSession::close(const std::string& reason) {
    if (closed_) {
        return;
    }
    closed_ = true;
    log(base::LogLevel::Info, describe() + " closed: " + reason);
    timer_.cancel();
    ingest_.reset();
    if (publisher_) {
        publisher_->setEndReason(reason);
    }
    publisher_.reset();
    subscription_.reset();
    boost::system::error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    if (client_) {
        ctx_.clients.remove(client_->id);
    }
}

} // namespace stagecast::server::rtmp
