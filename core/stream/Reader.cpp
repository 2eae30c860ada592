#include "Reader.h"

#include <algorithm>

namespace stagecast::stream {

const char* toString(ReaderState state) {
    switch (state) {
    case ReaderState::Open:
        return "open";
    case ReaderState::StreamEnded:
        return "stream ended";
    case ReaderState::TooSlow:
        return "reader is too slow";
    case ReaderState::Kicked:
        return "kicked";
    }
    return "unknown";
}

Reader::Reader(std::uint64_t clientId, ReaderPolicy policy, Notify notify)
    : clientId_(clientId), policy_(policy), notify_(std::move(notify)) {}

ReaderState Reader::drain(std::vector<PacketPtr>& out, std::size_t maxBytes, SteadyTime now) {
    std::lock_guard lock(mutex_);
    lastProgress_ = now;
    behindSince_.reset();
    std::size_t taken = 0;
    while (!queue_.empty()) {
        const auto& front = queue_.front();
        std::size_t size = front->payload.size();
        if (taken > 0 && taken + size > maxBytes) {
            break;
        }
        taken += size;
        queuedBytes_ -= size;
        counters_.deliveredPackets++;
        counters_.deliveredBytes += size;
        out.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    if (!queue_.empty()) {
        return ReaderState::Open;
    }
    return state_;
}

ReaderState Reader::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

ReaderCounters Reader::counters() const {
    std::lock_guard lock(mutex_);
    ReaderCounters c = counters_;
    c.queuedPackets = queue_.size();
    c.queuedBytes = queuedBytes_;
    return c;
}

Reader::PushOutcome Reader::push(const PacketPtr& packet, SteadyTime now) {
    bool wake = false;
    PushOutcome outcome = PushOutcome::Queued;
    {
        std::lock_guard lock(mutex_);
        if (state_ != ReaderState::Open) {
            return PushOutcome::Ended;
        }
        if (waitingForKeyframe_) {
            bool isVideoKey = packet->kind == TrackKind::Video && packet->keyframe;
            if (isVideoKey) {
                waitingForKeyframe_ = false;
            } else if (!packet->config) {
                counters_.droppedPackets++;
                counters_.droppedBytes += packet->payload.size();
                return PushOutcome::Skipped;
            }
        }
        if (queue_.empty()) {
            wake = true;
            if (!behindSince_) {
                lastProgress_ = now;
            }
        }
        queue_.push_back(packet);
        queuedBytes_ += packet->payload.size();

        // Decoder configs kept at the head carry old timestamps: measure from the first
        // media packet.
        auto first = queue_.begin();
        while (std::next(first) != queue_.end() && (*first)->config) {
            ++first;
        }
        auto head = (*first)->dts;
        if (spanBaseline_ && *spanBaseline_ > head) {
            head = *spanBaseline_;
        }
        auto span = queue_.back()->dts - head;
        bool stalled = now - lastProgress_ > policy_.disconnectAfter;
        if (span > policy_.skipBacklog || queuedBytes_ > policy_.maxBacklogBytes || stalled) {
            skipLocked(now);
            outcome = PushOutcome::Skipped;
        }
        if (behindSince_ && (now - *behindSince_ > policy_.disconnectAfter || stalled)) {
            state_ = ReaderState::TooSlow;
            for (const auto& p : queue_) {
                counters_.droppedPackets++;
                counters_.droppedBytes += p->payload.size();
            }
            queue_.clear();
            queuedBytes_ = 0;
            outcome = PushOutcome::Ended;
            wake = true;
        }
    }
    if (wake && notify_) {
        notify_();
    }
    return outcome;
}

void Reader::skipLocked(SteadyTime now) {
    counters_.skips++;
    if (!behindSince_) {
        behindSince_ = now;
    }
    // Keep the newest queued keyframe and what follows it, if there is one after the head;
    // otherwise drop all media and wait for the next keyframe. Decoder configs always stay.
    auto newestKey = std::find_if(queue_.rbegin(), queue_.rend(), [](const PacketPtr& p) {
        return p->kind == TrackKind::Video && p->keyframe && !p->config;
    });
    std::deque<PacketPtr> kept;
    std::size_t keptBytes = 0;
    auto keepFrom = newestKey == queue_.rend() ? queue_.end() : std::prev(newestKey.base());
    if (keepFrom == queue_.begin()) {
        // The head itself is the newest keyframe: nothing newer to jump to.
        keepFrom = queue_.end();
    }
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
        if (it >= keepFrom || (*it)->config) {
            keptBytes += (*it)->payload.size();
            kept.push_back(std::move(*it));
        } else {
            counters_.droppedPackets++;
            counters_.droppedBytes += (*it)->payload.size();
        }
    }
    waitingForKeyframe_ = keepFrom == queue_.end();
    queue_ = std::move(kept);
    queuedBytes_ = keptBytes;
}

void Reader::preload(const std::vector<PacketPtr>& packets, SteadyTime now) {
    if (packets.empty()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        if (state_ != ReaderState::Open) {
            return;
        }
        lastProgress_ = now;
        for (const auto& p : packets) {
            queue_.push_back(p);
            queuedBytes_ += p->payload.size();
        }
        spanBaseline_ = packets.back()->dts;
    }
    if (notify_) {
        notify_();
    }
}

void Reader::end(ReaderState reason) {
    {
        std::lock_guard lock(mutex_);
        if (state_ != ReaderState::Open) {
            return;
        }
        state_ = reason;
    }
    if (notify_) {
        notify_();
    }
}

} // namespace stagecast::stream
