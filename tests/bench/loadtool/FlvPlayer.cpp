#include "FlvPlayer.h"

#include <algorithm>
#include <cstring>

namespace stagecast::load {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxHeadBytes = 16 * 1024;
constexpr std::size_t kFileHeaderSize = 9 + 4; // header + PreviousTagSize0
constexpr std::size_t kTagHeaderSize = 11;
constexpr std::size_t kVideoPeek = 2; // frame type/codec byte and AVCPacketType

std::uint32_t be24(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | std::uint32_t{p[2]};
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
    return s;
}

} // namespace

FlvPlayer::FlvPlayer(asio::io_context& io, asio::ip::tcp::endpoint server, const HttpUrl& url,
                     PlayerRecord& record, const SendLog* sendLog, const MeasureWindow& window)
    : socket_(io), server_(server), url_(url), record_(record), sendLog_(sendLog), window_(window) {
    record_.protocol = Protocol::HttpFlv;
}

void FlvPlayer::start() {
    out_ = std::make_shared<WriteQueue>(socket_, [this](const std::string& why) { fail(why); });
    record_.connectStartNs = nowNs();
    record_.enter(Stage::Connecting, nowNs());
    socket_.async_connect(server_, [self =
                                        shared_from_this()](const boost::system::error_code& ec) {
        if (self->record_.closed) {
            return;
        }
        if (ec) {
            self->fail("connect failed: " + ec.message());
            return;
        }
        std::string request = "GET " + self->url_.target + " HTTP/1.1\r\nHost: " + self->url_.host +
                              ":" + std::to_string(self->url_.port) +
                              "\r\nUser-Agent: stagecast-load\r\nAccept: */*\r\n\r\n";
        auto& buf = self->out_->buffer();
        buf.insert(buf.end(), request.begin(), request.end());
        self->out_->send();
        self->record_.enter(Stage::Response, nowNs());
        self->readSome();
    });
}

void FlvPlayer::stop() {
    record_.closed = true;
    if (out_) {
        out_->cancel();
    }
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void FlvPlayer::fail(const std::string& why) {
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

void FlvPlayer::readSome() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        std::size_t n) { self->onRead(ec, n); });
}

void FlvPlayer::onRead(const boost::system::error_code& ec, std::size_t n) {
    if (record_.closed) {
        return;
    }
    if (ec) {
        fail(ec == asio::error::eof ? "server closed the connection" : "read: " + ec.message());
        return;
    }
    readNs_ = nowNs();
    record_.bytes.fetch_add(n, std::memory_order_relaxed);
    std::size_t used = 0;
    if (state_ == State::ResponseHead) {
        used = onHead(buffer_.data(), n);
        if (record_.closed) {
            return;
        }
    }
    if (state_ != State::ResponseHead && used < n) {
        onBody(buffer_.data() + used, n - used);
        if (record_.closed) {
            return;
        }
    }
    readSome();
}

std::size_t FlvPlayer::onHead(const std::uint8_t* data, std::size_t n) {
    const auto before = head_.size();
    head_.append(reinterpret_cast<const char*>(data), n);
    auto end = head_.find("\r\n\r\n");
    if (end == std::string::npos) {
        if (head_.size() > kMaxHeadBytes) {
            fail("response head longer than " + std::to_string(kMaxHeadBytes) + " bytes");
        }
        return n;
    }
    head_.resize(end + 4);
    auto statusEnd = head_.find("\r\n");
    auto status = head_.substr(0, statusEnd);
    if (status.size() < 12 || status.compare(0, 5, "HTTP/") != 0 ||
        status.compare(9, 3, "200") != 0) {
        fail("HTTP status '" + status + "'");
        return n;
    }
    if (lower(head_).find("transfer-encoding: chunked") != std::string::npos) {
        fail("chunked transfer encoding is not supported by the load tool");
        return n;
    }
    record_.playingNs = readNs_;
    record_.enter(Stage::Playing, nowNs());
    state_ = State::FileHeader;
    need_ = kFileHeaderSize;
    have_ = 0;
    return head_.size() - before;
}

void FlvPlayer::onBody(const std::uint8_t* data, std::size_t n) {
    while (n > 0) {
        if (state_ == State::Skip) {
            auto take = static_cast<std::size_t>(std::min<std::uint64_t>(skip_, n));
            skip_ -= take;
            data += take;
            n -= take;
            if (skip_ == 0) {
                state_ = State::TagHeader;
                need_ = kTagHeaderSize;
                have_ = 0;
            }
            continue;
        }
        auto take = std::min(need_ - have_, n);
        std::memcpy(small_.data() + have_, data, take);
        have_ += take;
        data += take;
        n -= take;
        if (have_ < need_) {
            return;
        }
        switch (state_) {
        case State::FileHeader: {
            if (std::memcmp(small_.data(), "FLV", 3) != 0) {
                fail("body does not start with an FLV signature");
                return;
            }
            auto dataOffset = (std::uint32_t{small_[5]} << 24) | be24(small_.data() + 6);
            if (dataOffset < 9) {
                fail("FLV header size " + std::to_string(dataOffset) + " invalid, at least 9");
                return;
            }
            state_ = State::Skip;
            skip_ = dataOffset - 9; // PreviousTagSize0 was gathered with the header
            if (skip_ == 0) {
                state_ = State::TagHeader;
                need_ = kTagHeaderSize;
                have_ = 0;
            }
            break;
        }
        case State::TagHeader: {
            const auto type = small_[0] & 0x1F;
            tagSize_ = be24(small_.data() + 1);
            tagTimestamp_ = be24(small_.data() + 4) | (std::uint32_t{small_[7]} << 24);
            if (type == 9 && tagSize_ > 0) {
                state_ = State::VideoPeek;
                need_ = std::min<std::size_t>(kVideoPeek, tagSize_);
                have_ = 0;
            } else {
                state_ = State::Skip;
                skip_ = std::uint64_t{tagSize_} + 4;
            }
            break;
        }
        case State::VideoPeek:
            record_.onVideo(classifyVideo(small_.data(), have_), tagTimestamp_, readNs_, sendLog_,
                            window_);
            state_ = State::Skip;
            skip_ = std::uint64_t{tagSize_} - have_ + 4;
            break;
        case State::ResponseHead:
        case State::Skip:
            break;
        }
    }
}

} // namespace stagecast::load
