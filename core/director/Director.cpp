#include "director/Director.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/Log.h"
#include "director/AudioDesk.h"
#include "director/CaptureDiscovery.h"
#include "director/Engine.h"
#include "director/HubInputSource.h"
#include "director/InputSlot.h"
#include "director/Layouts.h"
#include "director/Overlay.h"
#include "director/ProgramOutput.h"
#include "director/SceneCollection.h"
#include "director/SourceInputs.h"
#include "director/Studio.h"
#include "director/Thumbnails.h"
#include "director/TransitionDesk.h"
#include "director/WorkerTasks.h"

namespace stagecast::director {

namespace {

// How often standby slates follow their inputs' states.
constexpr auto kSuperviseEvery = std::chrono::milliseconds(100);

} // namespace

struct Director::Impl : stream::HubEventListener {
    Impl(stream::Hub& h, DirectorOptions o) : hub(h), options(std::move(o)) {}

    stream::Hub& hub;
    const DirectorOptions options;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<ProgramOutput> program;

    mutable std::mutex mutex; // guards inputs and studio
    std::map<std::string, std::unique_ptr<InputSlot>> inputs;
    std::unique_ptr<Studio> studio;
    SourceInputs local{inputs, options.width, options.height}; // director-defined inputs
    std::unique_ptr<Thumbnails> thumbnails;
    std::unique_ptr<OverlayLayer> overlays;
    std::unique_ptr<TransitionDesk> transitions;
    std::unique_ptr<AudioDesk> audio;
    std::chrono::milliseconds transition{1000}; // Auto's default
    bool keepCollection = false; // false when the saved file was refused (not overwritten)
    std::vector<std::string> collectionProblems;
    std::string lastSaveError;

    // New streams, from hub listeners (network threads) to the director's thread.
    std::mutex queueMutex;
    std::condition_variable queueCv;
    std::deque<std::string> pending;
    WorkerTasks tasks; // run on this thread without `mutex` (transitions: graphics)
    bool stopping = false;
    std::thread worker;

    void onHubEvent(const stream::HubEvent& event) override {
        if (event.type != stream::HubEventType::Published ||
            event.stream == options.programStream) {
            return;
        }
        {
            std::lock_guard lock(queueMutex);
            pending.push_back(event.stream);
        }
        queueCv.notify_one();
    }

    void run() {
        while (true) {
            std::deque<std::string> streams;
            bool stop = false;
            {
                std::unique_lock lock(queueMutex);
                queueCv.wait_for(lock, kSuperviseEvery, [this] {
                    return stopping || !pending.empty() || tasks.pending();
                });
                stop = stopping;
                streams.swap(pending);
            }
            tasks.runQueued(); // even when stopping: a caller waits
            if (stop) {
                return;
            }
            std::lock_guard lock(mutex);
            for (const auto& stream : streams) {
                ensureInput(stream);
            }
            supervise();
            if (auto meters = audio->meterEvent()) {
                publishEvent(*meters);
            }
        }
    }

    void runOnWorker(const std::function<void()>& task) {
        tasks.runAndWait(task, [this] {
            std::lock_guard lock(queueMutex); // no lost wake-up between check and wait
            queueCv.notify_one();
        });
    }

    /// Standby slates follow the inputs' states. Under `mutex`.
    void supervise() {
        local.followBackups();
        for (auto& [name, slot] : inputs) {
            const auto changed = slot->supervise();
            if (!changed) {
                continue;
            }
            const auto e = SourceInputs::reportStandby(name, *slot, *changed);
            publishEvent(e);
            if (options.onStandbyAlert && (!*changed || SourceInputs::onProgram(*studio, name))) {
                options.onStandbyAlert(name, *changed,
                                       "input " + name + " on program is " + e.state +
                                           ": showing " + e.showing);
            }
        }
    }

    /// The input's source, created on first use. Under `mutex`.
    obs_source_t* ensureInput(const std::string& stream) {
        if (auto it = inputs.find(stream); it != inputs.end()) {
            return it->second->source();
        }
        if (isLocalInputId(stream)) {
            return nullptr; // director inputs are created by addInput only
        }
        auto slot = InputSlot::create(stream, options.width, options.height);
        if (!slot) {
            base::log(base::LogLevel::Warning, "director", slot.error().message());
            return nullptr;
        }
        base::log(base::LogLevel::Info, "director", "input " + stream + " added");
        DirectorEvent e;
        e.event = "input";
        e.stream = stream;
        publishEvent(e);
        auto* raw = (*slot)->source();
        audio->add(**slot);
        inputs.emplace(stream, std::move(*slot));
        return raw;
    }

