#pragma once
/// One FFmpeg decoder for one elementary stream: opened with a codec id and its extradata
/// (decoder configuration), fed packets, yields frames. The FLV-aware VideoDecoder and
/// AudioDecoder sit on top of it; a recorder or transcoder can use it directly.
///
/// Thread: used from one thread (its owner's). With `threads` > 1 FFmpeg runs worker threads
/// of its own, which also delays output by up to `threads` - 1 frames.

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/codec_id.h>
}

#include "base/Result.h"
#include "media/FfHandles.h"

namespace stagecast::media {

struct DecoderSetup {
    AVCodecID codec = AV_CODEC_ID_NONE;
    /// Codec-specific configuration: an AVC/HEVC configuration record, an AAC
    /// AudioSpecificConfig. Copied into the decoder (FFmpeg wants it padded).
    std::vector<std::uint8_t> extradata;
    int threads = 1;
    /// Ask the decoder to skip everything but keyframes (AVDISCARD_NONKEY).
    bool keyframesOnly = false;
};

/// One compressed unit (an access unit or audio frame) without container framing.
struct EncodedUnit {
    std::span<const std::uint8_t> data;
    std::chrono::milliseconds dts{0};
    std::chrono::milliseconds pts{0};
    bool keyframe = false;
};

/// Receives each decoded frame; the frame is only valid during the call.
using FrameSink = std::function<void(const AVFrame&)>;

class CodecDecoder {
public:
    CodecDecoder() = default;
    CodecDecoder(CodecDecoder&&) noexcept = default;
    CodecDecoder& operator=(CodecDecoder&&) noexcept = default;

    /// Opens a decoder for `setup`, closing any previous one. Fails naming the codec and
    /// FFmpeg's reason ("h264 decoder: cannot open: Invalid data found ...").
    base::Status open(DecoderSetup setup);
    /// Opens again with the same setup: forgets references and buffered frames.
    base::Status reopen();
    void close();
    bool isOpen() const { return context_ != nullptr; }
    const DecoderSetup& setup() const { return setup_; }
    /// Short codec name for messages ("h264").
    const std::string& name() const { return name_; }

    /// Decodes one unit and hands every frame it completes to `sink` (frame pts in ms).
    /// Frames the decoder marks corrupt are counted and withheld. Errors name the codec.
    base::Status decode(const EncodedUnit& unit, const FrameSink& sink);
    /// Hands out the frames the decoder still buffers (reordering, frame threads), then
    /// flushes it so it takes new input. Used at the end of a stream, and after each unit
    /// when only independent keyframes are fed so their picture comes out at once.
    base::Status drain(const FrameSink& sink);

    std::uint64_t corruptFrames() const { return corruptFrames_; }

private:
    base::Status send(const AVPacket* packet, const FrameSink& sink);
    base::Status receive(const FrameSink& sink);

    DecoderSetup setup_;
    std::string name_ = "decoder";
    CodecContextPtr context_;
    FramePtr frame_;
    AvPacketPtr packet_;
    std::uint64_t corruptFrames_ = 0;
};

} // namespace stagecast::media
