#pragma once
/// Decodes a hub stream's video and audio packets into plain picture and sample views, for
/// code that must not include FFmpeg headers (the director's hub input). Wraps VideoDecoder
/// (full decode) and AudioDecoder; their error handling applies (errors are returned for the
/// caller to log, decoding goes on at the next keyframe).
///
/// Thread: used from one thread.

#include <functional>
#include <memory>

#include "base/Result.h"
#include "media/FrameView.h"
#include "stream/MediaPacket.h"

namespace stagecast::media {

class PacketDecoder {
public:
    using PictureSink = std::function<void(const PictureView&)>;
    using SamplesSink = std::function<void(const SamplesView&)>;

    PacketDecoder();
    ~PacketDecoder();
    PacketDecoder(const PacketDecoder&) = delete;
    PacketDecoder& operator=(const PacketDecoder&) = delete;

    /// Video packets go to `pictures`, audio packets to `samples`; data packets are ignored.
    /// The views are valid only during the call.
    base::Status decode(const stream::MediaPacket& packet, const PictureSink& pictures,
                        const SamplesSink& samples);
    /// Forgets both configurations (a new publisher).
    void reset();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace stagecast::media
