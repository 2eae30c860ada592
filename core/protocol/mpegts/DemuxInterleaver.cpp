#include "DemuxInterleaver.h"

#include <algorithm>

namespace stagecast::protocol::mpegts::demux {

void DemuxInterleaver::push(DemuxedPacket packet) {
    const std::size_t i = index(packet.kind);
    active_[i] = true;
    newestDts_[i] = queues_[i].empty() ? packet.dtsMs : std::max(newestDts_[i], packet.dtsMs);
    queues_[i].push_back(std::move(packet));
}

void DemuxInterleaver::setActive(DemuxedPacket::Kind kind, bool active) {
    active_[index(kind)] = active;
}

void DemuxInterleaver::release(std::vector<DemuxedPacket>& out) {
    releaseWhile(out, false);
}

void DemuxInterleaver::drain(std::vector<DemuxedPacket>& out) {
    releaseWhile(out, true);
}

void DemuxInterleaver::releaseWhile(std::vector<DemuxedPacket>& out, bool all) {
    for (;;) {
        const bool haveVideo = !queues_[0].empty();
        const bool haveAudio = !queues_[1].empty();
        if (!haveVideo && !haveAudio) {
            return;
        }
        // The earliest head goes first; on a tie video, so its config precedes the frame's
        // audio (either order is valid).
        std::size_t pick = 0;
        if (!haveVideo || (haveAudio && queues_[1].front().dtsMs < queues_[0].front().dtsMs)) {
            pick = 1;
        }
        const std::size_t other = 1 - pick;
        if (!all && queues_[other].empty() && active_[other] &&
            queues_[pick].front().dtsMs > lastReleasedDts_[other]) {
            // The other track may still produce something earlier (its dts only grows, so
            // not earlier than what it last released). Wait, unless it has fallen too far
            // behind in media time or too much is queued.
            const std::int64_t ahead = newestDts_[pick] - queues_[pick].front().dtsMs;
            if (ahead <= windowMs_ && queues_[pick].size() < maxQueued_) {
                return;
            }
            // Stop waiting for it until it sends again (declared but silent, or stalled).
            active_[other] = false;
        }
        lastReleasedDts_[pick] = queues_[pick].front().dtsMs;
        out.push_back(std::move(queues_[pick].front()));
        queues_[pick].pop_front();
    }
}

} // namespace stagecast::protocol::mpegts::demux
