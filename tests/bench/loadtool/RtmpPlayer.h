#pragma once
/// One RTMP player: handshake, connect(app, tcUrl), createStream, play(name), each step waiting
/// for the server's reply, then reading media with a ChunkReader and acknowledging every
/// Window Acknowledgement Size bytes (RTMP specification 1.0 section 5.4.3) as real players do.
/// Lives on one io_context thread.

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "PlayerRecord.h"
#include "Url.h"
#include "WriteQueue.h"
#include "protocol/rtmp/ChunkReader.h"
#include "protocol/rtmp/ChunkWriter.h"
#include "protocol/rtmp/Command.h"
#include "protocol/rtmp/Handshake.h"

namespace stagecast::load {

class RtmpPlayer : public std::enable_shared_from_this<RtmpPlayer> {
public:
    RtmpPlayer(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint server,
               const RtmpUrl& url, PlayerRecord& record, const SendLog* sendLog,
               const MeasureWindow& window);
    /// Connects and plays; call on the player's io thread.
    void start();
    /// Closes without counting it as a failure; call on the player's io thread.
    void stop();

private:
    void readSome();
    void onRead(const boost::system::error_code& ec, std::size_t n);
    void onMessage(protocol::rtmp::Message&& m);
    void onCommand(const protocol::rtmp::Command& c);
    void send(const protocol::rtmp::Message& m);
    void fail(const std::string& why);

    boost::asio::ip::tcp::socket socket_;
    boost::asio::ip::tcp::endpoint server_;
    const RtmpUrl& url_;
    PlayerRecord& record_;
    const SendLog* sendLog_;
    const MeasureWindow& window_;
    std::shared_ptr<WriteQueue> out_;
    protocol::rtmp::ClientHandshake handshake_;
    protocol::rtmp::ChunkReader reader_;
    protocol::rtmp::ChunkReader::Sink sink_;
    protocol::rtmp::ChunkWriter writer_;
    std::uint32_t streamId_ = 0;
    std::uint32_t ackWindow_ = 0;
    std::uint64_t received_ = 0; // every byte since the first, handshake included
    std::uint64_t lastAck_ = 0;
    std::int64_t readNs_ = 0; // arrival time of the bytes being parsed
    std::array<std::uint8_t, 64 * 1024> buffer_{};
};

} // namespace stagecast::load
