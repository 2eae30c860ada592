#include "director/PreviewOutput.h"

#include <algorithm>

#include "director/HubSink.h"
#include "director/Overlay.h"
#include "director/ProgramOutput.h"

namespace stagecast::director {

base::Status PreviewOutput::validate(const PreviewOptions& o, std::uint32_t canvasFps) {
    if (auto key = stream::StreamKey::parse(o.stream); !key) {
        return base::fail(o.fieldPrefix + "stream: " + key.error().message());
    }
    if (o.width < 16 || o.height < 16 || o.width % 2 != 0 || o.height % 2 != 0 || o.width > 3840 ||
        o.height > 2160) {
        return base::fail(o.fieldPrefix + "width/" + o.fieldPrefix +
                          "height: " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                          " must be even and within 16x16..3840x2160");
    }
    if (o.fps == 0 || canvasFps % o.fps != 0) {
        return base::fail(o.fieldPrefix + "fps: " + std::to_string(o.fps) +
                          " must divide the canvas fps (" + std::to_string(canvasFps) + ")");
    }
    if (o.kbps < 100 || o.kbps > 20000) {
        return base::fail(o.fieldPrefix + "bitrate_kbps: " + std::to_string(o.kbps) +
                          " is out of range 100..20000");
    }
    return {};
}

base::Result<std::unique_ptr<PreviewOutput>>
PreviewOutput::start(const PreviewOptions& options, obs_source_t* preview, obs_source_t* overlay) {
    obs_video_info canvas{};
    if (!obs_get_video_info(&canvas)) {
        return base::fail("libobs video is not running");
    }
    if (auto ok = validate(options, canvas.fps_num / std::max<std::uint32_t>(canvas.fps_den, 1));
        !ok) {
        return base::fail(ok.error());
    }
    std::unique_ptr<PreviewOutput> out(new PreviewOutput(options));
    out->view_ = ViewRef(obs_view_create());
    if (!out->view_) {
        return base::fail("libobs could not create the preview view");
    }
    obs_view_set_source(out->view_.get(), 0, preview);
    out->shown_ = preview;
    obs_view_set_source(out->view_.get(), kOverlayChannel, overlay);

    // The canvas' size and rate go in, the preview's size comes out (libobs scales on the GPU).
    obs_video_info mix = canvas;
    mix.output_width = options.width;
    mix.output_height = options.height;
    out->mix_ = obs_view_add2(out->view_.get(), &mix);
    if (out->mix_ == nullptr) {
        return base::fail("libobs could not add the preview mix (obs_view_add2)");
    }
    auto divider =
        FrameDivider::open(out->mix_, canvas.fps_num / canvas.fps_den / options.fps, options.fps);
    if (!divider) {
        return base::fail(divider.error());
    }
    out->divider_ = std::move(*divider);

    DataRef video(obs_data_create());
    obs_data_set_int(video.get(), "bitrate", options.kbps);
    obs_data_set_string(video.get(), "rate_control", "CBR");
    obs_data_set_int(video.get(), "keyint_sec", options.keyframeSeconds);
    obs_data_set_string(video.get(), "preset", "ultrafast");
    obs_data_set_string(video.get(), "tune", "zerolatency");
    out->video_ =
        EncoderRef(obs_video_encoder_create("obs_x264", "preview video", video.get(), nullptr));
    if (!out->video_) {
        return base::fail("the obs_x264 encoder is not available (OBS module obs-x264)");
    }
    obs_encoder_set_video(out->video_.get(), out->divider_->video());

    DataRef settings(obs_data_create());
    obs_data_set_string(settings.get(), "stream", options.stream.c_str());
    out->output_ =
        OutputRef(obs_output_create(kHubVideoOutputId, "preview", settings.get(), nullptr));
    if (!out->output_ || obs_obj_get_data(out->output_.get()) == nullptr) {
        return base::fail("preview stream '" + options.stream + "' must be APP/NAME");
    }
    obs_output_set_video_encoder(out->output_.get(), out->video_.get());
    if (!obs_output_start(out->output_.get())) {
        const char* why = obs_output_get_last_error(out->output_.get());
        return base::fail("the preview output did not start" +
                          std::string(why != nullptr ? std::string(": ") + why : ""));
    }
    out->started_ = std::chrono::steady_clock::now();
    return out;
}

PreviewOutput::~PreviewOutput() {
    if (output_) {
        obs_output_force_stop(output_.get());
    }
    output_.reset();
    video_.reset();
    divider_.reset(); // off the mix before the mix goes
    if (mix_ != nullptr) {
        obs_view_remove(view_.get());
    }
    if (view_) {
        obs_view_set_source(view_.get(), 0, nullptr);
        obs_view_set_source(view_.get(), kOverlayChannel, nullptr);
    }
    view_.reset();
}

void PreviewOutput::show(obs_source_t* preview) {
    if (preview != shown_) {
        obs_view_set_source(view_.get(), 0, preview);
        shown_ = preview;
    }
}

PreviewFigures PreviewOutput::figures() const {
    PreviewFigures f;
    f.enabled = true;
    f.stream = options_.stream;
    f.width = options_.width;
    f.height = options_.height;
    f.fps = options_.fps;
    auto* sink = output_ ? static_cast<HubSink*>(obs_obj_get_data(output_.get())) : nullptr;
    if (sink != nullptr) {
        f.output = sink->figures();
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started_)
                        .count();
    f.bitrateKbps = ms > 0 ? f.output.bytes * 8 / static_cast<std::uint64_t>(ms) : 0;
    f.laggedFrames = divider_ ? divider_->dropped() : 0;
    if (mix_ != nullptr) {
        f.laggedFrames += video_output_get_skipped_frames(mix_);
    }
    return f;
}

} // namespace stagecast::director
