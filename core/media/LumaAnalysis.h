#pragma once
/// Measures one decoded picture's luma plane for black and frozen detection: the average
/// level, the share of near-black pixels (as ffmpeg's blackdetect counts them) and a small
/// grid of cell averages that FreezeDetector compares between pictures.
///
/// Works on any YUV or gray pixel format of 8 to 16 bits (planar, semi-planar or packed),
/// honouring limited ("TV", 16..235) and full range. Pure function, any thread.

#include <cstdint>
#include <vector>

#include "base/Result.h"

extern "C" {
struct AVFrame;
}

namespace stagecast::media {

/// Average luma of each cell of a columns × rows grid laid over the picture, as a share of
/// the code range (0..1, like freezedetect's normalisation).
struct LumaThumbnail {
    std::uint32_t columns = 0;
    std::uint32_t rows = 0;
    std::vector<float> cells;
};

struct LumaStats {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    /// Mean luma from 0 (black level) to 1 (white level).
    double averageLuma = 0;
    /// Share of pixels at or below the black threshold, 0..1.
    double blackShare = 0;
    LumaThumbnail thumbnail;
};

struct LumaOptions {
    /// A pixel is black at or below this share of the black-to-white range (blackdetect's
    /// pix_th, default 0.10).
    double blackPixelThreshold = 0.10;
    /// Upper bound of the thumbnail grid (fewer cells on pictures smaller than this).
    std::uint32_t thumbnailColumns = 64;
    std::uint32_t thumbnailRows = 36;
};

/// Fails, naming the format, for RGB, palette, hardware and bitstream formats.
base::Result<LumaStats> analyzeLuma(const AVFrame& frame, const LumaOptions& options);

} // namespace stagecast::media
