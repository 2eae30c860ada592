#include "RtmpRelay.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

#include "base/Log.h"
#include "protocol/rtmp/Command.h"
#include "protocol/rtmp/Control.h"

namespace stagecast::server::relay {

namespace asio = boost::asio;
namespace proto = protocol::rtmp;
namespace amf0 = protocol::amf0;
using proto::MessageType;

namespace {

constexpr std::uint32_t kOutChunkSize = 4096;
constexpr std::size_t kMaxBatchBytes = 1024 * 1024;
constexpr auto kMaxBackoff = std::chrono::seconds(30);
constexpr double kConnectTx = 1, kReleaseTx = 2, kFcPublishTx = 3, kCreateStreamTx = 4,
                 kPublishTx = 5;

} // namespace

const char* toString(RelayState state) {
    switch (state) {
    case RelayState::Connecting:
        return "connecting";
    case RelayState::Publishing:
        return "publishing";
    case RelayState::Backoff:
        return "backoff";
    case RelayState::Stopped:
        return "stopped";
    }
    return "unknown";
}

RtmpRelay::RtmpRelay(ServerContext& ctx, asio::io_context& io, std::size_t index,
                     stream::StreamKey source, RtmpUrl destination)
    : ctx_(ctx), io_(io), index_(index), source_(std::move(source)),
      destination_(std::move(destination)), resolver_(io), socket_(io), timer_(io),
      tracker_(ctx.hub, index, source_.str(), destination_.redacted(),
               destination_.tls ? "rtmps-relay" : "rtmp-relay") {
    if (destination_.tls) {
        namespace ssl = asio::ssl;
        tlsContext_ = std::make_unique<ssl::context>(ssl::context::tls_client);
        tlsContext_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                                 ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                                 ssl::context::no_tlsv1_1);
        boost::system::error_code ec;
        if (!destination_.caFile.empty()) {
            tlsContext_->load_verify_file(destination_.caFile, ec);
        } else {
            tlsContext_->set_default_verify_paths(ec);
        }
        if (ec) {
            base::log(base::LogLevel::Warning, "relay",
                      destination_.redacted() + ": cannot load trust anchors: " + ec.message());
        }
        tlsContext_->set_verify_mode(destination_.verifyTls ? ssl::verify_peer : ssl::verify_none);
    }
}

void RtmpRelay::start() {
    asio::post(io_, [self = shared_from_this()] { self->connect(); });
}

void RtmpRelay::stop() {
    asio::post(io_, [self = shared_from_this()] {
        self->stopped_ = true;
        self->timer_.cancel();
        self->closeSocket();
        self->tracker_.setState(RelayState::Stopped);
    });
}

RelayStatus RtmpRelay::status() const {
    return tracker_.status();
}

void RtmpRelay::connect() {
    if (stopped_) {
        return;
    }
    ++attempt_;
    handshake_ = proto::ClientHandshake();
    reader_ = proto::ChunkReader(proto::ChunkReaderLimits{ctx_.options.maxMessageBytes, 0xFFFFFF,
                                                          ctx_.options.maxChunkStreams});
    writer_ = proto::ChunkWriter();
    publishing_ = false;
    writing_ = false;
    streamId_ = 0;
    controlOut_.clear();
    tracker_.setState(RelayState::Connecting);
    resolver_.async_resolve(
        destination_.host, std::to_string(destination_.port),
        [self = shared_from_this(), attempt = attempt_](
            const boost::system::error_code& ec, asio::ip::tcp::resolver::results_type results) {
            if (attempt != self->attempt_ || self->stopped_) {
                return;
            }
            if (ec) {
                self->fail("cannot resolve " + self->destination_.host + ": " + ec.message());
                return;
            }
            asio::async_connect(self->socket_, results,
                                [self, attempt](const boost::system::error_code& ec2,
                                                const asio::ip::tcp::endpoint&) {
                                    if (attempt == self->attempt_) {
                                        self->onConnected(ec2);
                                    }
                                });
        });
}

void RtmpRelay::onConnected(const boost::system::error_code& ec) {
    if (stopped_) {
        return;
    }
    if (ec) {
        fail("cannot connect to " + destination_.host + ":" + std::to_string(destination_.port) +
             ": " + ec.message());
        return;
    }
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    if (!destination_.tls) {
        onTransportReady();
        return;
    }
    tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *tlsContext_);
    // SNI, so an origin behind a shared TLS front door picks the right certificate.
    // (SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.)
    SSL_ctrl(tls_->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(destination_.host.c_str()));
    if (destination_.verifyTls) {
        tls_->set_verify_callback(asio::ssl::host_name_verification(destination_.host));
    }
    tls_->async_handshake(
        asio::ssl::stream_base::client,
        [self = shared_from_this(), attempt = attempt_](const boost::system::error_code& ec2) {
            if (attempt != self->attempt_ || self->stopped_) {
                return;
            }
            if (ec2) {
                self->fail("TLS handshake with " + self->destination_.host + ":" +
                           std::to_string(self->destination_.port) + " failed: " + ec2.message());
                return;
            }
            self->onTransportReady();
        });
}

