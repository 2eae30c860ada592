#include "RtmpClient.h"

#include "RtmpCommands.h"
#include "base/ByteWriter.h"
#include "protocol/amf0/Amf0.h"
#include "protocol/rtmp/Control.h"

namespace stagecast::load {

namespace asio = boost::asio;
namespace rtmp = protocol::rtmp;
namespace flv = protocol::flv;
using rtmp::MessageType;

namespace {

// What OBS and ffmpeg use; fewer chunk headers for the server to parse than the default 128.
constexpr std::uint32_t kChunkSize = 4096;
// A server that stops reading must not make the tool buffer without bound.
constexpr std::size_t kMaxBacklog = 32 * 1024 * 1024;

std::uint32_t chunkStreamFor(flv::TagType type) {
    switch (type) {
    case flv::TagType::Audio:
        return static_cast<std::uint32_t>(rtmp::ChunkStreamId::Audio);
    case flv::TagType::Video:
        return static_cast<std::uint32_t>(rtmp::ChunkStreamId::Video);
    case flv::TagType::Script:
        break;
    }
    return static_cast<std::uint32_t>(rtmp::ChunkStreamId::Data);
}

} // namespace

RtmpClient::RtmpClient(asio::io_context& io, asio::ip::tcp::endpoint server, RtmpUrl url,
                       const FlvSource& source, SendLog& sendLog)
    : socket_(io), server_(server), url_(std::move(url)), source_(source), sendLog_(sendLog),
      timer_(io) {}

std::string RtmpClient::error() const {
    std::lock_guard lock(errorMutex_);
    return error_;
}

void RtmpClient::start() {
    out_ = std::make_shared<WriteQueue>(socket_, [this](const std::string& why) { fail(why); });
    sink_ = [this](rtmp::Message&& m) { onMessage(std::move(m)); };
    socket_.async_connect(server_,
                          [self = shared_from_this()](const boost::system::error_code& ec) {
                              if (self->stopped_) {
                                  return;
                              }
                              if (ec) {
                                  self->fail("publisher connect failed: " + ec.message());
                                  return;
                              }
                              boost::system::error_code ignored;
                              self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
                              auto c0c1 = self->handshake_.takeOutput();
                              auto& buf = self->out_->buffer();
                              buf.insert(buf.end(), c0c1.begin(), c0c1.end());
                              self->out_->send();
                              self->readSome();
                          });
}

void RtmpClient::stop() {
    stopped_ = true;
    publishing_ = false;
    timer_.cancel();
    if (out_) {
        out_->cancel();
    }
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void RtmpClient::fail(const std::string& why) {
    if (stopped_) {
        return;
    }
    {
        std::lock_guard lock(errorMutex_);
        error_ = why;
    }
    failed_ = true;
    stop();
}

void RtmpClient::readSome() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        std::size_t n) { self->onRead(ec, n); });
}

void RtmpClient::onRead(const boost::system::error_code& ec, std::size_t n) {
    if (stopped_) {
        return;
    }
    if (ec) {
        fail(ec == asio::error::eof ? "server closed the publisher's connection"
                                    : "publisher read: " + ec.message());
        return;
    }
    received_ += n;
    std::span<const std::uint8_t> data(buffer_.data(), n);
    if (step_ == Step::Handshake) {
        auto used = handshake_.feed(data);
        if (!used) {
            fail(used.error().message());
            return;
        }
        data = data.subspan(*used);
        if (handshake_.done()) {
            auto c2 = handshake_.takeOutput();
            auto& buf = out_->buffer();
            buf.insert(buf.end(), c2.begin(), c2.end());
            send(rtmp::makeSetChunkSize(kChunkSize));
            writer_.setChunkSize(kChunkSize);
            send(connectCommand(url_.app, url_.tcUrl, true));
            step_ = Step::Connect;
        }
    }
    if (step_ != Step::Handshake && !data.empty()) {
        if (auto ok = reader_.feed(data, sink_); !ok) {
            fail(ok.error().message());
            return;
        }
        if (stopped_) {
            return;
        }
        if (ackWindow_ > 0 && received_ - lastAck_ >= ackWindow_) {
            lastAck_ = received_;
            send(rtmp::makeAcknowledgement(static_cast<std::uint32_t>(received_)));
        }
    }
    readSome();
}

void RtmpClient::send(const rtmp::Message& m) {
    writer_.write(out_->buffer(), m.chunkStreamId, m.header, m.payload);
    out_->send();
}

