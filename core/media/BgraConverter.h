#pragma once
/// A decoded picture (PictureView) as one BGRA plane, full range, converted with swscale on
/// the caller's thread using the picture's own matrix (BT.709 or BT.601) and range. The
/// director uses it under a software renderer (Mesa llvmpipe), where libobs' per-frame
/// YUV -> RGB shader pass costs more CPU than swscale's SIMD conversion does. One per input;
/// not thread-safe.

#include <cstdint>
#include <memory>
#include <vector>

#include "media/FrameView.h"

namespace stagecast::media {

class BgraConverter {
public:
    BgraConverter();
    ~BgraConverter();
    BgraConverter(const BgraConverter&) = delete;
    BgraConverter& operator=(const BgraConverter&) = delete;

    /// `picture` as BGRA rows of width * 4 bytes, valid until the next call; null when the
    /// layout is unsupported or swscale fails.
    const std::uint8_t* convert(const PictureView& picture);

private:
    struct State;
    std::unique_ptr<State> state_;
    std::vector<std::uint8_t> bgra_;
};

} // namespace stagecast::media