    bool knownStream(const std::string& stream) const {
        if (inputs.count(stream) != 0) {
            return true;
        }
        auto key = stream::StreamKey::parse(stream);
        return key && hub.snapshot(*key).has_value();
    }

    std::string knownList() const {
        std::string list;
        for (const auto& [name, slot] : inputs) {
            list += (list.empty() ? "" : ", ") + name;
        }
        return list.empty() ? "none yet" : list;
    }

    std::vector<InputFigures> figures() const {
        std::vector<InputFigures> out;
        for (const auto& [name, slot] : inputs) {
            InputFigures f;
            f.stream = name;
            f.standby = slot->standby();
            f.volume = obs_source_get_volume(slot->audioSource());
            f.muted = obs_source_muted(slot->audioSource());
            if (auto* input = slot->input()) {
                auto live = input->figures();
                f.state = toString(live.state);
                f.videoFrames = live.videoFrames;
                f.audioFrames = live.audioFrames;
                f.width = live.width;
                f.height = live.height;
                f.lastProblem = live.lastProblem;
            } else if (auto* l = slot->local()) {
                f.state = slot->state(&f.lastProblem);
                f.width = l->width();
                f.height = l->height();
                f.kind = toString(l->spec().kind);
                f.settingsJson = toJson(l->spec());
            }
            f.backup = slot->backup();
            f.showing = slot->showing();
            const bool overlaid = overlayShows(name);
            const auto shows = [&name, overlaid](const std::optional<LayoutSpec>& spec) {
                const auto in = spec ? inputsOf(*spec) : std::vector<std::string>{};
                return overlaid || std::find(in.begin(), in.end(), name) != in.end();
            };
            f.onProgram = shows(studio->program());
            f.onPreview = shows(studio->preview());
            audio->fill(f);
            out.push_back(std::move(f));
        }
        return out;
    }

    /// Whether an overlay that is on shows input `name`. Under `mutex`.
    bool overlayShows(const std::string& name) const {
        for (const auto& o : overlays->specs()) {
            if (o.on && o.kind == OverlayKind::Input && o.input == name) {
                return true;
            }
        }
        return false;
    }

    /// Builds `spec` (inputs created as needed) and puts it in preview. Under `mutex`.
    base::Status applyPreview(const LayoutSpec& spec) {
        for (const auto& name : inputsOf(spec)) {
            if (ensureInput(name) == nullptr) {
                return base::fail("input " + name + " could not be created (see the log)");
            }
        }
        const auto lookup = [this](const std::string& name) { return ensureInput(name); };
        studio->setPreview(buildLayout(spec, lookup, options.width, options.height), spec);
        base::log(base::LogLevel::Info, "director", "preview: " + describe(spec));
        return {};
    }

    /// Runs `f` under `mutex` and saves the collection when it succeeded.
    template <typename F>
    base::Status change(F f) {
        std::lock_guard lock(mutex);
        auto ok = f();
        if (ok) {
            save();
        }
        return ok;
    }

    /// The overlay layer's seam for inputs: an Input overlay's name resolved to the source it
    /// shows (a hub input's slot, with its standby slate). Input kinds added later resolve
    /// here the same way. Under `mutex`.
    base::Status applyOverlay(const OverlaySpec& o) {
        obs_source_t* source = nullptr;
        if (o.kind == OverlayKind::Input) {
            if (!knownStream(o.input)) {
                return base::fail("input: " + o.input +
                                  " is not known: publish it first (inputs: " + knownList() + ")");
            }
            source = ensureInput(o.input);
        }
        return overlays->set(o, source);
    }

    /// Writes the scene collection after a change. Under `mutex`.
    void save() {
        if (!keepCollection) {
            return;
        }
        SceneCollection c;
        for (const auto& [name, slot] : inputs) {
            c.inputs.push_back({name, obs_source_get_volume(slot->audioSource()),
                                obs_source_muted(slot->audioSource()), slot->backup(),
                                audio->followsVideo(name), audio->monitors(name)});
        }
        c.sources = local.specs();
        c.preview = studio->preview();
        c.program = studio->program();
        c.transition = transition;
        c.overlays = overlays->specs();
        c.transitionSpec = transitions->configured();
        auto ok = saveCollection(options.collectionFile, c);
        const std::string error = ok ? "" : ok.error().message();
        if (!error.empty() && error != lastSaveError) {
            base::log(base::LogLevel::Warning, "director", "scene collection: " + error);
        }
        lastSaveError = error;
    }

