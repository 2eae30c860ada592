#include "media/transcode/RenditionWorker.h"

extern "C" {
#include <libavutil/frame.h>
}

#include "base/Log.h"
#include "protocol/codec/CodecConfig.h"
#include "protocol/flv/Flv.h"

namespace stagecast::media::transcode {

namespace {

// Audio held for interleaving beyond this many packets (about 4 s of AAC) goes out anyway:
// the video has stopped (encoder failure), the audio should not.
constexpr std::size_t kMaxHeldAudio = 200;

} // namespace

RenditionWorker::RenditionWorker(stream::Hub& hub, stream::StreamKey key, EncoderSettings settings,
                                 std::size_t maxQueuedFrames)
    : hub_(hub), key_(std::move(key)), settings_(std::move(settings)),
      maxQueuedFrames_(std::max<std::size_t>(maxQueuedFrames, 1)) {
    status_.name = settings_.rendition.tmpl.name;
    status_.stream = key_.str();
    status_.width = settings_.rendition.width;
    status_.height = settings_.rendition.height;
    status_.tmpl = settings_.rendition.tmpl;
}

RenditionWorker::~RenditionWorker() {
    finish();
}

void RenditionWorker::start() {
    thread_ = std::thread([this] { run(); });
}

bool RenditionWorker::submitFrame(const AVFrame& frame, std::int64_t grid) {
    {
        std::lock_guard lock(mutex_);
        if (finishing_) {
            return false;
        }
        bool drop = skipGrid_ && *skipGrid_ == grid;
        if (!drop) {
            skipGrid_.reset();
            if (queuedFrames_ >= maxQueuedFrames_) {
                drop = true;
                skipGrid_ = grid;
                std::lock_guard statusLock(statusMutex_);
                ++status_.droppedGops;
            }
        }
        if (drop) {
            std::lock_guard statusLock(statusMutex_);
            ++status_.droppedFrames;
            return false;
        }
        Item item;
        item.frame = allocFrame();
        if (!item.frame || av_frame_ref(item.frame.get(), &frame) < 0) {
            return false;
        }
        item.grid = grid;
        queue_.push_back(std::move(item));
        ++queuedFrames_;
    }
    cv_.notify_one();
    return true;
}

void RenditionWorker::submitAudio(const stream::PacketPtr& packet) {
    {
        std::lock_guard lock(mutex_);
        if (finishing_) {
            return;
        }
        Item item;
        item.audio = packet;
        queue_.push_back(std::move(item));
    }
    cv_.notify_one();
}

void RenditionWorker::finish() {
    {
        std::lock_guard lock(mutex_);
        finishing_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

RenditionStatus RenditionWorker::status() const {
    RenditionStatus s;
    {
        std::lock_guard lock(statusMutex_);
        s = status_;
    }
    return s;
}

void RenditionWorker::setError(const std::string& message) {
    base::log(base::LogLevel::Warning, "transcode", key_.str() + ": " + message);
    std::lock_guard lock(statusMutex_);
    status_.lastError = message;
}

void RenditionWorker::run() {
    auto opened = RenditionEncoder::open(settings_);
    std::unique_ptr<RenditionEncoder> encoder;
    if (opened) {
        encoder = std::move(*opened);
        std::lock_guard lock(statusMutex_);
        status_.codecs = avcCodecString(encoder->record()).value_or("");
    } else {
        setError(opened.error().message());
    }
    auto published = hub_.publish({key_, {0, "transcode", "internal"}, {}});
    if (published) {
        publisher_ = std::move(*published);
        std::lock_guard lock(statusMutex_);
        status_.live = true;
    } else {
        setError(published.error().message());
    }
    windowStart_ = std::chrono::steady_clock::now();
    std::vector<stream::PacketPtr> out;
    while (true) {
        Item item;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return finishing_ || !queue_.empty(); });
            if (queue_.empty()) {
                break; // finishing and everything queued is done
            }
            item = std::move(queue_.front());
            queue_.pop_front();
            if (item.frame) {
                --queuedFrames_;
            }
            std::lock_guard statusLock(statusMutex_);
            status_.queuedFrames = queuedFrames_;
        }
        if (item.audio) {
            heldAudio_.push_back(std::move(item.audio));
            if (!encoder || heldAudio_.size() > kMaxHeldAudio) {
                publishAudio(heldAudio_.front());
                heldAudio_.pop_front();
            }
            continue;
        }
        if (encoder) {
            encodeFrame(*encoder, item, out);
        }
    }
    if (encoder) {
        out.clear();
        if (auto ok = encoder->flush(out); !ok) {
            setError(ok.error().message());
        }
        publishVideo(out);
    }
    releaseAudio(std::nullopt);
    if (publisher_) {
        publisher_->setEndReason("transcode ended");
        publisher_.reset();
    }
    std::lock_guard lock(statusMutex_);
    status_.live = false;
    status_.fps = 0;
    status_.speed = 0;
}

