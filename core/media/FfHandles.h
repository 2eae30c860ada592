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
struct AVFormatContext;
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

/// An output (muxing) context: closes its AVIOContext (flushing what is buffered, without
/// writing a trailer) and frees the context.
struct OutputFormatDeleter {
    void operator()(AVFormatContext* context) const noexcept;
};
/// An input (demuxing) context opened by avformat_open_input.
struct InputFormatDeleter {
    void operator()(AVFormatContext* context) const noexcept;
};

using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using AvPacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

/// avcodec_alloc_context3 with the codec's defaults.
CodecContextPtr allocCodecContext(const AVCodec* codec);
FramePtr allocFrame();
AvPacketPtr allocPacket();

/// The text of an FFmpeg error code ("Invalid data found when processing input").
std::string ffErrorText(int code);

} // namespace stagecast::media