void RtmpRelay::onTransportReady() {
    auto hello = handshake_.takeOutput();
    controlOut_.insert(controlOut_.end(), hello.begin(), hello.end());
    flush();
    readSome();
}

void RtmpRelay::readSome() {
    auto handler = [self = shared_from_this(),
                    attempt = attempt_](const boost::system::error_code& ec, std::size_t n) {
        if (attempt == self->attempt_) {
            self->onRead(ec, n);
        }
    };
    if (tls_) {
        tls_->async_read_some(asio::buffer(readBuffer_), std::move(handler));
    } else {
        socket_.async_read_some(asio::buffer(readBuffer_), std::move(handler));
    }
}

void RtmpRelay::onRead(const boost::system::error_code& ec, std::size_t n) {
    if (stopped_) {
        return;
    }
    if (ec) {
        fail(ec == asio::error::eof ? "destination closed the connection" : ec.message());
        return;
    }
    std::span<const std::uint8_t> data(readBuffer_.data(), n);
    if (!handshake_.done()) {
        auto used = handshake_.feed(data);
        if (!used) {
            fail(used.error().message());
            return;
        }
        data = data.subspan(*used);
        auto out = handshake_.takeOutput();
        controlOut_.insert(controlOut_.end(), out.begin(), out.end());
        if (handshake_.done()) {
            auto setChunk = proto::makeSetChunkSize(kOutChunkSize);
            writer_.write(controlOut_, setChunk.chunkStreamId, setChunk.header, setChunk.payload);
            writer_.setChunkSize(kOutChunkSize);
            amf0::Properties props{
                {"app", amf0::Value::string(destination_.app)},
                {"type", amf0::Value::string("nonprivate")},
                {"flashVer", amf0::Value::string("FMLE/3.0 (compatible; Stagecast)")},
                {"tcUrl", amf0::Value::string(destination_.tcUrl)}};
            proto::Command connect{
                "connect", kConnectTx, amf0::Value::object(std::move(props)), {}};
            auto m = proto::makeCommandMessage(connect, 0);
            writer_.write(controlOut_, m.chunkStreamId, m.header, m.payload);
        }
    }
    if (handshake_.done() && !data.empty()) {
        std::optional<std::string> failure;
        auto fed = reader_.feed(data, [&](proto::Message&& m) {
            if (failure) {
                return;
            }
            if (auto ok = onMessage(std::move(m)); !ok) {
                failure = ok.error().message();
            }
        });
        if (!fed) {
            fail(fed.error().message());
            return;
        }
        if (failure) {
            fail(*failure);
            return;
        }
    }
    flush();
    readSome();
}

void RtmpRelay::sendCommand(const std::string& name, double transaction,
                            std::vector<amf0::Value> args, std::uint32_t streamId) {
    proto::Command c{name, transaction, amf0::Value::null(), std::move(args)};
    auto m = proto::makeCommandMessage(c, streamId);
    writer_.write(controlOut_, m.chunkStreamId, m.header, m.payload);
}

base::Status RtmpRelay::onMessage(proto::Message&& m) {
    auto type = static_cast<MessageType>(m.header.typeId);
    if (type == MessageType::UserControl) {
        if (auto uc = proto::parseUserControl(m.payload);
            uc && uc->event == proto::UserControlEvent::PingRequest) {
            auto pong =
                proto::makeUserControl({proto::UserControlEvent::PingResponse, uc->value, 0});
            writer_.write(controlOut_, pong.chunkStreamId, pong.header, pong.payload);
        }
        return {};
    }
    if (type != MessageType::CommandAmf0) {
        return {}; // window acks, bandwidth and chunk size are handled or not needed
    }
    auto c = proto::parseCommand(m.payload);
    if (!c) {
        return base::fail(c.error());
    }
    auto info = [&]() -> std::string {
        for (const auto& a : c->arguments) {
            if (const auto* code = a.get("code"); code && code->asString()) {
                std::string text(*code->asString());
                if (const auto* d = a.get("description"); d && d->asString()) {
                    text += " (" + std::string(*d->asString()) + ")";
                }
                return text;
            }
        }
        return "no details";
    };
    if (c->name == "_error") {
        return base::fail("destination refused: " + info());
    }
    if (c->name == "_result" && c->transactionId == kConnectTx) {
        auto name = amf0::Value::string(destination_.streamName);
        sendCommand("releaseStream", kReleaseTx, {name});
        sendCommand("FCPublish", kFcPublishTx, {name});
        sendCommand("createStream", kCreateStreamTx, {});
    } else if (c->name == "_result" && c->transactionId == kCreateStreamTx) {
        auto id = c->arguments.empty() ? std::nullopt : c->arguments[0].asNumber();
        if (!id) {
            return base::fail("createStream answer without a stream id");
        }
        streamId_ = static_cast<std::uint32_t>(*id);
        sendCommand("publish", kPublishTx,
                    {amf0::Value::string(destination_.streamName), amf0::Value::string("live")},
                    streamId_);
    } else if (c->name == "onStatus") {
        auto code = info();
        if (code.starts_with("NetStream.Publish.Start")) {
            startPublishing();
        } else if (code.find("error") != std::string::npos ||
                   code.find("Failed") != std::string::npos ||
                   code.find("BadName") != std::string::npos ||
                   code.find("Unauthorized") != std::string::npos) {
            return base::fail("destination refused publish: " + code);
        }
    }
    return {};
}

