// The director's operator controls beyond the takes: director-defined inputs, backups,
// capture, thumbnails, the overlay layer, transitions, the T-bar, audio routing and the state.

#include "director/Director.h"

#include "base/Log.h"
#include "director/DirectorImpl.h"

namespace stagecast::director {

base::Status Director::addInput(const InputSpec& spec) {
    return impl_->change([&] { return impl_->addLocal(spec, true); });
}

base::Status Director::removeInput(const std::string& id) {
    impl_->thumbnails->forget(id);
    return impl_->change([&]() -> base::Status {
        if (auto ok = impl_->local.removable(id, *impl_->studio); !ok) {
            return ok;
        }
        for (const auto& o : impl_->overlays->specs()) {
            if (o.input == id) {
                return base::fail("input " + id + " is shown by overlay '" + o.id +
                                  "': remove the overlay first");
            }
        }
        // Out of the preview first: the preview scene holds the input's frame.
        if (const auto& p = impl_->studio->preview(); p) {
            if (auto rest = withoutInput(*p, id); !rest) {
                impl_->studio->clearPreview();
                base::log(base::LogLevel::Info, "director",
                          "preview: cleared (" + id + " removed)");
            } else if (*rest != *p) {
                if (auto ok = impl_->applyPreview(*rest); !ok) {
                    return ok;
                }
            }
        }
        impl_->audio->remove(id); // its meter and routing go before its source
        auto ok = impl_->local.remove(id, *impl_->studio);
        if (ok) {
            DirectorEvent e;
            e.event = "input_removed";
            e.stream = id;
            impl_->publishEvent(e);
            impl_->tally();
        }
        impl_->refreshMultiview();
        return ok;
    });
}

base::Status Director::setBackup(const std::string& input, const std::string& backup) {
    return impl_->change([&] { return impl_->local.setBackup(input, backup); });
}

std::vector<CaptureKind> Director::captureDevices() const {
    return discoverCapture();
}

base::Result<std::vector<std::uint8_t>> Director::thumbnail(const std::string& input) {
    SourceRef slot;
    {
        std::lock_guard lock(impl_->mutex);
        auto it = impl_->inputs.find(input);
        if (it == impl_->inputs.end()) {
            return base::fail("input " + input + " is not known");
        }
        slot = shareSource(it->second->source());
    }
    return impl_->thumbnails->get(input, std::move(slot), std::chrono::milliseconds(5000));
}

base::Status Director::setOverlay(const OverlaySpec& overlay) {
    std::lock_guard lock(impl_->mutex);
    return impl_->afterOverlay(impl_->applyOverlay(overlay), "set", overlay.id);
}

base::Status Director::showOverlay(const std::string& id, bool on) {
    std::lock_guard lock(impl_->mutex);
    return impl_->afterOverlay(impl_->overlays->show(id, on), on ? "on" : "off", id);
}

base::Status Director::removeOverlay(const std::string& id) {
    std::lock_guard lock(impl_->mutex);
    return impl_->afterOverlay(impl_->overlays->remove(id), "removed", id);
}

base::Status Director::saveLayout(const SavedLayout& layout) {
    if (auto ok = validateLayoutName(layout.name); !ok) {
        return ok;
    }
    if (auto ok = validate(layout.layout); !ok) {
        return base::fail("layout: " + ok.error().message());
    }
    std::lock_guard lock(impl_->mutex);
    if (layout.transition) {
        if (auto ok = validate(*layout.transition, impl_->transitions->lumaImages()); !ok) {
            return base::fail("transition: " + ok.error().message());
        }
    }
    SavedLayout kept = layout;
    kept.layout.name = kept.name;
    auto ok = impl_->saved.put(std::move(kept));
    if (ok) {
        base::log(base::LogLevel::Info, "director", "layout '" + layout.name + "' saved");
        impl_->save();
    }
    return ok;
}

base::Status Director::removeLayout(const std::string& name) {
    return impl_->change([&] { return impl_->saved.remove(name); });
}

std::vector<SavedLayout> Director::savedLayouts() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->saved.list();
}

