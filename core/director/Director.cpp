#include "director/Director.h"

#include <algorithm>

#include "base/Log.h"
#include "director/DirectorImpl.h"
#include "director/SlotFrame.h"
#include "director/ToneSource.h"
#include "director/VideoEncoderChoice.h"

namespace stagecast::director {

namespace {

PreviewOptions previewOptions(const DirectorOptions& o) {
    PreviewOptions p;
    p.stream = o.previewStream;
    p.width = o.previewWidth;
    p.height = o.previewHeight;
    p.fps = o.previewFps;
    p.kbps = o.previewKbps;
    return p;
}

/// The program output with the configured encoder, or x264 when that encoder is not offered
/// here or does not start (a hardware encoder without its device): the note says which.
base::Result<std::unique_ptr<ProgramOutput>> startProgram(const DirectorOptions& o,
                                                          ProgramEncoder& e) {
    e.wanted = o.videoEncoder;
    e.rateControl = o.rateControl;
    e.kbps = o.videoKbps;
    e.keyframeSeconds = o.keyframeSeconds;
    e.available = ProgramOutput::availableH264Encoders();
    auto choice = chooseVideoEncoder(o.videoEncoder, e.available);
    ProgramOptions p;
    p.stream = o.programStream;
    p.encoderId = choice.id;
    p.rateControl = o.rateControl;
    p.videoKbps = o.videoKbps;
    p.audioKbps = o.audioKbps;
    p.keyframeSeconds = o.keyframeSeconds;
    p.x264Preset = o.x264Preset;
    auto program = ProgramOutput::start(p);
    if (!program && choice.id != kX264EncoderId) {
        choice.note = "video_encoder '" + o.videoEncoder + "' (" + choice.id +
                      ") did not start: " + program.error().message() + "; the program uses x264";
        p.encoderId = choice.id = kX264EncoderId;
        program = ProgramOutput::start(p);
    }
    e.id = choice.id;
    e.note = choice.note;
    if (!e.note.empty()) {
        base::log(base::LogLevel::Warning, "director", e.note);
    }
    return program;
}

} // namespace

Director::Director(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Director::~Director() {
    impl_->shutdown();
}

base::Result<std::unique_ptr<Director>> Director::start(stream::Hub& hub, DirectorOptions options) {
    if (auto key = stream::StreamKey::parse(options.programStream); !key) {
        return base::fail("director program stream: " + key.error().message());
    }
    if (options.previewOutput) {
        if (auto ok = PreviewOutput::validate(previewOptions(options), options.fps); !ok) {
            return base::fail("director " + ok.error().message());
        }
        if (options.previewStream == options.programStream) {
            return base::fail("director preview_stream: " + options.previewStream +
                              " is also the program stream");
        }
    }
    auto impl = std::make_unique<Impl>(hub, std::move(options));
    const auto& o = impl->options;
    EngineOptions engineOptions;
    engineOptions.width = o.width;
    engineOptions.height = o.height;
    engineOptions.fps = o.fps;
    engineOptions.configDir = o.configDir;
    auto engine = Engine::start(engineOptions);
    if (!engine) {
        return base::fail(engine.error());
    }
    impl->engine = std::move(*engine);
    // Under Mesa's software rasteriser, swscale's YUV -> BGRA costs less CPU than libobs'
    // conversion shader (docs/benchmarks.md, "Cost breakdown under llvmpipe").
    const bool bgra = impl->engine->softwareRenderer();
    registerHubInputSource(
        hub, {o.stallAfter, std::chrono::milliseconds(1000), bgra, std::chrono::milliseconds(10)});
    registerSlotFrameSource();
    registerToneSource();
    ProgramOutput::registerType(hub);
    FrameDivider::registerType();

    auto studio = Studio::create();
    if (!studio) {
        return base::fail(studio.error());
    }
    impl->studio = std::move(*studio);
    impl->overlays = std::make_unique<OverlayLayer>(o.width, o.height);
    impl->transitions = std::make_unique<TransitionDesk>(o.transition);
    impl->audio = std::make_unique<AudioDesk>();

    auto program = startProgram(o, impl->encoder);
    if (!program) {
        impl->studio.reset();
        return base::fail(program.error());
    }
    impl->program = std::move(*program);
    if (o.previewOutput) {
        std::lock_guard lock(impl->mutex);
        auto preview = PreviewOutput::start(previewOptions(o), impl->studio->previewSource(),
                                            impl->overlays->source());
        if (!preview) {
            impl->program.reset();
            impl->studio.reset();
            return base::fail(preview.error());
        }
        impl->preview = std::move(*preview);
        impl->studio->onPreviewShown(
            [raw = impl->preview.get()](obs_source_t* shown) { raw->show(shown); });
    }
    impl->thumbnails = std::make_unique<Thumbnails>(o.width, o.height);

    // Streams already live become inputs now; later ones as they are published.
    hub.addListener(impl.get());
    for (const auto& s : hub.snapshot()) {
        if (s.live && !impl->ownStream(s.key)) {
            std::lock_guard lock(impl->mutex);
            impl->ensureInput(s.key);
        }
    }
    {
        std::lock_guard lock(impl->mutex);
        impl->transition = o.transition;
        impl->restore();
    }
    impl->worker = std::thread([raw = impl.get()] { raw->run(); });
    return std::unique_ptr<Director>(new Director(std::move(impl)));
}

base::Status Director::setPreview(const LayoutSpec& adHoc) {
    LayoutSpec spec = adHoc;
    spec.name.clear(); // only recallLayout() names what is in preview
    if (auto ok = validate(spec); !ok) {
        return ok;
    }
    std::lock_guard lock(impl_->mutex);
    return impl_->previewKnown(spec);
}

base::Status Director::recallLayout(const std::string& name) {
    std::lock_guard lock(impl_->mutex);
    const auto* saved = impl_->saved.find(name);
    if (saved == nullptr) {
        return base::fail("layout '" + name + "' is not saved (saved: " + impl_->saved.names() +
                          ")");
    }
    const LayoutSpec spec = saved->layout; // a copy: the list may change under a later call
    return impl_->previewKnown(spec);
}

base::Status Director::Impl::previewKnown(const LayoutSpec& spec) {
    for (const auto& [field, name] : namedInputs(spec)) {
        if (!knownStream(name)) {
            return base::fail((field.empty() ? "" : field + ": ") + "input " + name +
                              " is not known: publish it first (inputs: " + knownList() + ")");
        }
    }
    auto ok = applyPreview(spec);
    if (ok) {
        save();
        tally();
    }
    return ok;
}

base::Result<Take> Director::cut() {
    std::lock_guard lock(impl_->mutex);
    Take take;
    take.programTime = impl_->programTimeNow();
    take.laggedFrames = obs_get_lagged_frames();
    auto ok = impl_->studio->cut();
    if (ok) {
        base::log(base::LogLevel::Info, "director",
                  "cut: program = " + describe(*impl_->studio->program()));
        impl_->save();
        impl_->tally();
    }
    if (!ok) {
        return base::fail(ok.error());
    }
    return take;
}

base::Result<Take> Director::autoTransition(std::chrono::milliseconds duration) {
    return autoTransition(duration, std::nullopt);
}

base::Result<Take> Director::autoTransition(std::chrono::milliseconds duration,
                                            const std::optional<TransitionSpec>& oneOff) {
    if (duration.count() < 0 || duration > std::chrono::milliseconds(60000)) {
        return base::fail("duration_ms: " + std::to_string(duration.count()) +
                          " is out of range 0..60000");
    }
    // This take's own transition, else the saved layout's in preview, else the configured.
    const std::optional<TransitionSpec> chosen = oneOff ? oneOff : impl_->previewOverride();
    base::Result<SourceRef> built = SourceRef();
    if (chosen) {
        impl_->runOnWorker([&] { built = impl_->transitions->make(*chosen); });
        if (!built) {
            return base::fail(oneOff ? built.error().message()
                                     : "the saved layout's transition: " + built.error().message());
        }
    }
    std::lock_guard lock(impl_->mutex);
    if (duration.count() == 0) {
        duration = chosen ? chosen->duration : impl_->transition;
    }
    impl_->transitions->prepare(*impl_->studio, std::move(*built));
    Take take;
    take.programTime = impl_->programTimeNow();
    take.laggedFrames = obs_get_lagged_frames();
    auto ok = impl_->studio->autoTransition(duration);
    if (ok) {
        base::log(base::LogLevel::Info, "director",
                  "auto (" + std::to_string(duration.count()) + " ms " +
                      toString((chosen ? *chosen : impl_->transitions->configured()).type) +
                      "): program = " + describe(*impl_->studio->program()));
        impl_->save();
        impl_->tally();
    }
    if (!ok) {
        return base::fail(ok.error());
    }
    return take;
}

base::Status Director::setAudio(const std::string& stream, std::optional<double> volume,
                                std::optional<bool> muted) {
    if (volume && !(*volume >= 0.0 && *volume <= 4.0)) {
        return base::fail("volume: " + std::to_string(*volume) +
                          " is out of range 0..4 (1 = unchanged, 0 = silent)");
    }
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->inputs.find(stream);
    if (it == impl_->inputs.end()) {
        return base::fail("input " + stream + " is not known (inputs: " + impl_->knownList() + ")");
    }
    obs_source_t* source = it->second->audioSource();
    if (volume) {
        obs_source_set_volume(source, static_cast<float>(*volume));
    }
    if (muted) {
        obs_source_set_muted(source, *muted);
    }
    base::log(base::LogLevel::Info, "director",
              "input " + stream + ": volume " + std::to_string(obs_source_get_volume(source)) +
                  (obs_source_muted(source) ? ", muted" : ""));
    impl_->audio->syncVolume(stream);
    impl_->save();
    return {};
}

} // namespace stagecast::director