    /// Restores the saved collection: inputs with their audio, program, then preview. A bad
    /// entry is reported by name and left out. Under `mutex`.
    void restore() {
        if (options.collectionFile.empty()) {
            return;
        }
        auto loaded = loadCollection(options.collectionFile);
        if (!loaded) {
            collectionProblems.push_back(loaded.error().message());
            base::log(base::LogLevel::Warning, "director",
                      "scene collection not loaded, and not overwritten: " +
                          loaded.error().message());
            return;
        }
        keepCollection = true;
        collectionProblems = loaded->problems;
        const auto& c = loaded->collection;
        transition = c.transition;
        for (const auto& spec : c.sources) {
            if (auto ok = local.add(spec, false); !ok) {
                collectionProblems.push_back("sources: " + ok.error().message());
            }
        }
        for (const auto& in : c.inputs) {
            if (ensureInput(in.stream) != nullptr) {
                auto* source = inputs.at(in.stream)->audioSource();
                obs_source_set_volume(source, static_cast<float>(in.volume));
                obs_source_set_muted(source, in.muted);
                audio->restore(in.stream, in.followVideo, in.monitor);
            }
        }
        for (const auto& in : c.inputs) {
            if (auto ok = local.setBackup(in.stream, in.backup); !in.backup.empty() && !ok) {
                collectionProblems.push_back(in.stream + ": " + ok.error().message());
            }
        }
        if (auto ok = transitions->restore(c.transitionSpec); !ok) {
            collectionProblems.push_back("transition: " + ok.error().message());
        }
        transition = transitions->configured().duration;
        const auto take = [this](const LayoutSpec& spec, const char* what) {
            if (auto ok = applyPreview(spec); !ok) {
                collectionProblems.push_back(std::string(what) + ": " + ok.error().message());
                return false;
            }
            return true;
        };
        for (std::size_t i = 0; i < c.overlays.size(); ++i) {
            if (auto ok = applyOverlay(c.overlays[i]); !ok) {
                collectionProblems.push_back("overlays[" + std::to_string(i) +
                                             "]: " + ok.error().message());
            }
        }
        if (c.program && take(*c.program, "program")) {
            (void)studio->cut();
        }
        if (c.preview) {
            take(*c.preview, "preview");
        }
        for (const auto& p : collectionProblems) {
            base::log(base::LogLevel::Warning, "director", "scene collection: " + p);
        }
        base::log(base::LogLevel::Info, "director",
                  "scene collection " + options.collectionFile + ": " +
                      std::to_string(c.inputs.size()) + " inputs" +
                      (c.program ? ", program " + describe(*c.program) : "") +
                      (c.preview ? ", preview " + describe(*c.preview) : "") + ", " +
                      std::to_string(c.overlays.size()) + " overlays");
    }

    /// After an overlay change: logged, saved and told (tally). Under `mutex`.
    base::Status afterOverlay(base::Status ok, const char* what, const std::string& id) {
        if (ok) {
            base::log(base::LogLevel::Info, "director", "overlay " + id + ": " + what);
            save();
            tally();
        }
        return ok;
    }

    void publishEvent(const DirectorEvent& e) const {
        if (options.onEvent) {
            options.onEvent(e);
        }
    }

    /// Which inputs are on program and on preview, as an event. Under `mutex`.
    void tally() const {
        DirectorEvent e;
        e.event = "tally";
        for (const auto& f : figures()) {
            if (f.onProgram) {
                e.onProgram.push_back(f.stream);
            }
            if (f.onPreview) {
                e.onPreview.push_back(f.stream);
            }
        }
        for (const auto& o : overlays->specs()) {
            if (o.on) {
                e.overlaysOn.push_back(o.id);
            }
        }
        publishEvent(e);
    }

    std::optional<std::chrono::milliseconds> programTimeNow() const {
        auto t = program->programTimeNowMs();
        if (!t) {
            return std::nullopt;
        }
        return std::chrono::milliseconds(*t);
    }

