#pragma once
/// A JPEG of a packed RGBA picture (for code that holds pixels but no FFmpeg types, such as
/// the director's thumbnails): wraps the buffer as a frame and hands it to JpegThumbnail.
///
/// Thread: one JpegThumbnail per thread, as JpegThumbnail says.

#include <cstdint>
#include <span>

#include "base/Result.h"
#include "media/snapshot/JpegThumbnail.h"

namespace stagecast::media::snapshot {

/// `rgba` holds `height` rows of `stride` bytes, 4 bytes a pixel.
base::Result<Thumbnail> encodeRgba(JpegThumbnail& encoder, std::span<const std::uint8_t> rgba,
                                   int width, int height, int stride);

} // namespace stagecast::media::snapshot
