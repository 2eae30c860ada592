#include "LumaAnalysis.h"

#include <algorithm>
#include <string>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
}

namespace stagecast::media {

namespace {

bool isFullRange(const AVFrame& frame, const AVPixFmtDescriptor& desc) {
    if (frame.color_range == AVCOL_RANGE_JPEG) {
        return true;
    }
    if (frame.color_range == AVCOL_RANGE_MPEG) {
        return false;
    }
    // Unspecified: the deprecated "yuvj" formats and gray are full range, YUV is limited.
    const std::string name = desc.name;
    return name.starts_with("yuvj") || desc.nb_components <= 2;
}

struct Accumulator {
    std::uint64_t sum = 0;
    std::uint64_t black = 0;
    std::vector<std::uint64_t> cellSums;
};

/// Walks every luma sample; `read(row, x)` returns the code value of column x.
template <typename Read>
void accumulate(const AVFrame& frame, int plane, std::uint32_t threshold,
                const std::vector<std::uint32_t>& cellOfColumn, std::uint32_t rows,
                std::uint32_t columns, Read read, Accumulator& acc) {
    const auto width = static_cast<std::uint32_t>(frame.width);
    const auto height = static_cast<std::uint32_t>(frame.height);
    for (std::uint32_t y = 0; y < height; ++y) {
        const std::uint8_t* row =
            frame.data[plane] + static_cast<std::ptrdiff_t>(y) * frame.linesize[plane];
        const std::uint32_t cellRow =
            static_cast<std::uint32_t>(static_cast<std::uint64_t>(y) * rows / height) * columns;
        std::uint64_t rowSum = 0;
        for (std::uint32_t x = 0; x < width; ++x) {
            const std::uint32_t v = read(row, x);
            rowSum += v;
            acc.black += v <= threshold ? 1U : 0U;
            acc.cellSums[cellRow + cellOfColumn[x]] += v;
        }
        acc.sum += rowSum;
    }
}

} // namespace

base::Result<LumaStats> analyzeLuma(const AVFrame& frame, const LumaOptions& options) {
    const auto format = static_cast<AVPixelFormat>(frame.format);
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
    if (desc == nullptr) {
        return base::fail("luma: picture without a pixel format");
    }
    constexpr std::uint64_t kUnsupported = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL |
                                           AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM |
                                           AV_PIX_FMT_FLAG_FLOAT;
    const AVComponentDescriptor& luma = desc->comp[0];
    if ((desc->flags & kUnsupported) != 0 || luma.depth < 8 || luma.depth > 16) {
        return base::fail(std::string("luma: pixel format ") + desc->name +
                          " unsupported, allowed YUV or gray of 8 to 16 bits");
    }
    if (frame.width <= 0 || frame.height <= 0 || frame.data[luma.plane] == nullptr) {
        return base::fail("luma: empty picture");
    }

    const auto width = static_cast<std::uint32_t>(frame.width);
    const auto height = static_cast<std::uint32_t>(frame.height);
    const int depth = luma.depth;
    const std::uint32_t maxCode = (1U << depth) - 1U;
    const bool full = isFullRange(frame, *desc);
    const double blackLevel = full ? 0.0 : static_cast<double>(16U << (depth - 8));
    const double whiteLevel = full ? maxCode : static_cast<double>(235U << (depth - 8));
    const auto threshold = static_cast<std::uint32_t>(blackLevel + options.blackPixelThreshold *
                                                                       (whiteLevel - blackLevel));

    const std::uint32_t columns = std::clamp(options.thumbnailColumns, 1U, width);
    const std::uint32_t rows = std::clamp(options.thumbnailRows, 1U, height);
    // Pixel x belongs to cell column x * columns / width (likewise for rows), so a cell's
    // pixel count is the product of its column's width and its row's height.
    std::vector<std::uint32_t> cellOfColumn(width);
    std::vector<std::uint32_t> columnWidth(columns, 0);
    std::vector<std::uint32_t> rowHeight(rows, 0);
    for (std::uint32_t x = 0; x < width; ++x) {
        cellOfColumn[x] =
            static_cast<std::uint32_t>(static_cast<std::uint64_t>(x) * columns / width);
        ++columnWidth[cellOfColumn[x]];
    }
    for (std::uint32_t y = 0; y < height; ++y) {
        ++rowHeight[static_cast<std::uint64_t>(y) * rows / height];
    }
    Accumulator acc;
    acc.cellSums.assign(std::size_t{columns} * rows, 0);

    const auto step = static_cast<std::size_t>(luma.step);
    const auto offset = static_cast<std::size_t>(luma.offset);
    const int shift = luma.shift;
    if (depth == 8 && step == 1 && offset == 0) {
        // The common case (yuv420p, nv12, gray): one byte per sample, contiguous.
        accumulate(
            frame, luma.plane, threshold, cellOfColumn, rows, columns,
            [](const std::uint8_t* row, std::uint32_t x) { return std::uint32_t{row[x]}; }, acc);
    } else if (depth == 8) {
        accumulate(
            frame, luma.plane, threshold, cellOfColumn, rows, columns,
            [&](const std::uint8_t* row, std::uint32_t x) {
                return std::uint32_t{row[x * step + offset]} >> shift;
            },
            acc);
    } else {
        const bool bigEndian = (desc->flags & AV_PIX_FMT_FLAG_BE) != 0;
        accumulate(
            frame, luma.plane, threshold, cellOfColumn, rows, columns,
            [&](const std::uint8_t* row, std::uint32_t x) {
                const std::uint8_t* p = row + x * step + offset;
                const std::uint32_t word = bigEndian ? (std::uint32_t{p[0]} << 8) | p[1]
                                                     : (std::uint32_t{p[1]} << 8) | p[0];
                return (word >> shift) & maxCode;
            },
            acc);
    }

    const double pixels = static_cast<double>(width) * height;
    LumaStats stats;
    stats.width = width;
    stats.height = height;
    const double mean = static_cast<double>(acc.sum) / pixels;
    stats.averageLuma = std::clamp((mean - blackLevel) / (whiteLevel - blackLevel), 0.0, 1.0);
    stats.blackShare = static_cast<double>(acc.black) / pixels;
    stats.thumbnail.columns = columns;
    stats.thumbnail.rows = rows;
    stats.thumbnail.cells.resize(acc.cellSums.size());
    for (std::uint32_t r = 0; r < rows; ++r) {
        for (std::uint32_t c = 0; c < columns; ++c) {
            const std::size_t i = std::size_t{r} * columns + c;
            // Every cell holds at least one pixel: columns <= width and rows <= height.
            const double count = static_cast<double>(columnWidth[c]) * rowHeight[r];
            stats.thumbnail.cells[i] =
                static_cast<float>(static_cast<double>(acc.cellSums[i]) / count / maxCode);
        }
    }
    return stats;
}

} // namespace stagecast::media
