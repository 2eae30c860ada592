#pragma once
/// The publisher: handshake, connect, releaseStream, FCPublish, createStream, publish (as
/// ffmpeg and OBS do), then sends the file's tags in real time, paced by their timestamps and
/// looping with rebased timestamps so they keep increasing. Records when each video frame was
/// handed to the socket in the SendLog. Runs on its own io_context thread so pacing does not
/// wait behind a thousand players.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "FlvSource.h"
#include "SendLog.h"
#include "Url.h"
#include "WriteQueue.h"
#include "protocol/rtmp/ChunkReader.h"
#include "protocol/rtmp/ChunkWriter.h"
#include "protocol/rtmp/Command.h"
#include "protocol/rtmp/Handshake.h"

namespace stagecast::load {

class RtmpClient : public std::enable_shared_from_this<RtmpClient> {
public:
    RtmpClient(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint server, RtmpUrl url,
               const FlvSource& source, SendLog& sendLog);
    void start();
    void stop();

    bool publishing() const { return publishing_.load(); }
    bool failed() const { return failed_.load(); }
    std::string error() const;
    /// Video frames sent so far and the most they were ever late against the schedule.
    std::uint64_t framesSent() const { return framesSent_.load(); }
    std::int64_t maxLateMs() const { return maxLateMs_.load(); }

private:
    enum class Step : std::uint8_t { Handshake = 1, Connect, CreateStream, Publish, Publishing };

    void readSome();
    void onRead(const boost::system::error_code& ec, std::size_t n);
    void onMessage(protocol::rtmp::Message&& m);
    void onCommand(const protocol::rtmp::Command& c);
    void send(const protocol::rtmp::Message& m);
    void sendDue();
    void sendTag(const SourceTag& tag, std::uint32_t timestamp, std::int64_t now);
    void fail(const std::string& why);

    boost::asio::ip::tcp::socket socket_;
    boost::asio::ip::tcp::endpoint server_;
    RtmpUrl url_;
    const FlvSource& source_;
    SendLog& sendLog_;
    boost::asio::steady_timer timer_;
    std::shared_ptr<WriteQueue> out_;
    protocol::rtmp::ClientHandshake handshake_;
    protocol::rtmp::ChunkReader reader_;
    protocol::rtmp::ChunkReader::Sink sink_;
    protocol::rtmp::ChunkWriter writer_;
    Step step_ = Step::Handshake;
    std::uint32_t streamId_ = 0;
    std::uint32_t ackWindow_ = 0;
    std::uint64_t received_ = 0;
    std::uint64_t lastAck_ = 0;

    std::chrono::steady_clock::time_point startTime_;
    std::size_t next_ = 0;   // index of the next tag to send
    std::uint64_t loop_ = 0; // completed passes over the file
    bool stopped_ = false;

    std::atomic<bool> publishing_{false};
    std::atomic<bool> failed_{false};
    std::atomic<std::uint64_t> framesSent_{0};
    std::atomic<std::int64_t> maxLateMs_{0};
    mutable std::mutex errorMutex_;
    std::string error_;
    std::array<std::uint8_t, 16 * 1024> buffer_{};
};

} // namespace stagecast::load
