#pragma once
/// One HTTP-FLV player: GET the stream, check the status line, then walk the FLV byte stream
/// reading only the 11-byte tag headers (FLV 10.1 annex E.4.1) and the first bytes of video
/// bodies; every other body byte is skipped without copying. Lives on one io_context thread.

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "PlayerRecord.h"
#include "Url.h"
#include "WriteQueue.h"

namespace stagecast::load {

class FlvPlayer : public std::enable_shared_from_this<FlvPlayer> {
public:
    FlvPlayer(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint server,
              const HttpUrl& url, PlayerRecord& record, const SendLog* sendLog,
              const MeasureWindow& window);
    void start();
    void stop();

private:
    enum class State : std::uint8_t { ResponseHead = 1, FileHeader, TagHeader, VideoPeek, Skip };

    void readSome();
    void onRead(const boost::system::error_code& ec, std::size_t n);
    /// Consumes response-head bytes; returns how many belonged to the head.
    std::size_t onHead(const std::uint8_t* data, std::size_t n);
    void onBody(const std::uint8_t* data, std::size_t n);
    void fail(const std::string& why);

    boost::asio::ip::tcp::socket socket_;
    boost::asio::ip::tcp::endpoint server_;
    const HttpUrl& url_;
    PlayerRecord& record_;
    const SendLog* sendLog_;
    const MeasureWindow& window_;
    std::shared_ptr<WriteQueue> out_;
    State state_ = State::ResponseHead;
    std::string head_;
    std::array<std::uint8_t, 16> small_{}; // the file header or a tag header being gathered
    std::size_t have_ = 0;
    std::size_t need_ = 0;
    std::uint64_t skip_ = 0;
    std::uint32_t tagSize_ = 0;
    std::uint32_t tagTimestamp_ = 0;
    std::int64_t readNs_ = 0;
    std::array<std::uint8_t, 64 * 1024> buffer_{};
};

} // namespace stagecast::load
