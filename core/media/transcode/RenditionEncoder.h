#pragma once
/// One rendition's picture path: scales a decoded source picture to the rendition's size
/// (libswscale, bicubic like ffmpeg's scale filter) and encodes it with libx264 through
/// libavcodec. Output is in the hub's form: an AVC sequence header (FLV body with the
/// AVCDecoderConfigurationRecord built from x264's SPS/PPS) before the first frame, then
/// FLV video bodies with 4-byte NAL lengths, timestamps in milliseconds of the source's
/// timeline (pts kept, dts made increasing).
///
/// Keyframes: x264 never places one by itself (scenecut=0, keyint far beyond the grid); the
/// caller forces an IDR on the first picture of each kKeyframeInterval of source time, so
/// every rendition of a source starts its GOPs on the same pictures.
///
/// Thread: used from one thread (a rendition worker).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/Result.h"
#include "media/FfHandles.h"
#include "media/transcode/Ladder.h"
#include "stream/MediaPacket.h"

extern "C" {
struct SwsContext;
}

namespace stagecast::media::transcode {

struct EncoderSettings {
    PlannedRendition rendition;
    RateMode mode = RateMode::Fixed;
    std::string preset = "veryfast";
    int threads = 1; // x264 threads for this rendition
    double frameRate = 30;
};

struct SwsDeleter {
    void operator()(SwsContext* context) const noexcept;
};

class RenditionEncoder {
public:
    /// Opens libx264 with the template's settings. Fails naming the rendition and FFmpeg's
    /// reason (no libx264, a bad preset).
    static base::Result<std::unique_ptr<RenditionEncoder>> open(const EncoderSettings& settings);
    ~RenditionEncoder();
    RenditionEncoder(const RenditionEncoder&) = delete;
    RenditionEncoder& operator=(const RenditionEncoder&) = delete;

    /// Scales `source` (any size and pixel format libswscale reads; pts in ms) and encodes
    /// it; packets that come out are appended to `out`.
    base::Status encode(const AVFrame& source, bool forceIdr, std::vector<stream::PacketPtr>& out);
    /// End of stream: the pictures x264 still holds.
    base::Status flush(std::vector<stream::PacketPtr>& out);

    /// The AVCDecoderConfigurationRecord (empty until opened).
    const std::vector<std::uint8_t>& record() const { return record_; }
    const EncoderSettings& settings() const { return settings_; }

private:
    explicit RenditionEncoder(EncoderSettings settings) : settings_(std::move(settings)) {}
    base::Status receive(std::vector<stream::PacketPtr>& out);
    base::Status fail(const std::string& what, int rc) const;

    EncoderSettings settings_;
    CodecContextPtr context_;
    std::unique_ptr<SwsContext, SwsDeleter> scaler_;
    FramePtr scaled_;
    AvPacketPtr packet_;
    std::vector<std::uint8_t> record_;
    bool configSent_ = false;
    std::int64_t lastDts_ = INT64_MIN;
};

} // namespace stagecast::media::transcode