void RtmpRelay::startPublishing() {
    if (publishing_) {
        return;
    }
    std::weak_ptr<RtmpRelay> weak = weak_from_this();
    wakeup_.emplace(io_.get_executor(), [weak] {
        if (auto self = weak.lock()) {
            self->flush();
        }
    });
    auto subscribed = ctx_.hub.subscribe(
        {source_, {0, "rtmp-relay", destination_.redacted()}, true, false, wakeup_->notifier()});
    if (!subscribed) {
        fail(subscribed.error().message());
        return;
    }
    subscription_ = std::move(*subscribed);
    publishing_ = true;
    publishingSince_ = std::chrono::steady_clock::now();
    base::log(base::LogLevel::Info, "relay",
              source_.str() + " -> " + destination_.redacted() + ": publishing");
    tracker_.setState(RelayState::Publishing);
}

void RtmpRelay::flush() {
    if (wakeup_) {
        wakeup_->clear();
    }
    if (stopped_ || writing_ || !socket_.is_open()) {
        return;
    }
    std::vector<stream::PacketPtr> packets;
    if (subscription_ && publishing_) {
        subscription_->reader().drain(packets, kMaxBatchBytes, ctx_.hub.now());
    }
    if (packets.empty() && controlOut_.empty()) {
        return;
    }
    std::vector<std::uint32_t> timestamps;
    timestamps.reserve(packets.size());
    for (const auto& p : packets) {
        auto in = p->dts.count();
        if (!lastIn_) {
            offset_ = -in;
        } else if (in < *lastIn_ - 1000 || in > *lastIn_ + 10000) {
            // The source restarted or jumped: continue the output timeline instead.
            offset_ = lastOut_ + 40 - in;
        }
        auto out = std::max<std::int64_t>(0, in + offset_);
        lastIn_ = in;
        lastOut_ = std::max(lastOut_, out);
        timestamps.push_back(static_cast<std::uint32_t>(out));
    }
    const auto& buffers =
        playWriter_.prepare(controlOut_, packets, writer_, streamId_, &timestamps);
    writing_ = true;
    auto handler = [self = shared_from_this(),
                    attempt = attempt_](const boost::system::error_code& ec, std::size_t n) {
        if (attempt != self->attempt_ || self->stopped_) {
            return; // a write of a connection already given up
        }
        self->writing_ = false;
        self->playWriter_.clear();
        self->tracker_.addSent(n);
        if (ec) {
            self->fail("write failed: " + ec.message());
            return;
        }
        self->flush();
    };
    if (tls_) {
        asio::async_write(*tls_, buffers, std::move(handler));
    } else {
        asio::async_write(socket_, buffers, std::move(handler));
    }
}

void RtmpRelay::fail(const std::string& why) {
    if (stopped_) {
        return;
    }
    bool wasPublishing = publishing_;
    if (wasPublishing &&
        std::chrono::steady_clock::now() - publishingSince_ > std::chrono::seconds(30)) {
        backoff_ = std::chrono::seconds(1); // a long healthy run earns a quick retry
    }
    if (subscription_) {
        tracker_.addDropped(subscription_->reader().counters().droppedPackets);
    }
    subscription_.reset();
    wakeup_.reset();
    publishing_ = false;
    ++attempt_; // late callbacks of this connection are ignored
    closeSocket();
    tracker_.addReconnect();
    base::log(base::LogLevel::Warning, "relay",
              source_.str() + " -> " + destination_.redacted() + ": " + why + "; retrying in " +
                  std::to_string(backoff_.count()) + " s");
    tracker_.setState(RelayState::Backoff, why);
    timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (!ec) {
            self->connect();
        }
    });
}

void RtmpRelay::closeSocket() {
    boost::system::error_code ec;
    resolver_.cancel();
    tls_.reset(); // no TLS close_notify: the link is being abandoned anyway
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    socket_ = asio::ip::tcp::socket(io_);
}

} // namespace stagecast::server::relay
