#pragma once
/// The director's state behind its facade (Director.h): libobs' engine, the studio, the
/// inputs, layouts, overlays, transitions, audio and the program output, with the director's
/// thread. Private to core/director: only Director.cpp and DirectorControls.cpp include it.
///
/// Threads: as in Director.h; every member is used under `mutex` unless it says otherwise.

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
#include "director/Director.h"
#include "director/Engine.h"
#include "director/HubInputSource.h"
#include "director/InputSlot.h"
#include "director/Layouts.h"
#include "director/Multiview.h"
#include "director/Overlay.h"
#include "director/PreviewOutput.h"
#include "director/ProgramOutput.h"
#include "director/SceneCollection.h"
#include "director/SourceInputs.h"
#include "director/Studio.h"
#include "director/Thumbnails.h"
#include "director/TransitionDesk.h"
#include "director/WorkerTasks.h"

namespace stagecast::director {

// How often standby slates follow their inputs' states.
inline constexpr auto kSuperviseEvery = std::chrono::milliseconds(100);

struct Director::Impl : stream::HubEventListener {
    Impl(stream::Hub& h, DirectorOptions o) : hub(h), options(std::move(o)) {}

    stream::Hub& hub;
    const DirectorOptions options;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<ProgramOutput> program;
    ProgramEncoder encoder;                 // set at start, read-only after
    std::unique_ptr<PreviewOutput> preview; // empty when preview_output is off; under `mutex`

    mutable std::mutex mutex; // guards inputs and studio
    std::map<std::string, std::unique_ptr<InputSlot>> inputs;
    std::unique_ptr<Studio> studio;
    SourceInputs local{inputs, options.width, options.height}; // director-defined inputs
    std::unique_ptr<Thumbnails> thumbnails;
    std::unique_ptr<OverlayLayer> overlays;
    std::unique_ptr<TransitionDesk> transitions;
    std::unique_ptr<AudioDesk> audio;
    SavedLayouts saved;                         // the operator's named layouts
    MultiviewSettings multiviewSettings;        // as last set (kept in the collection)
    std::unique_ptr<PreviewOutput> multiview;   // while on
    SceneRef multiviewScene;                    // what it shows (the view holds a reference)
    std::string multiviewShown;                 // what the scene was built from (skip rebuilds)
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
        if (event.type != stream::HubEventType::Published || ownStream(event.stream)) {
            return;
        }
        {
            std::lock_guard lock(queueMutex);
            pending.push_back(event.stream);
        }
        queueCv.notify_one();
    }

    /// The director's own outputs, never inputs. Any thread.
    bool ownStream(const std::string& stream) const {
        if (stream == options.programStream ||
            (options.previewOutput && stream == options.previewStream)) {
            return true;
        }
        std::lock_guard lock(multiviewStreamMutex);
        return stream == multiviewStream;
    }
    mutable std::mutex multiviewStreamMutex;
    std::string multiviewStream; // while the multiview publishes (under its own mutex)

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
        refreshMultiview();
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
            f.hasAudio = (obs_source_get_output_flags(slot->audioSource()) & OBS_SOURCE_AUDIO) != 0;
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

    /// The transition Auto uses for what is in preview: the saved layout's own, if it was
    /// recalled from one that has one. Takes `mutex`.
    std::optional<TransitionSpec> previewOverride() const {
        std::lock_guard lock(mutex);
        const auto& p = studio->preview();
        if (!p || p->name.empty()) {
            return std::nullopt;
        }
        const auto* s = saved.find(p->name);
        return s ? s->transition : std::nullopt;
    }

