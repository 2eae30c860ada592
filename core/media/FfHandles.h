#pragma once
/// Owning handles for the FFmpeg objects core/media works with. Each is a std::unique_ptr with
/// the matching FFmpeg free function as deleter: move-only, explicit, and no implicit
/// conversion to the raw pointer (call get()). Allocation failure (out of memory) yields null.
///
/// Only core/media includes FFmpeg headers; this header needs none of them.

#include <memory>
#include <string>

extern "C" {
struct AVCodec;
struct AVCodecContext;
struct AVFrame;
struct AVPacket;
}

namespace stagecast::media {

struct CodecContextDeleter {
    void operator()(AVCodecContext* context) const noexcept;
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const noexcept;
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const noexcept;
};

using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using AvPacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

/// avcodec_alloc_context3 with the codec's defaults.
CodecContextPtr allocCodecContext(const AVCodec* codec);
FramePtr allocFrame();
AvPacketPtr allocPacket();

/// The text of an FFmpeg error code ("Invalid data found when processing input").
std::string ffErrorText(int code);

} // namespace stagecast::media
