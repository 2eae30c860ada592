#include "Stream.h"

#include <algorithm>

namespace stagecast::stream {

Stream::Stream(StreamKey key, StreamOptions options) : key_(std::move(key)), options_(options) {}

std::uint64_t Stream::attachPublisher(const PublisherIdentity& who, SteadyTime now) {
    std::lock_guard lock(mutex_);
    ++generation_;
    publisher_ = who;
    publishedSteady_ = now;
    publishedAt_ = std::chrono::system_clock::now();
    resetMediaStateLocked();
    return generation_;
}

void Stream::resetMediaStateLocked() {
    metadata_.reset();
    videoConfig_.reset();
    audioConfig_.reset();
    gop_.clear();
    gopBytes_ = 0;
    gopOverflowed_ = false;
    hasVideo_ = false;
    video_ = {};
    audio_ = {};
    videoBits_ = {};
    audioBits_ = {};
    videoFrames_ = {};
    bytesIn_ = 0;
    videoFrameCount_ = 0;
    audioFrameCount_ = 0;
    lastKeyframeDts_.reset();
    lastVideoDts_.reset();
    lastAudioDts_.reset();
    lastPacketAt_.reset();
    arrivalGaps_ = 0;
    timestampJumps_ = 0;
    keyframeInterval_ = 0;
}

void Stream::noteTimingLocked(const MediaPacket& packet, SteadyTime now) {
    if (lastPacketAt_ && now - *lastPacketAt_ > options_.gapThreshold) {
        ++arrivalGaps_;
    }
    lastPacketAt_ = now;
    auto& last = packet.kind == TrackKind::Video ? lastVideoDts_ : lastAudioDts_;
    if (last) {
        auto step = packet.dts - *last;
        if (step < std::chrono::milliseconds{0} || step > options_.timestampJumpThreshold) {
            ++timestampJumps_;
        }
    }
    last = packet.dts;
}

bool Stream::detachPublisher(std::uint64_t generation, bool endReaders) {
    std::vector<std::shared_ptr<Reader>> toEnd;
    {
        std::lock_guard lock(mutex_);
        if (generation != generation_ || !publisher_) {
            return false;
        }
        publisher_.reset();
        resetMediaStateLocked();
        if (endReaders) {
            for (const auto& entry : readers_) {
                if (entry.endWithPublisher) {
                    toEnd.push_back(entry.reader);
                }
            }
        }
    }
    for (const auto& reader : toEnd) {
        reader->end(ReaderState::StreamEnded);
    }
    return true;
}

bool Stream::live() const {
    std::lock_guard lock(mutex_);
    return publisher_.has_value();
}

std::optional<PublisherIdentity> Stream::publisher() const {
    std::lock_guard lock(mutex_);
    return publisher_;
}

void Stream::push(std::uint64_t generation, const PacketPtr& packet, SteadyTime now) {
    std::lock_guard lock(mutex_);
    if (generation != generation_ || !publisher_) {
        return;
    }
    const auto size = packet->payload.size();
    bytesIn_ += size;
    if (packet->kind == TrackKind::Data) {
        metadata_ = packet;
    } else if (packet->config) {
        (packet->kind == TrackKind::Video ? videoConfig_ : audioConfig_) = packet;
        hasVideo_ = hasVideo_ || packet->kind == TrackKind::Video;
    } else if (packet->kind == TrackKind::Video) {
        hasVideo_ = true;
        noteTimingLocked(*packet, now);
        videoBits_.add(size * 8, now);
        videoFrames_.add(1, now);
        ++videoFrameCount_;
        if (packet->keyframe) {
            if (lastKeyframeDts_ && packet->dts > *lastKeyframeDts_) {
                keyframeInterval_ =
                    std::chrono::duration<double>(packet->dts - *lastKeyframeDts_).count();
            }
            lastKeyframeDts_ = packet->dts;
        }
    } else {
        noteTimingLocked(*packet, now);
        audioBits_.add(size * 8, now);
        ++audioFrameCount_;
    }

    // GOP cache: everything since the last video keyframe, bounded in bytes.
    if (options_.gopCache && !packet->config && packet->kind != TrackKind::Data && hasVideo_) {
        if (packet->kind == TrackKind::Video && packet->keyframe) {
            gop_.clear();
            gopBytes_ = 0;
            gopOverflowed_ = false;
        }
        if (!gopOverflowed_ && (!gop_.empty() || packet->keyframe)) {
            if (gopBytes_ + size > options_.maxGopCacheBytes) {
                gopOverflowed_ = true;
                gop_.clear();
                gopBytes_ = 0;
            } else {
                gop_.push_back(packet);
                gopBytes_ += size;
            }
        }
    }

    for (auto it = readers_.begin(); it != readers_.end();) {
        if (it->reader->push(packet, now) == Reader::PushOutcome::Ended &&
            it->reader->state() == ReaderState::TooSlow) {
            // Keep it listed until its session removes it, but count the disconnect once.
            ++slowDisconnects_;
            retireReaderLocked(*it->reader);
            it = readers_.erase(it);
            continue;
        }
        ++it;
    }
}

void Stream::retireReaderLocked(const Reader& reader) {
    auto c = reader.counters();
    retiredSkips_ += c.skips;
    retiredDroppedBytes_ += c.droppedBytes;
}

void Stream::setVideoInfo(std::uint64_t generation, VideoTrackInfo info) {
    std::lock_guard lock(mutex_);
    if (generation == generation_) {
        video_ = std::move(info);
    }
}

void Stream::setAudioInfo(std::uint64_t generation, AudioTrackInfo info) {
    std::lock_guard lock(mutex_);
    if (generation == generation_) {
        audio_ = std::move(info);
    }
}

void Stream::addReader(const std::shared_ptr<Reader>& reader, bool endWithPublisher,
                       SteadyTime now) {
    std::lock_guard lock(mutex_);
    readers_.push_back({reader, endWithPublisher});
    if (!publisher_) {
        return;
    }
    std::vector<PacketPtr> burst;
    for (const auto& p : {metadata_, videoConfig_, audioConfig_}) {
        if (p) {
            burst.push_back(p);
        }
    }
    burst.insert(burst.end(), gop_.begin(), gop_.end());
    reader->preload(burst, now);
}

void Stream::removeReader(const std::shared_ptr<Reader>& reader) {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(readers_.begin(), readers_.end(),
                           [&](const ReaderEntry& e) { return e.reader == reader; });
    if (it != readers_.end()) {
        retireReaderLocked(*reader);
        readers_.erase(it);
    }
}

void Stream::endReaders(ReaderState reason) {
    std::vector<std::shared_ptr<Reader>> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& e : readers_) {
            all.push_back(e.reader);
        }
    }
    for (const auto& r : all) {
        r->end(reason);
    }
}

