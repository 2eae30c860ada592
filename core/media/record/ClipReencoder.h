#pragma once
/// The video half of an accurate clip (ClipCutter): decodes the recording's video track and
/// re-encodes pictures with libx264 (veryfast, CRF 18, a keyframe every 2 s) at the same size,
/// pixel format and time base.
///
/// Thread: used from one thread (the cutting thread).

#include <functional>

#include "base/Result.h"
#include "media/FfHandles.h"

extern "C" {
struct AVFormatContext;
struct AVStream;
}

namespace stagecast::media::record {

class ClipReencoder {
public:
    /// Receives each decoded picture (valid during the call; the callee may change its pts).
    using PictureSink = std::function<base::Status(AVFrame&)>;
    /// Receives each encoded packet, timestamps in the source stream's time base.
    using PacketSink = std::function<base::Status(AVPacket&)>;

    /// Opens a decoder for `source` (a stream of `input`) and the encoder, and describes the
    /// encoded stream in `target` (a stream of `output`). Errors name the codec and reason.
    base::Status open(AVFormatContext& input, const AVStream& source, const AVFormatContext& output,
                      AVStream& target);

    /// Decodes one packet, or drains the decoder at the end of the file (nullptr).
    base::Status decode(const AVPacket* packet, const PictureSink& sink);
    /// Encodes one picture, or flushes the encoder (nullptr).
    base::Status encode(const AVFrame* picture, const PacketSink& sink);

    /// One frame's duration in seconds (from the source's frame rate).
    double frameSeconds() const;

private:
    CodecContextPtr decoder_;
    CodecContextPtr encoder_;
    FramePtr picture_;
    AvPacketPtr packet_;
};

} // namespace stagecast::media::record
