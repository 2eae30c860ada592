#pragma once
/// The libobs side of a director-defined input (InputSpec): the source or small scene that
/// shows it, its state and, for clocks and countdowns, the text kept current.
///
///   media    ffmpeg_source (local file, looping or once); live while it plays, off when it
///            ended, stopped or failed (a missing file: off, "file ... does not exist")
///   image    image_source; off when the file cannot be read
///   color    color_source_v3 over the canvas
///   pattern  seven colour bars (color_source_v3 side by side in a scene), with a line-up
///            tone (ToneSource) in the scene when tone_hz is set: bars and tone
///   text     the system's text source (TextSource) in a canvas-sized scene: static or
///   clock/countdown centred,
///            ticker along the bottom on a dark band, moved by obs-filters' scroll_filter
///   lower3   a bar (colour source) with a name and a title (two text sources)
///   capture  the system's capture source of that kind (Platform.h: xshm_input, v4l2_input,
///            pulse_input_capture, ... on Linux) with the chosen device; live once it has a
///            picture (audio kinds: always)
///
/// Thread: created, ticked and destroyed under the director's lock.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/Result.h"
#include "director/InputSpec.h"
#include "director/ObsHandles.h"

namespace stagecast::director {

class LocalSource {
public:
    /// Fails when the libobs source type is missing (naming the module).
    static base::Result<std::unique_ptr<LocalSource>>
    create(const InputSpec& spec, std::uint32_t width, std::uint32_t height);
    ~LocalSource();
    LocalSource(const LocalSource&) = delete;
    LocalSource& operator=(const LocalSource&) = delete;

    const InputSpec& spec() const { return spec_; }
    /// What layouts place (a source or a scene's source).
    obs_source_t* picture() const;
    /// The source whose volume and mute set the input's audio.
    obs_source_t* audio() const {
        return tone_ ? tone_.get() : main_ ? main_.get() : picture(); // silent bars: the scene
    }
    /// "live" or "off"; `problem` says why when off.
    std::string state(std::string* problem) const;
    std::uint32_t width() const;
    std::uint32_t height() const;
    /// Keeps clocks and countdowns current (called every ~100 ms; changes once a second).
    void tick();

private:
    LocalSource() = default;
    std::string timeText() const;

    InputSpec spec_;
    SourceRef main_;               // the source the kind is about
    SceneRef scene_;               // kinds built as a scene (text, lower3, pattern)
    std::vector<SourceRef> parts_; // the scene's other sources
    SourceRef tone_;               // bars and tone: the tone
    std::string shownText_;        // clock/countdown: what shows now
    std::chrono::system_clock::time_point created_ = std::chrono::system_clock::now();
    std::string createProblem_; // e.g. the file is missing
};

} // namespace stagecast::director
