#include "director/FrameDivider.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <new>

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

/// The tap's state: its output and the divider it feeds (set once the output exists).
struct Tap {
    obs_output_t* output; // not owned: the output owns this object
    std::atomic<FrameDivider*> target{nullptr};
};

const char* tapName(void*) noexcept {
    return "Stagecast frame tap";
}

void* tapCreate(obs_data_t*, obs_output_t* output) noexcept {
    return new (std::nothrow) Tap{output};
}

void tapDestroy(void* data) noexcept {
    delete static_cast<Tap*>(data);
}

bool tapStart(void* data) noexcept {
    (void)data;
    return true; // the output begins capturing in open(), where the output is known
}

void tapStop(void* data, std::uint64_t) noexcept {
    obs_output_end_data_capture(static_cast<Tap*>(data)->output);
}

void tapFrame(void* data, video_data* frame) noexcept {
    auto* target = static_cast<Tap*>(data)->target.load();
    if (target != nullptr && frame != nullptr) {
        target->frame(*frame);
    }
}

} // namespace

void FrameDivider::registerType() {
    obs_output_info info{};
    info.id = kFrameTapId;
    info.flags = OBS_OUTPUT_VIDEO;
    info.get_name = tapName;
    info.create = tapCreate;
    info.destroy = tapDestroy;
    info.start = tapStart;
    info.stop = tapStop;
    info.raw_video = tapFrame;
    obs_register_output(&info);
}

base::Result<std::unique_ptr<FrameDivider>> FrameDivider::open(video_t* mix, std::uint32_t every,
                                                               std::uint32_t fps) {
    const video_output_info* in = video_output_get_info(mix);
    if (in == nullptr) {
        return base::fail("the preview mix has no video output");
    }
    if (planeRows(in->format, in->height).count == 0) {
        return base::fail("the preview mix's pixel format is neither NV12 nor I420");
    }
    std::unique_ptr<FrameDivider> divider(new FrameDivider(std::max<std::uint32_t>(every, 1)));
    video_output_info info = *in;
    info.name = "preview";
    info.fps_num = fps;
    info.fps_den = 1;
    video_t* own = nullptr;
    if (video_output_open(&own, &info) != VIDEO_OUTPUT_SUCCESS || own == nullptr) {
        return base::fail("libobs could not open the preview's video output");
    }
    divider->own_ = VideoOutputRef(own);

    divider->tap_ = OutputRef(obs_output_create(kFrameTapId, "preview frames", nullptr, nullptr));
    auto* tap = divider->tap_ ? static_cast<Tap*>(obs_obj_get_data(divider->tap_.get())) : nullptr;
    if (tap == nullptr) {
        return base::fail("libobs could not create the preview's frame tap");
    }
    tap->target = divider.get();
    obs_output_set_media(divider->tap_.get(), mix, obs_get_audio());
    if (!obs_output_start(divider->tap_.get()) ||
        !obs_output_can_begin_data_capture(divider->tap_.get(), 0) ||
        !obs_output_begin_data_capture(divider->tap_.get(), 0)) {
        return base::fail("libobs refused to hand the preview mix's frames on");
    }
    return divider;
}

FrameDivider::~FrameDivider() {
    if (tap_) {
        // The tap is no longer fed once its release returns (libobs waits for the stop).
        obs_output_force_stop(tap_.get());
        tap_.reset();
    }
    own_.reset();
}

void FrameDivider::frame(const video_data& frame) noexcept {
    if (count_++ % every_ == 0) {
        copy(frame);
    }
}

void FrameDivider::copy(const video_data& frame) noexcept {
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
