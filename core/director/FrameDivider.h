#pragma once
/// Every n-th raw frame of one libobs mix, handed on as a video output of its own (libobs 29
/// renders every mix at the canvas rate and stamps encoder packets by frame count, so an
/// encoder must sit on a video_t whose rate is what it receives). The frames keep their render
/// times; the new output's rate is the mix's divided by n.
///
/// The frames are taken by a raw output of the type "stagecast_frame_tap" (registered here):
/// libobs renders and downloads a mix's raw frames only while a raw output or an encoder uses
/// it, which a bare video_output_connect does not count.
///
/// Threads: registerType/open/destructor on the director's thread; frames arrive on the mix's
/// video thread; dropped() from any thread.

#include <atomic>
#include <cstdint>
#include <memory>

#include "base/Result.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

inline constexpr const char* kFrameTapId = "stagecast_frame_tap";

class FrameDivider {
public:
    static void registerType();
    /// Opens a `fps`/1 output with `mix`'s size and format (NV12 or I420) and starts taking
    /// every `every`-th frame of `mix`. Fails naming what libobs refused.
    static base::Result<std::unique_ptr<FrameDivider>> open(video_t* mix, std::uint32_t every,
                                                            std::uint32_t fps);
    ~FrameDivider(); // stops taking frames, then closes the output
    FrameDivider(const FrameDivider&) = delete;
    FrameDivider& operator=(const FrameDivider&) = delete;

    video_t* video() const { return own_.get(); }
    /// Frames that were due but not handed on: the consumer was still busy with earlier ones.
    std::uint64_t dropped() const { return dropped_; }
    /// Called by the tap for each frame of the mix (the mix's video thread).
    void frame(const video_data& frame) noexcept;

private:
    explicit FrameDivider(std::uint32_t every) : every_(every) {}
    void copy(const video_data& frame) noexcept;

    const std::uint32_t every_;
    VideoOutputRef own_;
    OutputRef tap_;
    std::uint64_t count_ = 0; // mix frames seen (the mix's video thread only)
    std::atomic<std::uint64_t> dropped_{0};
};

} // namespace stagecast::director
