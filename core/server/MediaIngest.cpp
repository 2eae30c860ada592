#include "MediaIngest.h"

#include <memory>

#include "protocol/amf0/Amf0.h"
#include "protocol/codec/CodecConfig.h"
#include "protocol/flv/Flv.h"

namespace stagecast::server {

namespace flv = protocol::flv;
namespace codec = protocol::codec;

namespace {

stream::PacketPtr makePacket(stream::TrackKind kind, std::int64_t ts, std::int32_t cts,
                             bool keyframe, bool config, std::span<const std::uint8_t> payload) {
    auto p = std::make_shared<stream::MediaPacket>();
    p->kind = kind;
    p->dts = std::chrono::milliseconds(ts);
    p->cts = std::chrono::milliseconds(cts);
    p->keyframe = keyframe;
    p->config = config;
    p->payload.assign(payload.begin(), payload.end());
    return p;
}

const char* audioCodecName(flv::AudioCodec c) {
    switch (c) {
    case flv::AudioCodec::Aac:
        return "aac";
    case flv::AudioCodec::Mp3:
        return "mp3";
    case flv::AudioCodec::G711A:
        return "pcm_alaw";
    case flv::AudioCodec::G711U:
        return "pcm_mulaw";
    case flv::AudioCodec::Speex:
        return "speex";
    case flv::AudioCodec::Opus:
        return "opus";
    case flv::AudioCodec::Unknown:
        break;
    }
    return "unknown";
}

} // namespace

base::Status MediaIngest::onVideo(std::int64_t timestampMs, std::span<const std::uint8_t> payload) {
    if (payload.empty()) {
        return {}; // some encoders send empty video messages as keep-alives
    }
    auto info = flv::parseVideoTag(payload);
    if (!info) {
        return base::fail(info.error());
    }
    bool config = info->kind == flv::VideoPacketKind::SequenceHeader;
    if (config) {
        auto record = payload.subspan(info->payloadOffset);
        base::Result<codec::VideoConfig> parsed = base::fail("unsupported codec");
        switch (info->codec) {
        case flv::VideoCodec::H264:
            parsed = codec::parseAvcConfig(record);
            break;
        case flv::VideoCodec::Hevc:
            parsed = codec::parseHevcConfig(record);
            break;
        case flv::VideoCodec::Av1:
            parsed = codec::parseAv1Config(record);
            break;
        default:
            break;
        }
        if (parsed) {
            video_.codec = parsed->codec;
            video_.profile = parsed->profile;
            video_.level = parsed->level;
            video_.width = parsed->width;
            video_.height = parsed->height;
            video_.nominalFrameRate =
                parsed->frameRate > 0 ? parsed->frameRate : metadataFrameRate_;
        } else {
            video_ = {};
            video_.codec = info->codec == flv::VideoCodec::Vp9 ? "vp9" : "unknown";
            video_.nominalFrameRate = metadataFrameRate_;
        }
        publisher_.setVideoInfo(video_);
    }
    bool keyframe = info->keyframe && info->kind == flv::VideoPacketKind::CodedFrames;
    ++packets_;
    publisher_.push(makePacket(stream::TrackKind::Video, timestampMs, info->compositionTime,
                               keyframe, config, payload));
    return {};
}

base::Status MediaIngest::onAudio(std::int64_t timestampMs, std::span<const std::uint8_t> payload) {
    if (payload.empty()) {
        return {};
    }
    auto info = flv::parseAudioTag(payload);
    if (!info) {
        return base::fail(info.error());
    }
    if (info->sequenceHeader) {
        audioDescribed_ = true;
        stream::AudioTrackInfo audio;
        audio.codec = audioCodecName(info->codec);
        if (auto asc = codec::parseAacConfig(payload.subspan(info->payloadOffset))) {
            audio.profile = asc->profile;
            audio.sampleRate = asc->sampleRate;
            audio.channels = asc->channels;
        }
        publisher_.setAudioInfo(audio);
    } else if (info->codec != flv::AudioCodec::Aac && !audioDescribed_) {
        audioDescribed_ = true;
        stream::AudioTrackInfo audio;
        audio.codec = audioCodecName(info->codec);
        audio.sampleRate = info->sampleRate;
        audio.channels = info->channels;
        publisher_.setAudioInfo(audio);
    }
    ++packets_;
    publisher_.push(
        makePacket(stream::TrackKind::Audio, timestampMs, 0, false, info->sequenceHeader, payload));
    return {};
}

base::Status MediaIngest::onMetadata(std::int64_t timestampMs,
                                     std::span<const std::uint8_t> payload) {
    auto values = protocol::amf0::decodeAll(payload);
    if (!values) {
        return base::fail(values.error());
    }
    if (values->size() >= 2) {
        if (auto fps = (*values)[1].get("framerate"); fps && fps->asNumber()) {
            metadataFrameRate_ = *fps->asNumber();
            if (!video_.codec.empty() && video_.nominalFrameRate == 0) {
                video_.nominalFrameRate = metadataFrameRate_;
                publisher_.setVideoInfo(video_);
            }
        }
    }
    publisher_.push(makePacket(stream::TrackKind::Data, timestampMs, 0, false, false, payload));
    return {};
}

} // namespace stagecast::server
