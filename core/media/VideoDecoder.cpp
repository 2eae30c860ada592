#include "VideoDecoder.h"

#include <algorithm>
#include <string>

namespace stagecast::media {

namespace flv = protocol::flv;

namespace {

std::optional<AVCodecID> codecIdOf(flv::VideoCodec codec) {
    switch (codec) {
    case flv::VideoCodec::H264:
        return AV_CODEC_ID_H264;
    case flv::VideoCodec::Hevc:
        return AV_CODEC_ID_HEVC;
    default:
        return std::nullopt;
    }
}

const char* flvCodecName(flv::VideoCodec codec) {
    switch (codec) {
    case flv::VideoCodec::H264:
        return "h264";
    case flv::VideoCodec::Hevc:
        return "hevc";
    case flv::VideoCodec::Av1:
        return "av1";
    case flv::VideoCodec::Vp9:
        return "vp9";
    case flv::VideoCodec::Unknown:
        break;
    }
    return "unknown";
}

} // namespace

VideoDecoder::VideoDecoder(VideoDecoderOptions options) : options_(options) {}

const char* VideoDecoder::codecName() const {
    return decoder_.isOpen() ? flvCodecName(codec_) : "";
}

void VideoDecoder::reset() {
    decoder_.close();
    codec_ = flv::VideoCodec::Unknown;
    record_.clear();
    needKeyframe_ = true;
    lastDecodedDts_.reset();
}

base::Status VideoDecoder::decode(const stream::MediaPacket& packet, const FrameSink& sink) {
    if (packet.payload.empty()) {
        return {}; // keep-alive
    }
    auto info = flv::parseVideoTag(packet.payload);
    if (!info) {
        ++counters_.packets;
        ++counters_.errors;
        counters_.lastError = "video packet: " + info.error().message();
        return base::fail(counters_.lastError);
    }
    const auto body = std::span(packet.payload).subspan(info->payloadOffset);
    if (info->kind == flv::VideoPacketKind::SequenceHeader) {
        return configure(info->codec, body);
    }
    if (info->kind != flv::VideoPacketKind::CodedFrames) {
        return {}; // end of sequence, metadata, commands: nothing to decode
    }
    ++counters_.packets;
    return decodeFrame(packet, *info, sink);
}

base::Status VideoDecoder::configure(flv::VideoCodec codec, std::span<const std::uint8_t> record) {
    if (codec == codec_ && std::ranges::equal(record, record_)) {
        return {}; // the same configuration again (a join burst, a republish)
    }
    const bool wasOpen = decoder_.isOpen();
    codec_ = codec;
    record_.assign(record.begin(), record.end());
    needKeyframe_ = true;
    lastDecodedDts_.reset();
    auto id = codecIdOf(codec);
    if (!id) {
        decoder_.close();
        counters_.lastError = std::string("video codec ") + flvCodecName(codec) +
                              " is not decoded: supported h264, hevc";
        return base::fail(counters_.lastError);
    }
    DecoderSetup setup;
    setup.codec = *id;
    setup.extradata = record_;
    setup.threads = options_.threads;
    setup.keyframesOnly = options_.keyframesOnly;
    if (auto ok = decoder_.open(std::move(setup)); !ok) {
        ++counters_.errors;
        counters_.lastError = ok.error().message();
        decoder_.close();
        return ok;
    }
    if (wasOpen) {
        ++counters_.resets;
    }
    return {};
}

base::Status VideoDecoder::decodeFrame(const stream::MediaPacket& packet,
                                       const flv::VideoTagInfo& info, const FrameSink& sink) {
    if (!decoder_.isOpen() || info.codec != codec_) {
        ++counters_.unconfigured;
        return {};
    }
    if ((needKeyframe_ || options_.keyframesOnly) && !packet.keyframe) {
        ++counters_.skipped;
        return {};
    }
    if (options_.keyframesOnly && lastDecodedDts_ && packet.dts >= *lastDecodedDts_ &&
        packet.dts - *lastDecodedDts_ < options_.minInterval) {
        ++counters_.skipped;
        return {};
    }
    const auto corruptBefore = decoder_.corruptFrames();
    FrameSink counting = [&](const AVFrame& frame) {
        ++counters_.frames;
        if (sink) {
            sink(frame);
        }
    };
    EncodedUnit unit;
    unit.data = std::span(packet.payload).subspan(info.payloadOffset);
    unit.dts = packet.dts;
    unit.pts = packet.dts + packet.cts;
    unit.keyframe = packet.keyframe;
    auto ok = decoder_.decode(unit, counting);
    if (ok && options_.keyframesOnly) {
        ok = decoder_.drain(counting);
    }
    if (!ok) {
        return failed(ok.error());
    }
    if (decoder_.corruptFrames() != corruptBefore) {
        return failed(base::Error(std::string(decoder_.name()) + " decoder: corrupt picture at " +
                                  std::to_string(packet.dts.count()) + " ms"));
    }
    needKeyframe_ = false;
    lastDecodedDts_ = packet.dts;
    return {};
}

base::Status VideoDecoder::failed(base::Error error) {
    ++counters_.errors;
    counters_.lastError = error.message();
    needKeyframe_ = true;
    lastDecodedDts_.reset();
    if (auto reopened = decoder_.reopen(); reopened) {
        ++counters_.resets;
    } else {
        // Cannot happen with a configuration that opened before; wait for a new one.
        decoder_.close();
        record_.clear();
    }
    return base::fail(std::move(error));
}

base::Status VideoDecoder::flush(const FrameSink& sink) {
    if (!decoder_.isOpen()) {
        return {};
    }
    FrameSink counting = [&](const AVFrame& frame) {
        ++counters_.frames;
        if (sink) {
            sink(frame);
        }
    };
    if (auto ok = decoder_.drain(counting); !ok) {
        return failed(ok.error());
    }
    return {};
}

} // namespace stagecast::media
