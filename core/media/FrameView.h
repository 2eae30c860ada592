#pragma once
/// Plain views of decoded FFmpeg frames for code that must not include FFmpeg headers (the
/// director hands pictures and samples to libobs). The views point into the frame: valid only
/// while the frame is (inside a FrameSink call).

#include <array>
#include <chrono>
#include <cstdint>

struct AVFrame;

namespace stagecast::media {

enum class PictureLayout : std::uint8_t {
    Unsupported = 1, // a pixel format the views do not describe
    Yuv420p,         // three planes, chroma halved both ways (I420)
    Nv12,            // luma plane + interleaved chroma plane
    Yuv422p,
    Yuv444p,
};

struct PictureView {
    PictureLayout layout = PictureLayout::Unsupported;
    bool fullRange = false; // JPEG range (yuvj*) or signalled full range
    bool bt709 = false;     // signalled BT.709 matrix; otherwise BT.601 is assumed
    int width = 0;
    int height = 0;
    std::array<const std::uint8_t*, 4> planes{};
    std::array<int, 4> linesize{};
    std::chrono::milliseconds pts{0};
    /// FFmpeg's pixel format name ("yuv420p"), for messages.
    const char* formatName = "";
};

enum class SampleLayout : std::uint8_t {
    Unsupported = 1,
    FloatPlanar,
    Float,
    S16Planar,
    S16,
};

struct SamplesView {
    SampleLayout layout = SampleLayout::Unsupported;
    int channels = 0;
    int frames = 0; // samples per channel
    int sampleRate = 0;
    std::array<const std::uint8_t*, 8> planes{}; // interleaved layouts use planes[0]
    std::chrono::milliseconds pts{0};
    const char* formatName = "";
};

PictureView viewPicture(const AVFrame& frame);
SamplesView viewSamples(const AVFrame& frame);

} // namespace stagecast::media