void RenditionWorker::encodeFrame(RenditionEncoder& encoder, Item& item,
                                  std::vector<stream::PacketPtr>& out) {
    const bool forceIdr = !lastGrid_ || *lastGrid_ != item.grid;
    lastGrid_ = item.grid;
    out.clear();
    if (auto ok = encoder.encode(*item.frame, forceIdr, out); !ok) {
        setError(ok.error().message());
        return;
    }
    const auto pts = item.frame->pts;
    item.frame.reset();
    publishVideo(out);

    ++windowFrames_;
    if (!windowFirstPts_) {
        windowFirstPts_ = pts;
    }
    lastPts_ = pts;
    const auto now = std::chrono::steady_clock::now();
    const auto elapsed = std::chrono::duration<double>(now - windowStart_).count();
    std::lock_guard lock(statusMutex_);
    ++status_.encodedFrames;
    if (elapsed >= 1.0) {
        status_.fps = static_cast<double>(windowFrames_) / elapsed;
        // Pictures encoded against pictures the source sends: dropped ones do not count.
        status_.speed = settings_.frameRate > 0 ? status_.fps / settings_.frameRate : 0;
        windowStart_ = now;
        windowFrames_ = 0;
        windowFirstPts_ = lastPts_;
    }
}

void RenditionWorker::publishVideo(const std::vector<stream::PacketPtr>& packets) {
    for (const auto& p : packets) {
        if (publisher_ && p->config) {
            auto record = std::span(p->payload).subspan(5);
            if (auto parsed = protocol::codec::parseAvcConfig(record)) {
                stream::VideoTrackInfo info;
                info.codec = parsed->codec;
                info.profile = parsed->profile;
                info.level = parsed->level;
                info.width = parsed->width;
                info.height = parsed->height;
                info.nominalFrameRate =
                    parsed->frameRate > 0 ? parsed->frameRate : settings_.frameRate;
                publisher_->setVideoInfo(info);
            }
        }
        // Audio up to this picture's time first, so the stream stays in dts order.
        if (!p->config) {
            releaseAudio(p->dts);
        }
        if (publisher_) {
            publisher_->push(p);
        }
    }
}

void RenditionWorker::releaseAudio(std::optional<std::chrono::milliseconds> upTo) {
    while (!heldAudio_.empty() &&
           (!upTo || heldAudio_.front()->config || heldAudio_.front()->dts <= *upTo)) {
        publishAudio(heldAudio_.front());
        heldAudio_.pop_front();
    }
}

void RenditionWorker::publishAudio(const stream::PacketPtr& packet) {
    if (!publisher_) {
        return;
    }
    if (packet->config) {
        if (auto tag = protocol::flv::parseAudioTag(packet->payload); tag && tag->sequenceHeader) {
            stream::AudioTrackInfo info;
            info.codec = "aac";
            if (auto asc = protocol::codec::parseAacConfig(
                    std::span(packet->payload).subspan(tag->payloadOffset))) {
                info.profile = asc->profile;
                info.sampleRate = asc->sampleRate;
                info.channels = asc->channels;
            }
            publisher_->setAudioInfo(info);
        }
    }
    publisher_->push(packet);
}

} // namespace stagecast::media::transcode