void RtmpClient::onMessage(rtmp::Message&& m) {
    if (stopped_) {
        return;
    }
    switch (static_cast<MessageType>(m.header.typeId)) {
    case MessageType::WindowAckSize:
        if (auto size = rtmp::parseU32Control(m.payload)) {
            ackWindow_ = *size;
        }
        return;
    case MessageType::UserControl:
        if (auto uc = rtmp::parseUserControl(m.payload);
            uc && uc->event == rtmp::UserControlEvent::PingRequest) {
            send(rtmp::makeUserControl({rtmp::UserControlEvent::PingResponse, uc->value, 0}));
        }
        return;
    case MessageType::CommandAmf0: {
        auto c = rtmp::parseCommand(m.payload);
        if (!c) {
            fail(c.error().message());
            return;
        }
        onCommand(*c);
        return;
    }
    default:
        return;
    }
}

void RtmpClient::onCommand(const rtmp::Command& c) {
    if (c.name == "_error" && c.transactionId != kReleaseStreamTxn &&
        c.transactionId != kFcPublishTxn) {
        fail("server refused the publisher: " + describe(statusOf(c)));
        return;
    }
    if (c.name == "_result" && step_ == Step::Connect && c.transactionId == kConnectTxn) {
        step_ = Step::CreateStream;
        send(releaseStreamCommand(url_.name));
        send(fcPublishCommand(url_.name));
        send(createStreamCommand());
        return;
    }
    if (c.name == "_result" && step_ == Step::CreateStream && c.transactionId == kCreateStreamTxn) {
        auto id = c.arguments.empty() ? std::nullopt : c.arguments[0].asNumber();
        if (!id) {
            fail("createStream result without a stream id");
            return;
        }
        streamId_ = static_cast<std::uint32_t>(*id);
        step_ = Step::Publish;
        send(publishCommand(streamId_, url_.name));
        return;
    }
    if (c.name == "onStatus") {
        auto info = statusOf(c);
        if (info.level == "error") {
            fail("publish failed: " + describe(info));
        } else if (info.code == "NetStream.Publish.Start" && step_ == Step::Publish) {
            step_ = Step::Publishing;
            startTime_ = std::chrono::steady_clock::now();
            publishing_ = true;
            sendDue();
        }
    }
}

void RtmpClient::sendTag(const SourceTag& tag, std::uint32_t timestamp, std::int64_t now) {
    rtmp::MessageHeader h;
    h.streamId = streamId_;
    h.timestamp = timestamp;
    if (tag.type == flv::TagType::Script) {
        // Encoders send metadata as @setDataFrame("onMetaData", {...}).
        std::vector<std::uint8_t> body;
        base::ByteWriter w(body);
        protocol::amf0::encode(w, protocol::amf0::Value::string("@setDataFrame"));
        body.insert(body.end(), tag.body.begin(), tag.body.end());
        h.typeId = static_cast<std::uint8_t>(MessageType::DataAmf0);
        h.length = static_cast<std::uint32_t>(body.size());
        writer_.write(out_->buffer(), chunkStreamFor(tag.type), h, body);
        return;
    }
    h.typeId = static_cast<std::uint8_t>(tag.type == flv::TagType::Video ? MessageType::Video
                                                                         : MessageType::Audio);
    h.length = static_cast<std::uint32_t>(tag.body.size());
    writer_.write(out_->buffer(), chunkStreamFor(tag.type), h, tag.body);
    if (tag.type == flv::TagType::Video && !tag.startOnly) {
        sendLog_.record(timestamp, now);
        framesSent_.fetch_add(1, std::memory_order_relaxed);
    }
}

void RtmpClient::sendDue() {
    if (stopped_) {
        return;
    }
    if (out_->backlog() > kMaxBacklog) {
        fail("server stopped reading the publisher (" + std::to_string(out_->backlog()) +
             " bytes unsent)");
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    const auto nowNsValue = nowNs();
    for (;;) {
        if (next_ == source_.tags.size()) {
            next_ = 0;
            ++loop_;
        }
        const auto& tag = source_.tags[next_];
        if (loop_ > 0 && tag.startOnly) {
            ++next_;
            continue;
        }
        const std::uint64_t ts = loop_ * source_.loopDurationMs + tag.timestampMs;
        const auto due = startTime_ + std::chrono::milliseconds(ts);
        if (due > now) {
            timer_.expires_at(due);
            timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
                if (!ec) {
                    self->sendDue();
                }
            });
            break;
        }
        auto late = std::chrono::duration_cast<std::chrono::milliseconds>(now - due).count();
        if (late > maxLateMs_.load(std::memory_order_relaxed)) {
            maxLateMs_.store(late, std::memory_order_relaxed);
        }
        sendTag(tag, static_cast<std::uint32_t>(ts), nowNsValue);
        ++next_;
    }
    out_->send();
}

} // namespace stagecast::load