base::Status Director::setMultiview(const MultiviewSettings& settings) {
    std::lock_guard lock(impl_->mutex);
    // The encoder and output are made on a short-lived thread (held by this one's lock):
    // x264's and the fonts' libraries leave thread-specific data behind that must go before
    // libobs unloads them at exit, which a server thread would outlive.
    base::Status ok;
    std::thread([&] { ok = impl_->applyMultiview(settings); }).join();
    if (ok) {
        impl_->save();
    }
    return ok;
}

base::Status Director::setTransition(const TransitionSpec& spec) {
    base::Result<SourceRef> built = SourceRef();
    impl_->runOnWorker([&] { built = impl_->transitions->make(spec); });
    if (!built) {
        return base::fail(built.error());
    }
    std::lock_guard lock(impl_->mutex);
    impl_->transitions->adopt(spec, std::move(*built));
    impl_->transition = spec.duration;
    impl_->save();
    return {};
}

base::Result<TbarMove> Director::moveTbar(double position) {
    // A manual take that starts here uses the saved layout's own transition, as Auto does;
    // it is built (on the director's thread) before the lock, only when the bar leaves 0.
    base::Result<SourceRef> own = SourceRef();
    bool starting = false;
    {
        std::lock_guard lock(impl_->mutex);
        starting = position > 0.0 && impl_->studio->tbarPosition() <= 0.0;
    }
    if (starting) {
        if (const auto chosen = impl_->previewOverride()) {
            impl_->runOnWorker([&] { own = impl_->transitions->make(*chosen); });
            if (!own) {
                return base::fail("the saved layout's transition: " + own.error().message());
            }
        }
    }
    std::lock_guard lock(impl_->mutex);
    auto move = impl_->transitions->moveTbar(*impl_->studio, position, std::move(*own));
    impl_->refreshMultiview(); // the T-bar may have put the configured transition on air
    if (move && move->completed) {
        impl_->save();
        impl_->tally();
    }
    return move;
}

base::Result<std::string> Director::setAudioRouting(const std::string& stream,
                                                    const AudioRouting& routing) {
    std::lock_guard lock(impl_->mutex);
    auto problem = impl_->audio->route(stream, routing);
    if (problem) {
        impl_->save();
    }
    return problem;
}

std::vector<InputFigures> Director::inputs() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->figures();
}

DirectorState Director::state() const {
    DirectorState s;
    const auto& o = impl_->options;
    s.width = o.width;
    s.height = o.height;
    s.fps = o.fps;
    s.programStream = o.programStream;
    s.windowSystem = toString(impl_->engine->display().system());
    s.display = impl_->engine->display().name();
    s.renderer = impl_->engine->adapter();
    s.renderedFrames = obs_get_total_frames();
    s.laggedFrames = obs_get_lagged_frames();
    s.skippedFrames = video_output_get_skipped_frames(obs_get_video());
    for (const auto& m : impl_->engine->loadedModules()) {
        s.modules.push_back({m, {}});
    }
    for (const auto& m : impl_->engine->missingModules()) {
        s.modules.push_back({m.module, m.reason});
    }
    s.output = impl_->program->figures();
    s.encoder = impl_->encoder;
    std::lock_guard lock(impl_->mutex);
    if (impl_->preview) {
        s.previewOutput = impl_->preview->figures();
    }
    if (impl_->multiview) {
        s.multiview = impl_->multiview->figures();
    }
    s.multiviewSettings = impl_->multiviewSettings;
    s.inputs = impl_->figures();
    if (const auto& p = impl_->studio->preview()) {
        s.hasPreview = true;
        s.preview = *p;
    }
    if (const auto& p = impl_->studio->program()) {
        s.hasProgram = true;
        s.program = *p;
    }
    s.transitioning = impl_->studio->transitioning();
    s.overlays = impl_->overlays->specs();
    s.collectionFile = o.collectionFile;
    s.collectionProblems = impl_->collectionProblems;
    s.transition = impl_->transitions->configured();
    s.tbarPosition = impl_->studio->tbarPosition();
    s.programMeter = impl_->audio->program();
    s.lumaImages = impl_->transitions->lumaImages();
    return s;
}

const DirectorOptions& Director::options() const {
    return impl_->options;
}

} // namespace stagecast::director
