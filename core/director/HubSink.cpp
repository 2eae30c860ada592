#include "director/HubSink.h"

#include "base/Log.h"
#include "director/FlvPayload.h"
#include "protocol/codec/CodecConfig.h"

namespace stagecast::director {

namespace {

std::int64_t toMs(std::int64_t value, std::int32_t num, std::int32_t den) {
    if (den <= 0 || num <= 0) {
        return 0;
    }
    const auto scaled = value * 1000 * num;
    // Floor, so a negative decode time (B-frames before the first shown picture) stays ordered.
    return scaled >= 0 ? scaled / den : -((-scaled + den - 1) / den);
}

stream::PacketPtr makePacket(stream::TrackKind kind, std::int64_t dts, std::int64_t cts,
                             bool keyframe, bool config, std::vector<std::uint8_t> payload) {
    auto p = std::make_shared<stream::MediaPacket>();
    p->kind = kind;
    p->dts = std::chrono::milliseconds(dts);
    p->cts = std::chrono::milliseconds(cts);
    p->keyframe = keyframe;
    p->config = config;
    p->payload = std::move(payload);
    return p;
}

std::span<const std::uint8_t> extraData(obs_encoder_t* encoder) {
    std::uint8_t* data = nullptr;
    size_t size = 0;
    if (encoder == nullptr || !obs_encoder_get_extra_data(encoder, &data, &size) ||
        data == nullptr) {
        return {};
    }
    return {data, size};
}

} // namespace

HubSink::HubSink(stream::Hub& hub, stream::StreamKey key, obs_output_t* output)
    : hub_(hub), key_(std::move(key)), output_(output),
      label_(obs_output_get_name(output) != nullptr ? obs_output_get_name(output) : "program") {}

HubSink::~HubSink() {
    stop();
}

void HubSink::fail(const std::string& message) {
    {
        std::lock_guard lock(errorMutex_);
        if (message == lastError_) {
            return;
        }
        lastError_ = message;
    }
    base::log(base::LogLevel::Warning, "director", label_ + " " + key_.str() + ": " + message);
}

bool HubSink::start() {
    if (!obs_output_can_begin_data_capture(output_, 0)) {
        fail("the output cannot start capturing");
        return false;
    }
    if (!obs_output_initialize_encoders(output_, 0)) {
        fail("the encoders failed to start");
        return false;
    }
    {
        std::lock_guard lock(mutex_);
        auto published = hub_.publish({.key = key_,
                                       .who = {0, "director", "internal"},
                                       .onEvicted = [this](const std::string& reason) {
                                           evicted_ = true;
                                           (void)reason;
                                       }});
        if (!published) {
            fail(published.error().message());
            obs_output_set_last_error(output_, published.error().message().c_str());
            return false;
        }
        publisher_ = std::move(*published);
        publisher_->setEndReason("the director stopped");
        videoConfigSent_ = false;
        audioConfigSent_ = false;
        evicted_ = false;
    }
    if (!obs_output_begin_data_capture(output_, 0)) {
        std::lock_guard lock(mutex_);
        publisher_.reset();
        fail("the output did not begin capturing");
        return false;
    }
    active_ = true;
    base::log(base::LogLevel::Info, "director", label_ + " publishes " + key_.str());
    return true;
}

void HubSink::stop() {
    if (active_.exchange(false)) {
        obs_output_end_data_capture(output_);
    }
    std::lock_guard lock(mutex_);
    publisher_.reset();
}

void HubSink::packet(const encoder_packet& packet) {
    std::lock_guard lock(mutex_);
    if (!publisher_) {
        return;
    }
    if (evicted_) {
        fail("another publisher took the stream over; the " + label_ + " is no longer published");
        publisher_->setEndReason("taken over");
        publisher_.reset();
        return;
    }
    if (packet.type == OBS_ENCODER_VIDEO) {
        pushVideo(packet);
    } else if (packet.type == OBS_ENCODER_AUDIO) {
        pushAudio(packet);
    }
    bytes_ += packet.size;
}

void HubSink::pushVideo(const encoder_packet& packet) {
    const auto dts = toMs(packet.dts, packet.timebase_num, packet.timebase_den);
    if (!videoConfigSent_) {
        auto record = avcConfigRecord(extraData(packet.encoder));
        if (!record) {
            fail("video: " + record.error().message());
            return;
        }
        if (auto parsed = protocol::codec::parseAvcConfig(*record)) {
            stream::VideoTrackInfo info;
            info.codec = parsed->codec;
            info.profile = parsed->profile;
            info.level = parsed->level;
            info.width = parsed->width;
            info.height = parsed->height;
            info.nominalFrameRate = parsed->frameRate;
            publisher_->setVideoInfo(info);
        }
        publisher_->push(
            makePacket(stream::TrackKind::Video, dts, 0, false, true, avcSequenceHeader(*record)));
        videoConfigSent_ = true;
    }
    const auto pts = toMs(packet.pts, packet.timebase_num, packet.timebase_den);
    if (firstPtsUsec_ < 0) {
        firstSystemUsec_ = packet.sys_dts_usec;
        firstPtsUsec_ = pts * 1000;
    }
    auto data = toLengthPrefixed({packet.data, packet.size});
    publisher_->push(
        makePacket(stream::TrackKind::Video, dts, pts - dts, packet.keyframe, false,
                   avcFrame(packet.keyframe, static_cast<std::int32_t>(pts - dts), data)));
    ++videoPackets_;
}

void HubSink::pushAudio(const encoder_packet& packet) {
    const auto dts = toMs(packet.dts, packet.timebase_num, packet.timebase_den);
    if (!audioConfigSent_) {
        auto asc = extraData(packet.encoder);
        if (asc.size() < 2) {
            fail("audio: the AAC encoder gave no AudioSpecificConfig");
            return;
        }
        stream::AudioTrackInfo info;
        info.codec = "aac";
        if (auto parsed = protocol::codec::parseAacConfig(asc)) {
            info.profile = parsed->profile;
            info.sampleRate = parsed->sampleRate;
            info.channels = parsed->channels;
        }
        publisher_->setAudioInfo(info);
        publisher_->push(
            makePacket(stream::TrackKind::Audio, dts, 0, false, true, aacSequenceHeader(asc)));
        audioConfigSent_ = true;
    }
    publisher_->push(makePacket(stream::TrackKind::Audio, dts, 0, false, false,
                                aacFrame({packet.data, packet.size})));
    ++audioPackets_;
}

std::optional<std::int64_t> HubSink::programTimeMs(std::int64_t systemUsec) const {
    const auto firstPts = firstPtsUsec_.load();
    if (firstPts < 0) {
        return std::nullopt;
    }
    return (systemUsec - firstSystemUsec_.load() + firstPts) / 1000;
}

ProgramFigures HubSink::figures() const {
    ProgramFigures f;
    f.active = active_;
    f.videoPackets = videoPackets_;
    f.audioPackets = audioPackets_;
    f.bytes = bytes_;
    std::lock_guard lock(errorMutex_);
    f.lastError = lastError_;
    return f;
}

} // namespace stagecast::director