    /// Starts, restarts or stops the multiview stream as `s` says. Under `mutex`.
    base::Status applyMultiview(const MultiviewSettings& s) {
        PreviewOptions o;
        o.stream = s.stream;
        o.width = s.width;
        o.height = s.height;
        o.fps = s.fps;
        o.kbps = s.kbps;
        o.keyframeSeconds = options.keyframeSeconds;
        o.fieldPrefix = "";
        if (s.on) {
            // Checked before the running one stops: a refused change leaves it as it was.
            if (auto ok = PreviewOutput::validate(o, options.fps); !ok) {
                return ok;
            }
            const bool current = multiview && s.stream == multiviewSettings.stream;
            if (!current && (inputs.count(s.stream) != 0 || s.stream == options.programStream ||
                             (options.previewOutput && s.stream == options.previewStream))) {
                return base::fail("stream: " + s.stream + " is an input or the director's own");
            }
        }
        multiview.reset();
        multiviewScene.reset();
        multiviewShown.clear();
        {
            std::lock_guard lock(multiviewStreamMutex);
            multiviewStream = s.on ? s.stream : std::string();
        }
        multiviewSettings = s;
        if (s.on) {
            auto started = PreviewOutput::start(o, nullptr, nullptr);
            if (!started) {
                multiviewSettings.on = false;
                std::lock_guard lock(multiviewStreamMutex);
                multiviewStream.clear();
                return base::fail(started.error());
            }
            multiview = std::move(*started);
        }
        refreshMultiview();
        base::log(base::LogLevel::Info, "director",
                  s.on ? "multiview on: " + s.stream + " " + std::to_string(s.width) + "x" +
                             std::to_string(s.height) + "@" + std::to_string(s.fps)
                       : std::string("multiview off"));
        return {};
    }

    /// Rebuilds the multiview's scene when what it shows changed. Under `mutex`.
    void refreshMultiview() {
        if (!multiview) {
            return;
        }
        std::vector<MultiviewTile> tiles;
        std::string shown =
            std::to_string(reinterpret_cast<std::uintptr_t>(studio->onAir())) + "|" +
            std::to_string(reinterpret_cast<std::uintptr_t>(studio->previewSource()));
        for (const auto& f : figures()) {
            if (tiles.size() == kMultiviewInputs) {
                break;
            }
            tiles.push_back({f.stream, inputs.at(f.stream)->source(), f.onProgram, f.onPreview});
            shown += "|" + f.stream + (f.onProgram ? "P" : "") + (f.onPreview ? "V" : "");
        }
        if (shown == multiviewShown) {
            return;
        }
        // On a short-lived thread, as SourceInputs makes inputs: the text sources' font
        // libraries leave thread-specific data whose destructors go when libobs unloads them,
        // so the thread must end before that (a server thread would crash at exit).
        SceneRef scene;
        std::thread([&] {
            scene = buildMultiview(studio->previewSource(), studio->preview().has_value(),
                                   studio->onAir(), overlays->source(), tiles, options.width,
                                   options.height);
        }).join();
        if (!scene) {
            return;
        }
        multiview->show(obs_scene_get_source(scene.get()));
        multiviewScene = std::move(scene);
        multiviewShown = std::move(shown);
    }

    /// A director input (SourceInputs::add) with its meter and audio routing. Under `mutex`.
    base::Status addLocal(const InputSpec& spec, bool checkFile) {
        auto ok = local.add(spec, checkFile);
        if (ok) {
            audio->add(*inputs.at(spec.id));
            refreshMultiview();
        }
        return ok;
    }

    /// Checks that `spec`'s inputs are known, puts it in preview, saves, reports tally.
    /// Under `mutex`. (Director.cpp)
    base::Status previewKnown(const LayoutSpec& spec);

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
                                audio->followsVideo(name), audio->monitors(name),
                                audio->syncOffsetMs(name)});
        }
        c.sources = local.specs();
        c.preview = studio->preview();
        c.program = studio->program();
        c.transition = transition;
        c.overlays = overlays->specs();
        c.transitionSpec = transitions->configured();
        c.layouts = saved.list();
        c.multiview = multiviewSettings;
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
        for (const auto& layout : c.layouts) {
            (void)saved.put(layout); // checked and bounded when parsed
        }
        for (const auto& spec : c.sources) {
            if (auto ok = addLocal(spec, false); !ok) {
                collectionProblems.push_back("sources: " + ok.error().message());
            }
        }
        for (const auto& in : c.inputs) {
            if (ensureInput(in.stream) != nullptr) {
                auto* source = inputs.at(in.stream)->audioSource();
                obs_source_set_volume(source, static_cast<float>(in.volume));
                obs_source_set_muted(source, in.muted);
                audio->restore(in.stream, in.followVideo, in.monitor, in.syncOffsetMs);
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
        if (c.multiview.on) {
            if (auto ok = applyMultiview(c.multiview); !ok) {
                collectionProblems.push_back("multiview: " + ok.error().message());
            }
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
    void tally() {
        refreshMultiview();
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
        {
            std::lock_guard lock(mutex);
            studio->onPreviewShown(nullptr);
            preview.reset();   // unpublishes the preview
            multiview.reset(); // and the multiview, whose scene holds the inputs and studio
            multiviewScene.reset();
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

} // namespace stagecast::director
