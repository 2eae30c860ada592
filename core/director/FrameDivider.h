#pragma once
/// Every n-th raw frame of one libobs video output, handed on as a video output of its own
/// (libobs 29 renders every mix at the canvas rate and stamps encoder packets by frame count,
/// so an encoder must sit on a video_t whose rate is what it receives). The frames keep their
/// render times; the new output's rate is the source's divided by n.
///
/// Threads: open/destructor on the director's thread; frames arrive on the source output's
/// video thread; dropped() from any thread.

#include <atomic>
#include <cstdint>
#include <memory>

#include "base/Result.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

class FrameDivider {
public:
    /// Opens a `fps`/1 output with `source`'s size and format (NV12 or I420) and connects to
    /// `source`, taking every `every`-th frame. Fails naming what libobs refused.
    static base::Result<std::unique_ptr<FrameDivider>> open(video_t* source, std::uint32_t every,
                                                            std::uint32_t fps);
    ~FrameDivider(); // disconnects from the source, then closes the output
    FrameDivider(const FrameDivider&) = delete;
    FrameDivider& operator=(const FrameDivider&) = delete;

    video_t* video() const { return own_.get(); }
    /// Frames that were due but not handed on: the consumer was still busy with earlier ones.
    std::uint64_t dropped() const { return dropped_; }

private:
    FrameDivider(video_t* source, std::uint32_t every) : source_(source), every_(every) {}
    static void onFrame(void* param, video_data* frame) noexcept;
    void copy(const video_data& frame);

    video_t* const source_; // not owned
    const std::uint32_t every_;
    VideoOutputRef own_;
    bool connected_ = false;
    std::uint64_t count_ = 0; // source frames seen (the source's video thread only)
    std::atomic<std::uint64_t> dropped_{0};
};

} // namespace stagecast::director
