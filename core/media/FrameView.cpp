#include "media/FrameView.h"

#include <algorithm>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libavutil/samplefmt.h>
}

namespace stagecast::media {

PictureView viewPicture(const AVFrame& frame) {
    PictureView v;
    v.width = frame.width;
    v.height = frame.height;
    v.pts = std::chrono::milliseconds(frame.pts == AV_NOPTS_VALUE ? 0 : frame.pts);
    const auto format = static_cast<AVPixelFormat>(frame.format);
    const char* name = av_get_pix_fmt_name(format);
    v.formatName = name != nullptr ? name : "unknown";
    v.fullRange = frame.color_range == AVCOL_RANGE_JPEG;
    v.bt709 = frame.colorspace == AVCOL_SPC_BT709;
    switch (format) {
    case AV_PIX_FMT_YUVJ420P:
        v.fullRange = true;
        [[fallthrough]];
    case AV_PIX_FMT_YUV420P:
        v.layout = PictureLayout::Yuv420p;
        break;
    case AV_PIX_FMT_NV12:
        v.layout = PictureLayout::Nv12;
        break;
    case AV_PIX_FMT_YUVJ422P:
        v.fullRange = true;
        [[fallthrough]];
    case AV_PIX_FMT_YUV422P:
        v.layout = PictureLayout::Yuv422p;
        break;
    case AV_PIX_FMT_YUVJ444P:
        v.fullRange = true;
        [[fallthrough]];
    case AV_PIX_FMT_YUV444P:
        v.layout = PictureLayout::Yuv444p;
        break;
    default:
        v.layout = PictureLayout::Unsupported;
        break;
    }
    for (std::size_t i = 0; i < v.planes.size(); ++i) {
        v.planes[i] = frame.data[i];
        v.linesize[i] = frame.linesize[i];
    }
    return v;
}

SamplesView viewSamples(const AVFrame& frame) {
    SamplesView v;
    v.channels = frame.ch_layout.nb_channels;
    v.frames = frame.nb_samples;
    v.sampleRate = frame.sample_rate;
    v.pts = std::chrono::milliseconds(frame.pts == AV_NOPTS_VALUE ? 0 : frame.pts);
    const auto format = static_cast<AVSampleFormat>(frame.format);
    const char* name = av_get_sample_fmt_name(format);
    v.formatName = name != nullptr ? name : "unknown";
    switch (format) {
    case AV_SAMPLE_FMT_FLTP:
        v.layout = SampleLayout::FloatPlanar;
        break;
    case AV_SAMPLE_FMT_FLT:
        v.layout = SampleLayout::Float;
        break;
    case AV_SAMPLE_FMT_S16P:
        v.layout = SampleLayout::S16Planar;
        break;
    case AV_SAMPLE_FMT_S16:
        v.layout = SampleLayout::S16;
        break;
    default:
        v.layout = SampleLayout::Unsupported;
        break;
    }
    const bool planar = av_sample_fmt_is_planar(format) != 0;
    const int planes = planar ? std::min<int>(v.channels, static_cast<int>(v.planes.size())) : 1;
    for (int i = 0; i < planes && frame.extended_data != nullptr; ++i) {
        v.planes[static_cast<std::size_t>(i)] = frame.extended_data[i];
    }
    return v;
}

} // namespace stagecast::media
