#include "director/FrameDivider.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <media-io/video-frame.h>

namespace stagecast::director {

namespace {

struct Planes {
    std::size_t count = 0; // 0: a format not handled here
    std::array<std::uint32_t, 3> rows{};
};

/// The rows of each plane of a `height`-line picture.
Planes planeRows(video_format format, std::uint32_t height) {
    switch (format) {
    case VIDEO_FORMAT_NV12:
        return {2, {height, height / 2, 0}};
    case VIDEO_FORMAT_I420:
        return {3, {height, height / 2, height / 2}};
    default:
        return {};
    }
}

} // namespace

base::Result<std::unique_ptr<FrameDivider>> FrameDivider::open(video_t* source, std::uint32_t every,
                                                               std::uint32_t fps) {
    const video_output_info* in = video_output_get_info(source);
    if (in == nullptr) {
        return base::fail("the preview mix has no video output");
    }
    if (planeRows(in->format, in->height).count == 0) {
        return base::fail("the preview mix's pixel format is neither NV12 nor I420");
    }
    std::unique_ptr<FrameDivider> divider(
        new FrameDivider(source, std::max<std::uint32_t>(every, 1)));
    video_output_info info = *in;
    info.name = "preview";
    info.fps_num = fps;
    info.fps_den = 1;
    video_t* own = nullptr;
    if (video_output_open(&own, &info) != VIDEO_OUTPUT_SUCCESS || own == nullptr) {
        return base::fail("libobs could not open the preview's video output");
    }
    divider->own_ = VideoOutputRef(own);
    if (!video_output_connect(source, nullptr, &FrameDivider::onFrame, divider.get())) {
        return base::fail("libobs refused a connection to the preview mix");
    }
    divider->connected_ = true;
    return divider;
}

FrameDivider::~FrameDivider() {
    if (connected_) {
        video_output_disconnect(source_, &FrameDivider::onFrame, this);
    }
    own_.reset();
}

void FrameDivider::onFrame(void* param, video_data* frame) noexcept {
    auto* self = static_cast<FrameDivider*>(param);
    if (frame == nullptr || self->count_++ % self->every_ != 0) {
        return;
    }
    self->copy(*frame);
}

void FrameDivider::copy(const video_data& frame) {
    video_frame out{};
    if (!video_output_lock_frame(own_.get(), &out, 1, frame.timestamp)) {
        ++dropped_;
        return;
    }
    const video_output_info* info = video_output_get_info(own_.get());
    const auto planes = planeRows(info->format, info->height);
    for (std::size_t p = 0; p < planes.count; ++p) {
        if (out.data[p] == nullptr || frame.data[p] == nullptr) {
            continue;
        }
        const std::uint32_t bytes = std::min(out.linesize[p], frame.linesize[p]);
        for (std::uint32_t r = 0; r < planes.rows[p]; ++r) {
            std::memcpy(out.data[p] + static_cast<std::size_t>(r) * out.linesize[p],
                        frame.data[p] + static_cast<std::size_t>(r) * frame.linesize[p], bytes);
        }
    }
    video_output_unlock_frame(own_.get());
}

} // namespace stagecast::director
