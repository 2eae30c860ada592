#include "RtmpPlayer.h"

#include "RtmpCommands.h"
#include "protocol/rtmp/Control.h"

namespace stagecast::load {

namespace asio = boost::asio;
namespace rtmp = protocol::rtmp;
using rtmp::MessageType;

RtmpPlayer::RtmpPlayer(asio::io_context& io, asio::ip::tcp::endpoint server, const RtmpUrl& url,
                       PlayerRecord& record, const SendLog* sendLog, const MeasureWindow& window)
    : socket_(io), server_(server), url_(url), record_(record), sendLog_(sendLog), window_(window) {
    record_.protocol = Protocol::Rtmp;
}

void RtmpPlayer::start() {
    out_ = std::make_shared<WriteQueue>(socket_, [this](const std::string& why) { fail(why); });
    sink_ = [this](rtmp::Message&& m) { onMessage(std::move(m)); };
    record_.connectStartNs = nowNs();
    record_.enter(Stage::Connecting, nowNs());
    socket_.async_connect(server_,
                          [self = shared_from_this()](const boost::system::error_code& ec) {
                              if (self->record_.closed) {
                                  return;
                              }
                              if (ec) {
                                  self->fail("connect failed: " + ec.message());
                                  return;
                              }
                              boost::system::error_code ignored;
                              self->socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
                              self->record_.enter(Stage::Handshake, nowNs());
                              auto c0c1 = self->handshake_.takeOutput();
                              auto& buf = self->out_->buffer();
                              buf.insert(buf.end(), c0c1.begin(), c0c1.end());
                              self->out_->send();
                              self->readSome();
                          });
}

void RtmpPlayer::stop() {
    record_.closed = true;
    if (out_) {
        out_->cancel();
    }
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void RtmpPlayer::fail(const std::string& why) {
    if (record_.closed) {
        return;
    }
    record_.fail(why);
    if (out_) {
        out_->cancel();
    }
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void RtmpPlayer::readSome() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        std::size_t n) { self->onRead(ec, n); });
}

void RtmpPlayer::onRead(const boost::system::error_code& ec, std::size_t n) {
    if (record_.closed) {
        return;
    }
    if (ec) {
        fail(ec == asio::error::eof ? "server closed the connection" : "read: " + ec.message());
        return;
    }
    readNs_ = nowNs();
    received_ += n;
    record_.bytes.fetch_add(n, std::memory_order_relaxed);
    std::span<const std::uint8_t> data(buffer_.data(), n);
    if (record_.stage == Stage::Handshake) {
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
            send(connectCommand(url_.app, url_.tcUrl, false));
            record_.enter(Stage::Connect, nowNs());
        }
    }
    if (record_.stage != Stage::Handshake && !data.empty()) {
        if (auto ok = reader_.feed(data, sink_); !ok) {
            fail(ok.error().message());
            return;
        }
        if (record_.closed) {
            return;
        }
        // Acknowledge each full window, as the spec asks of the receiving side.
        if (ackWindow_ > 0 && received_ - lastAck_ >= ackWindow_) {
            lastAck_ = received_;
            send(rtmp::makeAcknowledgement(static_cast<std::uint32_t>(received_)));
        }
    }
    readSome();
}

void RtmpPlayer::send(const rtmp::Message& m) {
    writer_.write(out_->buffer(), m.chunkStreamId, m.header, m.payload);
    out_->send();
}

void RtmpPlayer::onMessage(rtmp::Message&& m) {
    if (record_.closed) {
        return;
    }
    switch (static_cast<MessageType>(m.header.typeId)) {
    case MessageType::Video:
        record_.onVideo(classifyVideo(m.payload.data(), m.payload.size()), m.header.timestamp,
                        readNs_, sendLog_, window_);
        return;
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
    case MessageType::CommandAmf0:
    case MessageType::CommandAmf3: {
        std::span<const std::uint8_t> body = m.payload;
        if (m.header.typeId == static_cast<std::uint8_t>(MessageType::CommandAmf3) &&
            !body.empty()) {
            body = body.subspan(1);
        }
        auto c = rtmp::parseCommand(body);
        if (!c) {
            fail(c.error().message());
            return;
        }
        onCommand(*c);
        return;
    }
    default:
        return; // audio, data, chunk size (applied by the reader), bandwidth: nothing to do
    }
}

void RtmpPlayer::onCommand(const rtmp::Command& c) {
    if (c.name == "_error") {
        fail("server refused: " + describe(statusOf(c)));
        return;
    }
    if (c.name == "_result" && record_.stage == Stage::Connect && c.transactionId == kConnectTxn) {
        record_.enter(Stage::CreateStream, nowNs());
        send(createStreamCommand());
        return;
    }
    if (c.name == "_result" && record_.stage == Stage::CreateStream &&
        c.transactionId == kCreateStreamTxn) {
        auto id = c.arguments.empty() ? std::nullopt : c.arguments[0].asNumber();
        if (!id) {
            fail("createStream result without a stream id");
            return;
        }
        streamId_ = static_cast<std::uint32_t>(*id);
        record_.enter(Stage::Play, nowNs());
        // ffmpeg tells the server its buffer length before playing; so do we.
        send(rtmp::makeUserControl({rtmp::UserControlEvent::SetBufferLength, streamId_, 3000}));
        send(playCommand(streamId_, url_.name));
        return;
    }
    if (c.name == "onStatus") {
        auto info = statusOf(c);
        if (info.level == "error") {
            fail("play failed: " + describe(info));
        } else if (info.code == "NetStream.Play.Start" && record_.stage == Stage::Play) {
            record_.enter(Stage::Playing, nowNs());
            record_.playingNs = readNs_;
        } else if (info.code == "NetStream.Play.UnpublishNotify" ||
                   info.code == "NetStream.Play.Stop") {
            fail("stream ended: " + info.code);
        }
    }
}

} // namespace stagecast::load