    void shutdown() {
        thumbnails.reset();
        hub.removeListener(this);
        {
            std::lock_guard lock(queueMutex);
            stopping = true;
        }
        queueCv.notify_all();
        if (worker.joinable()) {
            worker.join();
        }
        program.reset(); // stops encoding and unpublishes the program
        {
            std::lock_guard lock(mutex);
            overlays.reset();
            audio.reset();
            studio.reset();
            transitions.reset();
            inputs.clear();
        }
        engine.reset();
    }
};

Director::Director(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Director::~Director() {
    impl_->shutdown();
}

base::Result<std::unique_ptr<Director>> Director::start(stream::Hub& hub, DirectorOptions options) {
    if (auto key = stream::StreamKey::parse(options.programStream); !key) {
        return base::fail("director program stream: " + key.error().message());
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
    registerHubInputSource(hub, {o.stallAfter, std::chrono::milliseconds(1000)});
    ProgramOutput::registerType(hub);

    auto studio = Studio::create();
    if (!studio) {
        return base::fail(studio.error());
    }
    impl->studio = std::move(*studio);
    impl->overlays = std::make_unique<OverlayLayer>(o.width, o.height);
    impl->transitions = std::make_unique<TransitionDesk>(o.transition);
    impl->audio = std::make_unique<AudioDesk>();

    ProgramOptions programOptions;
    programOptions.stream = o.programStream;
    programOptions.videoKbps = o.videoKbps;
    programOptions.audioKbps = o.audioKbps;
    auto program = ProgramOutput::start(programOptions);
    if (!program) {
        impl->studio.reset();
        return base::fail(program.error());
    }
    impl->program = std::move(*program);
    impl->thumbnails = std::make_unique<Thumbnails>(o.width, o.height);

    // Streams already live become inputs now; later ones as they are published.
    hub.addListener(impl.get());
    for (const auto& s : hub.snapshot()) {
        if (s.live && s.key != o.programStream) {
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

base::Status Director::setPreview(const LayoutSpec& spec) {
    if (auto ok = validate(spec); !ok) {
        return ok;
    }
    std::lock_guard lock(impl_->mutex);
    for (const auto& [field, name] : namedInputs(spec)) {
        if (!impl_->knownStream(name)) {
            return base::fail((field.empty() ? "" : field + ": ") + "input " + name +
                              " is not known: publish it first (inputs: " + impl_->knownList() +
                              ")");
        }
    }
    auto ok = impl_->applyPreview(spec);
    if (ok) {
        impl_->save();
        impl_->tally();
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
    base::Result<SourceRef> built = SourceRef();
    if (oneOff) {
        impl_->runOnWorker([&] { built = impl_->transitions->make(*oneOff); });
        if (!built) {
            return base::fail(built.error());
        }
    }
    std::lock_guard lock(impl_->mutex);
    if (duration.count() == 0) {
        duration = oneOff ? oneOff->duration : impl_->transition;
    }
    impl_->transitions->prepare(*impl_->studio, std::move(*built));
    Take take;
    take.programTime = impl_->programTimeNow();
    take.laggedFrames = obs_get_lagged_frames();
    auto ok = impl_->studio->autoTransition(duration);
    if (ok) {
        base::log(base::LogLevel::Info, "director",
                  "auto (" + std::to_string(duration.count()) + " ms " +
                      toString((oneOff ? *oneOff : impl_->transitions->configured()).type) +
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

base::Status Director::addInput(const InputSpec& spec) {
    return impl_->change([&] { return impl_->local.add(spec, true); });
}

base::Status Director::removeInput(const std::string& id) {
    impl_->thumbnails->forget(id);
    return impl_->change([&] { return impl_->local.remove(id, *impl_->studio); });
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
    std::lock_guard lock(impl_->mutex);
    auto move = impl_->transitions->moveTbar(*impl_->studio, position);
    if (move && move->completed) {
        impl_->save();
        impl_->tally();
    }
    return move;
}

base::Result<std::string> Director::setAudioRouting(const std::string& stream,
                                                    std::optional<bool> followVideo,
                                                    std::optional<bool> monitor) {
    std::lock_guard lock(impl_->mutex);
    auto problem = impl_->audio->route(stream, followVideo, monitor);
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
    std::lock_guard lock(impl_->mutex);
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
