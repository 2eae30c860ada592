#pragma once
/// Merges the demuxed audio and video packets into one decode-time order. A video access
/// unit with PES_packet_length 0 is complete only when the next one starts, so video comes
/// out of the TS layer one frame late; audio is held back until video catches up, bounded
/// by a media-time window so a stalled track cannot hold the other one for long.

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "TsDemuxer.h"

namespace stagecast::protocol::mpegts::demux {

class DemuxInterleaver {
public:
    explicit DemuxInterleaver(std::int64_t windowMs, std::size_t maxQueued = 1024)
        : windowMs_(windowMs), maxQueued_(maxQueued) {}

    /// Queues `packet` behind the earlier ones of its kind (order within a kind is kept).
    void push(DemuxedPacket packet);
    /// Whether to wait for `kind` before releasing the other track: true when the PMT
    /// declares it, false when it is gone. A track that made the other one wait longer than
    /// the window is no longer waited for until it sends a packet again.
    void setActive(DemuxedPacket::Kind kind, bool active);
    /// Moves every packet that is now known to be next in decode order to `out`.
    void release(std::vector<DemuxedPacket>& out);
    /// Moves everything to `out` (end of stream).
    void drain(std::vector<DemuxedPacket>& out);

private:
    static std::size_t index(DemuxedPacket::Kind kind) {
        return kind == DemuxedPacket::Kind::Video ? 0 : 1;
    }
    void releaseWhile(std::vector<DemuxedPacket>& out, bool all);

    std::int64_t windowMs_;
    std::size_t maxQueued_;
    std::array<std::deque<DemuxedPacket>, 2> queues_;
    std::array<bool, 2> active_{};
    std::array<std::int64_t, 2> newestDts_{};
    std::array<std::int64_t, 2> lastReleasedDts_{std::numeric_limits<std::int64_t>::min(),
                                                 std::numeric_limits<std::int64_t>::min()};
};

} // namespace stagecast::protocol::mpegts::demux
