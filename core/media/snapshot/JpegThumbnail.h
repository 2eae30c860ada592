#pragma once
/// Turns one decoded picture into a small JPEG: scaled (libswscale, bicubic) to a fixed width
/// keeping the display aspect ratio, with an even height, converted to full-range 4:2:0
/// (yuvj420p) and encoded by libavcodec's mjpeg encoder.
///
/// The scaler and encoder are kept between pictures and rebuilt only when the source size or
/// pixel format changes (a new publisher), so a picture every few seconds costs one scale and
/// one encode.
///
/// Thread: used from one thread (a snapshot worker, a test).

#include <cstdint>
#include <memory>
#include <vector>

#include "base/Result.h"

extern "C" {
struct AVFrame;
}

namespace stagecast::media::snapshot {

struct Thumbnail {
    std::vector<std::uint8_t> jpeg;
    int width = 0;
    int height = 0;
};

struct ThumbnailOptions {
    /// Output width in pixels (even, 16..7680); the height follows the aspect ratio.
    int width = 320;
    /// mjpeg qscale, 2 (best) .. 31 (smallest).
    int quality = 5;
};

/// The height of a `width`-wide thumbnail of a `sourceWidth` x `sourceHeight` picture whose
/// pixels are `sarNum`:`sarDen` wide (0 = square), rounded to the nearest even number, at
/// least 2.
int thumbnailHeight(int width, int sourceWidth, int sourceHeight, int sarNum = 1, int sarDen = 1);

class JpegThumbnail {
public:
    explicit JpegThumbnail(ThumbnailOptions options = {});
    ~JpegThumbnail();
    JpegThumbnail(JpegThumbnail&&) noexcept;
    JpegThumbnail& operator=(JpegThumbnail&&) noexcept;

    /// Scales and encodes `picture` (any pixel format swscale reads). Errors name the step
    /// and FFmpeg's reason ("jpeg encoder: cannot open: ...").
    base::Result<Thumbnail> encode(const AVFrame& picture);

    const ThumbnailOptions& options() const { return options_; }

private:
    struct State;
    ThumbnailOptions options_;
    std::unique_ptr<State> state_;
};

} // namespace stagecast::media::snapshot
