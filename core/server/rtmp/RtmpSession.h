#pragma once
/// One RTMP connection: handshake, chunk stream, NetConnection/NetStream commands, and either
/// publishing into the hub or playing from it. Publish and play share the port.
///
/// Threads: lives on one io_context thread; every member runs there. Outside callers (kick,
/// reader wake-ups, shutdown) post onto it.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/Result.h"
#include "protocol/rtmp/ChunkReader.h"
#include "protocol/rtmp/ChunkWriter.h"
#include "protocol/rtmp/Command.h"
#include "protocol/rtmp/Handshake.h"
#include "protocol/rtmp/Message.h"
#include "server/ClientRegistry.h"
#include "server/MediaIngest.h"
#include "server/PlayerWakeup.h"
#include "server/ServerContext.h"
#include "server/rtmp/RtmpPlayWriter.h"
#include "stream/Hub.h"

namespace stagecast::server::rtmp {

class RtmpSession : public std::enable_shared_from_this<RtmpSession> {
public:
    RtmpSession(ServerContext& ctx, boost::asio::ip::tcp::socket socket);
    /// Admits the client and starts reading; call once, from any thread.
    void start();

private:
    void begin();
    void readSome();
    void onRead(const boost::system::error_code& ec, std::size_t n);
    base::Status onMessage(protocol::rtmp::Message&& message);
    base::Status onCommand(const protocol::rtmp::Command& command, std::uint32_t streamId);
    base::Status onConnect(const protocol::rtmp::Command& command);
    base::Status onPublish(const protocol::rtmp::Command& command, std::uint32_t streamId);
    base::Status onPlay(const protocol::rtmp::Command& command, std::uint32_t streamId);
    void onPublishChecked(const stream::StreamKey& key, std::uint32_t streamId,
                          const std::string& param, bool allowed, const std::string& reason);
    void startPublish(const stream::StreamKey& key, std::uint32_t streamId,
                      const std::string& param);
    void endStream(const char* why);
    void refuse(std::uint32_t streamId, const char* code, const std::string& reason);

    void send(const protocol::rtmp::Message& message);
    void flush();
    void onReaderEnded(stream::ReaderState state);
    void armTimer();
    void postClose(const std::string& reason);
    void close(const std::string& reason);
    std::string describe() const;

    ServerContext& ctx_;
    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer timer_;
    std::string address_;
    std::shared_ptr<ClientInfo> client_;
    bool closed_ = false;
    bool closeAfterFlush_ = false;
    std::chrono::steady_clock::time_point lastInput_;

    protocol::rtmp::ServerHandshake handshake_;
    protocol::rtmp::ChunkReader reader_;
    protocol::rtmp::ChunkWriter writer_;
    protocol::rtmp::TimestampUnwrapper timeline_;
    /// Small until the connection publishes: a player only sends acknowledgements, and a
    /// thousand players should not hold 64 KiB each.
    std::vector<std::uint8_t> readBuffer_ = std::vector<std::uint8_t>(4096);
    std::uint32_t ackWindow_ = 0;
    std::uint64_t lastAck_ = 0;

    std::string app_;
    std::string connectQuery_;
    std::string tcUrl_; // from connect, query redacted
    /// A publish waits for the on_publish webhook's verdict; commands that would start
    /// another publish or play meanwhile end the session.
    bool publishChecking_ = false;
    static constexpr std::size_t kMaxFlashVerBytes = 256;
    std::string flashVer_;
    std::uint32_t nextStreamId_ = 1;

    std::unique_ptr<stream::Publisher> publisher_;
    std::unique_ptr<MediaIngest> ingest_;
    std::unique_ptr<stream::Subscription> subscription_;
    std::uint32_t playStreamId_ = 0;
    std::optional<PlayerWakeup> wakeup_;

    std::vector<std::uint8_t> controlOut_;
    RtmpPlayWriter playWriter_;
    bool writing_ = false;
};

} // namespace stagecast::server::rtmp
