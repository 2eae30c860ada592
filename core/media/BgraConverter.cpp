#include "media/BgraConverter.h"

extern "C" {
#include <libswscale/swscale.h>
}

namespace stagecast::media {

namespace {

AVPixelFormat avFormat(PictureLayout layout) {
    switch (layout) {
    case PictureLayout::Yuv420p:
        return AV_PIX_FMT_YUV420P;
    case PictureLayout::Nv12:
        return AV_PIX_FMT_NV12;
    case PictureLayout::Yuv422p:
        return AV_PIX_FMT_YUV422P;
    case PictureLayout::Yuv444p:
        return AV_PIX_FMT_YUV444P;
    case PictureLayout::Unsupported:
        break;
    }
    return AV_PIX_FMT_NONE;
}

} // namespace

struct BgraConverter::State {
    SwsContext* context = nullptr;
    AVPixelFormat format = AV_PIX_FMT_NONE;
    int width = 0;
    int height = 0;
    bool fullRange = false;
    bool bt709 = false;
};

BgraConverter::BgraConverter() : state_(std::make_unique<State>()) {}

BgraConverter::~BgraConverter() {
    sws_freeContext(state_->context);
}

const std::uint8_t* BgraConverter::convert(const PictureView& p) {
    const AVPixelFormat format = avFormat(p.layout);
    if (format == AV_PIX_FMT_NONE || p.width <= 0 || p.height <= 0) {
        return nullptr;
    }
    State& s = *state_;
    if (s.context == nullptr || s.format != format || s.width != p.width || s.height != p.height ||
        s.fullRange != p.fullRange || s.bt709 != p.bt709) {
        sws_freeContext(s.context);
        // Same size in and out: no scaling, only the conversion (the flag picks the path).
        s.context = sws_getContext(p.width, p.height, format, p.width, p.height, AV_PIX_FMT_BGRA,
                                   SWS_POINT, nullptr, nullptr, nullptr);
        if (s.context == nullptr) {
            return nullptr;
        }
        const int* matrix = sws_getCoefficients(p.bt709 ? SWS_CS_ITU709 : SWS_CS_ITU601);
        sws_setColorspaceDetails(s.context, matrix, p.fullRange ? 1 : 0, matrix, 1, 0, 1 << 16,
                                 1 << 16);
        s.format = format;
        s.width = p.width;
        s.height = p.height;
        s.fullRange = p.fullRange;
        s.bt709 = p.bt709;
    }
    bgra_.resize(static_cast<std::size_t>(p.width) * 4 * static_cast<std::size_t>(p.height));
    std::uint8_t* out[4] = {bgra_.data(), nullptr, nullptr, nullptr};
    const int outStride[4] = {p.width * 4, 0, 0, 0};
    const std::uint8_t* const in[4] = {p.planes[0], p.planes[1], p.planes[2], p.planes[3]};
    const int inStride[4] = {p.linesize[0], p.linesize[1], p.linesize[2], p.linesize[3]};
    if (sws_scale(s.context, in, inStride, 0, p.height, out, outStride) != p.height) {
        return nullptr;
    }
    return bgra_.data();
}

} // namespace stagecast::media
