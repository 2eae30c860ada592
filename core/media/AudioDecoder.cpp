#include "AudioDecoder.h"

#include <algorithm>
#include <string>

namespace stagecast::media {

namespace flv = protocol::flv;

void AudioDecoder::reset() {
    decoder_.close();
    asc_.clear();
    unsupportedReported_ = false;
}

base::Status AudioDecoder::decode(const stream::MediaPacket& packet, const FrameSink& sink) {
    if (packet.payload.empty()) {
        return {};
    }
    auto info = flv::parseAudioTag(packet.payload);
    if (!info) {
        ++counters_.packets;
        ++counters_.errors;
        counters_.lastError = "audio packet: " + info.error().message();
        return base::fail(counters_.lastError);
    }
    const auto body = std::span(packet.payload).subspan(info->payloadOffset);
    if (info->codec != flv::AudioCodec::Aac) {
        ++counters_.packets;
        ++counters_.unconfigured;
        if (unsupportedReported_) {
            return {};
        }
        unsupportedReported_ = true;
        counters_.lastError = "audio sound format " + std::to_string(info->soundFormat) +
                              " is not decoded: supported AAC (10)";
        return base::fail(counters_.lastError);
    }
    if (info->sequenceHeader) {
        return configure(body);
    }
    ++counters_.packets;
    if (!decoder_.isOpen()) {
        ++counters_.unconfigured;
        return {};
    }
    FrameSink counting = [&](const AVFrame& frame) {
        ++counters_.frames;
        if (sink) {
            sink(frame);
        }
    };
    EncodedUnit unit;
    unit.data = body;
    unit.dts = packet.dts;
    unit.pts = packet.dts;
    unit.keyframe = true;
    const auto corruptBefore = decoder_.corruptFrames();
    if (auto ok = decoder_.decode(unit, counting); !ok) {
        return failed(ok.error());
    }
    if (decoder_.corruptFrames() != corruptBefore) {
        return failed(base::Error("aac decoder: corrupt frame at " +
                                  std::to_string(packet.dts.count()) + " ms"));
    }
    return {};
}

base::Status AudioDecoder::configure(std::span<const std::uint8_t> asc) {
    if (decoder_.isOpen() && std::ranges::equal(asc, asc_)) {
        return {};
    }
    const bool wasOpen = decoder_.isOpen();
    asc_.assign(asc.begin(), asc.end());
    DecoderSetup setup;
    setup.codec = AV_CODEC_ID_AAC;
    setup.extradata = asc_;
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

base::Status AudioDecoder::failed(base::Error error) {
    ++counters_.errors;
    counters_.lastError = error.message();
    if (auto reopened = decoder_.reopen(); reopened) {
        ++counters_.resets;
    } else {
        decoder_.close();
        asc_.clear();
    }
    return base::fail(std::move(error));
}

} // namespace stagecast::media
