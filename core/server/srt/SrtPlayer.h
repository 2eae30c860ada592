#pragma once
/// One SRT caller in `m=request` mode: a hub reader whose packets are muxed into MPEG-TS
/// (core/protocol/mpegts) and sent as SRT live messages of 7 TS packets.
///
/// Runs on the SRT listener's thread only. It never blocks: sends are non-blocking, and what
/// the socket does not take waits in a bounded buffer; while that buffer is full the reader
/// is not drained, so the hub's overflow policy (skip to a keyframe, then disconnect) deals
/// with a caller whose link is too slow, as it does for RTMP and HTTP-FLV players.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/Result.h"
#include "protocol/mpegts/TsMuxer.h"
#include "stream/Hub.h"

namespace stagecast::server::srt {

class SrtPlayer {
public:
    SrtPlayer(int socket, std::unique_ptr<stream::Subscription> subscription);

    /// Drains the reader, muxes, sends what the socket takes. Fails (with the reason to log)
    /// when the session must end: the stream ended, the reader was dropped, the link broke.
    /// Returns the bytes handed to libsrt.
    base::Result<std::size_t> pump(stream::SteadyTime now);

    const stream::StreamKey& key() const { return subscription_->key(); }
    std::size_t pendingBytes() const { return pending_.size() - sent_; }
    /// Packets the hub's overflow policy skipped for this reader so far.
    std::uint64_t droppedPackets() const {
        return subscription_->reader().counters().droppedPackets;
    }

    /// Bytes of TS kept for a caller that does not take them fast enough.
    static constexpr std::size_t kMaxPendingBytes = 4 * 1024 * 1024;
    /// One SRT live message: 7 TS packets (libsrt's default payload size).
    static constexpr std::size_t kMessageBytes = 7 * 188;

private:
    void mux(const stream::MediaPacket& packet);
    base::Result<std::size_t> send();

    int socket_;
    std::unique_ptr<stream::Subscription> subscription_;
    protocol::mpegts::TsMuxer muxer_;
    std::vector<stream::PacketPtr> batch_;
    std::vector<std::uint8_t> pending_;
    std::size_t sent_ = 0;
    bool tablesDue_ = true;
    std::int64_t lastTablesMs_ = 0;
};

} // namespace stagecast::server::srt
