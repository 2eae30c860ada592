#pragma once
/// Decodes a hub stream's AAC audio packets (FLV tag bodies: 0xAF, AACPacketType, payload)
/// with FFmpeg. The sequence header's AudioSpecificConfig becomes the decoder's extradata;
/// raw AAC frames follow, pts = dts. FFmpeg's AAC decoder yields planar float samples.
///
/// Errors never end decoding: a rejected packet is counted and the decoder reopened. Other
/// audio codecs are reported once as not decoded and their packets counted as unconfigured.
///
/// Thread: used from one thread.

#include <span>
#include <vector>

#include "base/Result.h"
#include "media/CodecDecoder.h"
#include "media/DecoderCounters.h"
#include "protocol/flv/Flv.h"
#include "stream/MediaPacket.h"

namespace stagecast::media {

class AudioDecoder {
public:
    /// Takes one hub audio packet; decoded frames go to `sink`. Returns the error (already
    /// counted) for the caller to log; the decoder stays usable.
    base::Status decode(const stream::MediaPacket& packet, const FrameSink& sink);
    /// Forgets the configuration and closes the decoder (a new publisher).
    void reset();

    const DecoderCounters& counters() const { return counters_; }

private:
    base::Status configure(std::span<const std::uint8_t> asc);
    base::Status failed(base::Error error);

    CodecDecoder decoder_;
    std::vector<std::uint8_t> asc_; // the configuration the decoder was opened with
    bool unsupportedReported_ = false;
    DecoderCounters counters_;
};

} // namespace stagecast::media
