#pragma once
/// Decodes a hub stream's video packets (FLV tag bodies: legacy AVC/HEVC headers and Enhanced
/// RTMP 'avc1'/'hvc1') with FFmpeg. The sequence header's configuration record becomes the
/// decoder's extradata, so coded frames are fed as they are: AVCC/HVCC length-prefixed NAL
/// units, pts = dts + composition time.
///
/// Two modes. Full decode (a recorder, a transcoder) hands out every picture. Keyframes only
/// (the content probe) sends FFmpeg nothing but keyframes, each one drained on its own so its
/// picture comes out at once, optionally at most one per `minInterval` of media time; the
/// decoder also discards non-key pictures itself (AVDISCARD_NONKEY) in case a packet is
/// mislabelled.
///
/// Errors never end decoding: a rejected packet or corrupt picture is counted, the decoder is
/// reopened and waits for the next keyframe. A configuration that differs from the current
/// one reopens it; a repeated identical one (every republish, every join) is ignored.
///
/// Thread: used from one thread.

#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"
#include "media/CodecDecoder.h"
#include "media/DecoderCounters.h"
#include "protocol/flv/Flv.h"
#include "stream/MediaPacket.h"

namespace stagecast::media {

struct VideoDecoderOptions {
    bool keyframesOnly = false;
    /// Keyframes-only mode: skip a keyframe closer than this (media time) to the previous
    /// decoded one. Zero decodes every keyframe.
    std::chrono::milliseconds minInterval{0};
    /// FFmpeg decoding threads. 1 keeps output immediate and the cost on one core.
    int threads = 1;
};

class VideoDecoder {
public:
    explicit VideoDecoder(VideoDecoderOptions options = {});

    /// Takes one hub video packet. Decoded pictures go to `sink` (pts in ms). Returns the
    /// error (already counted) for the caller to log; the decoder stays usable.
    base::Status decode(const stream::MediaPacket& packet, const FrameSink& sink);
    /// End of stream: hands out pictures still buffered (full-decode mode).
    base::Status flush(const FrameSink& sink);
    /// Forgets the configuration and closes the decoder (a new publisher).
    void reset();

    const DecoderCounters& counters() const { return counters_; }
    /// "h264", "hevc"; empty while unconfigured.
    const char* codecName() const;

private:
    base::Status configure(protocol::flv::VideoCodec codec, std::span<const std::uint8_t> record);
    base::Status decodeFrame(const stream::MediaPacket& packet,
                             const protocol::flv::VideoTagInfo& info, const FrameSink& sink);
    base::Status failed(base::Error error);

    VideoDecoderOptions options_;
    CodecDecoder decoder_;
    protocol::flv::VideoCodec codec_ = protocol::flv::VideoCodec::Unknown;
    std::vector<std::uint8_t> record_; // the configuration the decoder was opened with
    bool needKeyframe_ = true;
    std::optional<std::chrono::milliseconds> lastDecodedDts_;
    DecoderCounters counters_;
};

} // namespace stagecast::media
