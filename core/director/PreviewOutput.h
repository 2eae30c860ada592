#pragma once
/// The preview as a stream (cloud directors' preview monitor): a second libobs mix (an
/// obs_view on its own video output, libobs 29's obs_view_add2) renders the preview scene on
/// its channel 0 with the overlay layer's scene on kOverlayChannel, scaled to the preview's
/// size; every n-th frame (FrameDivider) goes to obs_x264 (ultrafast, zerolatency, CBR) and
/// the video-only hub output publishes it (`live/preview` by default). No sound: the program
/// carries it. Timestamps count preview frames from zero, whatever the preview shows, so
/// takes and scene changes never touch them.
///
/// Threads: start/show/destructor under the director's lock; figures() from any thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "base/Result.h"
#include "director/DirectorTypes.h"
#include "director/FrameDivider.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

struct PreviewOptions {
    std::string stream = "live/preview";
    std::uint32_t width = 640;
    std::uint32_t height = 360;
    std::uint32_t fps = 15; // must divide the canvas fps
    std::uint32_t kbps = 800;
    std::uint32_t keyframeSeconds = 2;
    /// Error messages name the fields with it ("preview_fps: ..."; the multiview's are bare).
    std::string fieldPrefix = "preview_";
};

class PreviewOutput {
public:
    /// Checks `options` against the canvas (`canvasFps`): fails naming the field.
    static base::Status validate(const PreviewOptions& options, std::uint32_t canvasFps);
    /// Creates the mix showing `preview` under `overlay`, the encoder and the output, and
    /// starts publishing. Fails naming what did not start ("stream live/preview is already
    /// being published").
    static base::Result<std::unique_ptr<PreviewOutput>>
    start(const PreviewOptions& options, obs_source_t* preview, obs_source_t* overlay);
    ~PreviewOutput();
    PreviewOutput(const PreviewOutput&) = delete;
    PreviewOutput& operator=(const PreviewOutput&) = delete;

    /// What the preview mix shows under the overlays from the next frame on.
    void show(obs_source_t* preview);
    PreviewFigures figures() const;

private:
    explicit PreviewOutput(PreviewOptions options) : options_(std::move(options)) {}

    PreviewOptions options_;
    ViewRef view_;
    obs_source_t* shown_ = nullptr; // on channel 0 (the view holds the reference)
    video_t* mix_ = nullptr; // the view's video output, owned by libobs until obs_view_remove
    std::unique_ptr<FrameDivider> divider_;
    EncoderRef video_;
    OutputRef output_;
    std::chrono::steady_clock::time_point started_;
};

} // namespace stagecast::director
