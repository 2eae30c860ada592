#include "FfHandles.h"

#include <array>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
}

namespace stagecast::media {

void CodecContextDeleter::operator()(AVCodecContext* context) const noexcept {
    avcodec_free_context(&context);
}

void OutputFormatDeleter::operator()(AVFormatContext* context) const noexcept {
    if (context == nullptr) {
        return;
    }
    if (context->oformat != nullptr && (context->oformat->flags & AVFMT_NOFILE) == 0) {
        avio_closep(&context->pb);
    }
    avformat_free_context(context);
}

void InputFormatDeleter::operator()(AVFormatContext* context) const noexcept {
    avformat_close_input(&context);
}

void FrameDeleter::operator()(AVFrame* frame) const noexcept {
    av_frame_free(&frame);
}

void PacketDeleter::operator()(AVPacket* packet) const noexcept {
    av_packet_free(&packet);
}

CodecContextPtr allocCodecContext(const AVCodec* codec) {
    return CodecContextPtr(avcodec_alloc_context3(codec));
}

FramePtr allocFrame() {
    return FramePtr(av_frame_alloc());
}

AvPacketPtr allocPacket() {
    return AvPacketPtr(av_packet_alloc());
}

std::string ffErrorText(int code) {
    std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
    if (av_strerror(code, text.data(), text.size()) < 0) {
        return "FFmpeg error " + std::to_string(code);
    }
    return text.data();
}

} // namespace stagecast::media
