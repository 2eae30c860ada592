#include "CodecDecoder.h"

#include <cstdint>
#include <cstring>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/mem.h>
}

namespace stagecast::media {

base::Status CodecDecoder::open(DecoderSetup setup) {
    close();
    setup_ = std::move(setup);
    const AVCodec* codec = avcodec_find_decoder(setup_.codec);
    name_ = avcodec_get_name(setup_.codec);
    if (codec == nullptr) {
        return base::fail(name_ + " decoder: not available in this FFmpeg build");
    }
    auto context = allocCodecContext(codec);
    auto frame = allocFrame();
    auto packet = allocPacket();
    if (!context || !frame || !packet) {
        return base::fail(name_ + " decoder: out of memory");
    }
    if (!setup_.extradata.empty()) {
        const auto size = setup_.extradata.size();
        auto* data = static_cast<std::uint8_t*>(av_mallocz(size + AV_INPUT_BUFFER_PADDING_SIZE));
        if (data == nullptr) {
            return base::fail(name_ + " decoder: out of memory");
        }
        std::memcpy(data, setup_.extradata.data(), size);
        context->extradata = data; // owned by the context from here on
        context->extradata_size = static_cast<int>(size);
    }
    // Packets carry milliseconds (the hub's timeline).
    context->pkt_timebase = AVRational{1, 1000};
    context->thread_count = setup_.threads;
    if (setup_.keyframesOnly) {
        context->skip_frame = AVDISCARD_NONKEY;
    }
    if (int rc = avcodec_open2(context.get(), codec, nullptr); rc < 0) {
        return base::fail(name_ + " decoder: cannot open with this configuration (" +
                          std::to_string(setup_.extradata.size()) + " bytes): " + ffErrorText(rc));
    }
    context_ = std::move(context);
    frame_ = std::move(frame);
    packet_ = std::move(packet);
    return {};
}

base::Status CodecDecoder::reopen() {
    DecoderSetup setup = setup_;
    return open(std::move(setup));
}

void CodecDecoder::close() {
    context_.reset();
    frame_.reset();
    packet_.reset();
}

base::Status CodecDecoder::decode(const EncodedUnit& unit, const FrameSink& sink) {
    if (!context_) {
        return base::fail(name_ + " decoder: not open");
    }
    // FFmpeg's bitstream readers may read past the end: the data must be copied into a
    // padded buffer (the hub's payloads have no padding).
    av_packet_unref(packet_.get());
    if (unit.data.size() > static_cast<std::size_t>(INT32_MAX - AV_INPUT_BUFFER_PADDING_SIZE)) {
        return base::fail(name_ + " decoder: packet of " + std::to_string(unit.data.size()) +
                          " bytes too large");
    }
    if (int rc = av_new_packet(packet_.get(), static_cast<int>(unit.data.size())); rc < 0) {
        return base::fail(name_ + " decoder: " + ffErrorText(rc));
    }
    if (!unit.data.empty()) {
        std::memcpy(packet_->data, unit.data.data(), unit.data.size());
    }
    packet_->dts = unit.dts.count();
    packet_->pts = unit.pts.count();
    if (unit.keyframe) {
        packet_->flags |= AV_PKT_FLAG_KEY;
    }
    auto ok = send(packet_.get(), sink);
    av_packet_unref(packet_.get());
    return ok;
}

base::Status CodecDecoder::drain(const FrameSink& sink) {
    if (!context_) {
        return base::fail(name_ + " decoder: not open");
    }
    return send(nullptr, sink);
}

base::Status CodecDecoder::send(const AVPacket* packet, const FrameSink& sink) {
    int rc = avcodec_send_packet(context_.get(), packet);
    if (rc == AVERROR(EAGAIN)) {
        // Output must be read before more input is accepted; then send again.
        if (auto ok = receive(sink); !ok) {
            return ok;
        }
        rc = avcodec_send_packet(context_.get(), packet);
    }
    if (rc < 0 && rc != AVERROR_EOF) {
        return base::fail(name_ + " decoder: " + ffErrorText(rc));
    }
    auto ok = receive(sink);
    if (packet == nullptr) {
        avcodec_flush_buffers(context_.get());
    }
    return ok;
}

base::Status CodecDecoder::receive(const FrameSink& sink) {
    while (true) {
        int rc = avcodec_receive_frame(context_.get(), frame_.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            return {};
        }
        if (rc < 0) {
            return base::fail(name_ + " decoder: " + ffErrorText(rc));
        }
        const bool corrupt =
            (frame_->flags & AV_FRAME_FLAG_CORRUPT) != 0 || frame_->decode_error_flags != 0;
        if (corrupt) {
            ++corruptFrames_;
        } else if (sink) {
            sink(*frame_);
        }
        av_frame_unref(frame_.get());
    }
}

} // namespace stagecast::media
