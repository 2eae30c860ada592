#include "TrackConfig.h"

#include "protocol/codec/CodecConfig.h"
#include "protocol/flv/Flv.h"

namespace stagecast::media::record {

namespace flv = protocol::flv;
namespace codec = protocol::codec;

const char* toString(VideoCodecId codec) {
    switch (codec) {
    case VideoCodecId::H264:
        return "h264";
    case VideoCodecId::Hevc:
        return "hevc";
    }
    return "unknown";
}

std::string describe(const TrackSet& tracks) {
    std::string out;
    if (tracks.video) {
        out += std::string(toString(tracks.video->codec)) + " " +
               std::to_string(tracks.video->width) + "x" + std::to_string(tracks.video->height);
    }
    if (tracks.audio) {
        if (!out.empty()) {
            out += ", ";
        }
        out += "aac " + std::to_string(tracks.audio->sampleRate) + " Hz " +
               std::to_string(tracks.audio->channels) + " ch";
    }
    return out.empty() ? "no tracks" : out;
}

base::Result<VideoTrack> videoTrackFrom(const stream::MediaPacket& config) {
    auto info = flv::parseVideoTag(config.payload);
    if (!info) {
        return base::fail("video configuration: " + info.error().message());
    }
    if (info->kind != flv::VideoPacketKind::SequenceHeader) {
        return base::fail("video configuration: not a sequence header");
    }
    const auto record = std::span(config.payload).subspan(info->payloadOffset);
    VideoTrack track;
    base::Result<codec::VideoConfig> parsed = base::fail("unsupported");
    switch (info->codec) {
    case flv::VideoCodec::H264:
        track.codec = VideoCodecId::H264;
        parsed = codec::parseAvcConfig(record);
        break;
    case flv::VideoCodec::Hevc:
        track.codec = VideoCodecId::Hevc;
        parsed = codec::parseHevcConfig(record);
        break;
    case flv::VideoCodec::Av1:
        return base::fail("video codec av1 is not recorded: supported h264, hevc");
    case flv::VideoCodec::Vp9:
        return base::fail("video codec vp9 is not recorded: supported h264, hevc");
    case flv::VideoCodec::Unknown:
        return base::fail("video codec unknown is not recorded: supported h264, hevc");
    }
    if (!parsed) {
        return base::fail(std::string(toString(track.codec)) +
                          " configuration: " + parsed.error().message());
    }
    if (parsed->width == 0 || parsed->height == 0) {
        return base::fail(std::string(toString(track.codec)) +
                          " configuration: the picture size is missing");
    }
    track.config.assign(record.begin(), record.end());
    track.width = parsed->width;
    track.height = parsed->height;
    return track;
}

base::Result<AudioTrack> audioTrackFrom(const stream::MediaPacket& config) {
    auto info = flv::parseAudioTag(config.payload);
    if (!info) {
        return base::fail("audio configuration: " + info.error().message());
    }
    if (info->codec != flv::AudioCodec::Aac) {
        return base::fail("audio sound format " + std::to_string(info->soundFormat) +
                          " is not recorded: supported AAC (10)");
    }
    if (!info->sequenceHeader) {
        return base::fail("audio configuration: not an AAC sequence header");
    }
    const auto asc = std::span(config.payload).subspan(info->payloadOffset);
    auto parsed = codec::parseAacConfig(asc);
    if (!parsed) {
        return base::fail("aac configuration: " + parsed.error().message());
    }
    if (parsed->sampleRate == 0 || parsed->channels == 0) {
        return base::fail("aac configuration: sample rate or channel count missing");
    }
    AudioTrack track;
    track.config.assign(asc.begin(), asc.end());
    track.sampleRate = parsed->sampleRate;
    track.channels = parsed->channels;
    return track;
}

base::Result<CodedPayload> codedPayload(const stream::MediaPacket& packet) {
    if (packet.payload.empty()) {
        return CodedPayload{};
    }
    if (packet.kind == stream::TrackKind::Video) {
        auto info = flv::parseVideoTag(packet.payload);
        if (!info) {
            return base::fail("video packet: " + info.error().message());
        }
        if (info->kind != flv::VideoPacketKind::CodedFrames) {
            return CodedPayload{};
        }
        auto data = std::span(packet.payload).subspan(info->payloadOffset);
        return CodedPayload{!data.empty(), data};
    }
    if (packet.kind == stream::TrackKind::Audio) {
        auto info = flv::parseAudioTag(packet.payload);
        if (!info) {
            return base::fail("audio packet: " + info.error().message());
        }
        if (info->sequenceHeader) {
            return CodedPayload{};
        }
        auto data = std::span(packet.payload).subspan(info->payloadOffset);
        return CodedPayload{!data.empty(), data};
    }
    return CodedPayload{};
}

} // namespace stagecast::media::record
