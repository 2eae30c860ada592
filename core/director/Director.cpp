#include "director/Director.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/Log.h"
#include "director/AudioDesk.h"
#include "director/Engine.h"
#include "director/HubInputSource.h"
#include "director/InputSlot.h"
#include "director/Layouts.h"
#include "director/ProgramOutput.h"
#include "director/SceneCollection.h"
#include "director/Studio.h"
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
        for (auto& [name, slot] : inputs) {
            const auto changed = slot->supervise();
            if (!changed) {
                continue;
            }
            const auto* input = slot->input();
            const std::string state = input != nullptr ? toString(input->state()) : "off";
            base::log(*changed ? base::LogLevel::Warning : base::LogLevel::Info, "director",
                      "input " + name +
                          (*changed ? ": standby slate on (" + state + ")"
                                    : ": live again, standby slate off"));
            DirectorEvent e;
            e.event = "standby";
            e.stream = name;
            e.standby = *changed;
            e.state = state;
            publishEvent(e);
        }
    }

    /// The input's source, created on first use. Under `mutex`.
    obs_source_t* ensureInput(const std::string& stream) {
        if (auto it = inputs.find(stream); it != inputs.end()) {
            return it->second->source();
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
            }
            const auto shows = [&name](const std::optional<LayoutSpec>& spec) {
                return spec && (spec->main == name || (spec->kind == LayoutKind::PictureInPicture &&
                                                       spec->inset == name));
            };
            f.onProgram = shows(studio->program());
            f.onPreview = shows(studio->preview());
            audio->fill(f);
            out.push_back(std::move(f));
        }
        return out;
    }

    /// Builds `spec` (inputs created as needed) and puts it in preview. Under `mutex`.
    base::Status applyPreview(const LayoutSpec& spec) {
        obs_source_t* main = ensureInput(spec.main);
        obs_source_t* inset =
            spec.kind == LayoutKind::PictureInPicture ? ensureInput(spec.inset) : nullptr;
        if (main == nullptr || (spec.kind == LayoutKind::PictureInPicture && inset == nullptr)) {
            return base::fail("the layout's inputs could not be created (see the log)");
        }
        studio->setPreview(buildLayout(spec, main, inset, options.width, options.height), spec);
        base::log(
            base::LogLevel::Info, "director",
            std::string("preview: ") + toString(spec.kind) + " " + spec.main +
                (inset != nullptr ? " + " + spec.inset + " (" + toString(spec.corner) + ")" : ""));
        return {};
    }

    /// Writes the scene collection after a change. Under `mutex`.
    void save() {
        if (!keepCollection) {
            return;
        }
        SceneCollection c;
        for (const auto& [name, slot] : inputs) {
            c.inputs.push_back({name, obs_source_get_volume(slot->audioSource()),
                                obs_source_muted(slot->audioSource()), audio->followsVideo(name),
                                audio->monitors(name)});
        }
        c.preview = studio->preview();
        c.program = studio->program();
        c.transition = transition;
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
        for (const auto& in : c.inputs) {
            if (ensureInput(in.stream) != nullptr) {
                auto* source = inputs.at(in.stream)->audioSource();
                obs_source_set_volume(source, static_cast<float>(in.volume));
                obs_source_set_muted(source, in.muted);
                audio->restore(in.stream, in.followVideo, in.monitor);
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
                      (c.program ? ", program " + c.program->main : "") +
                      (c.preview ? ", preview " + c.preview->main : ""));
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
    for (const auto* name : {&spec.main, &spec.inset}) {
        if (name == &spec.inset && spec.kind != LayoutKind::PictureInPicture) {
            continue;
        }
        if (!impl_->knownStream(*name)) {
            return base::fail("input " + *name + " is not known: publish it first (inputs: " +
                              impl_->knownList() + ")");
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
                  "cut: program = " + impl_->studio->program()->main);
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
                      "): program = " + impl_->studio->program()->main);
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
