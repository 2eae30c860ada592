#include "media/snapshot/RgbaJpeg.h"

extern "C" {
#include <libavutil/frame.h>
}

namespace stagecast::media::snapshot {

base::Result<Thumbnail> encodeRgba(JpegThumbnail& encoder, std::span<const std::uint8_t> rgba,
                                   int width, int height, int stride) {
    if (width <= 0 || height <= 0 || stride < width * 4 ||
        rgba.size() < static_cast<std::size_t>(stride) * static_cast<std::size_t>(height)) {
        return base::fail("thumbnail: the RGBA picture is smaller than its size says");
    }
    AVFrame frame{};
    frame.format = AV_PIX_FMT_RGBA;
    frame.width = width;
    frame.height = height;
    frame.data[0] = const_cast<std::uint8_t*>(rgba.data()); // read only by swscale
    frame.linesize[0] = stride;
    frame.sample_aspect_ratio = {1, 1};
    return encoder.encode(frame);
}

} // namespace stagecast::media::snapshot