bool Stream::idle() const {
    std::lock_guard lock(mutex_);
    return !publisher_ && readers_.empty();
}

StreamSnapshot Stream::snapshot(SteadyTime now) const {
    std::lock_guard lock(mutex_);
    StreamSnapshot s;
    s.key = key_.str();
    s.live = publisher_.has_value();
    if (publisher_) {
        s.publisherId = publisher_->clientId;
        s.publisherProtocol = publisher_->protocol;
        s.publisherAddress = publisher_->address;
        s.publishedAt = publishedAt_;
        s.uptime = std::chrono::duration_cast<std::chrono::milliseconds>(now - publishedSteady_);
    }
    s.video = video_;
    s.audio = audio_;
    s.videoBitrate = videoBits_.perSecond(now);
    s.audioBitrate = audioBits_.perSecond(now);
    s.frameRate = videoFrames_.perSecond(now);
    s.keyframeInterval = keyframeInterval_;
    s.bytesIn = bytesIn_;
    s.videoFrames = videoFrameCount_;
    s.audioFrames = audioFrameCount_;
    s.readers = readers_.size();
    s.readerSkips = retiredSkips_;
    s.readerDroppedBytes = retiredDroppedBytes_;
    for (const auto& e : readers_) {
        auto c = e.reader->counters();
        s.readerSkips += c.skips;
        s.readerDroppedBytes += c.droppedBytes;
    }
    s.readersDisconnectedSlow = slowDisconnects_;
    s.gopCachePackets = gop_.size();
    s.lastVideoDts = lastVideoDts_;
    s.lastAudioDts = lastAudioDts_;
    s.lastKeyframeDts = lastKeyframeDts_;
    if (lastPacketAt_) {
        s.sinceLastPacket =
            std::chrono::duration_cast<std::chrono::milliseconds>(now - *lastPacketAt_);
    }
    s.arrivalGaps = arrivalGaps_;
    s.timestampJumps = timestampJumps_;
    return s;
}

} // namespace stagecast::stream
