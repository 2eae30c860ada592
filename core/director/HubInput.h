#pragma once
/// The worker behind one hub input source: subscribes to a hub stream like a relay (waits for
/// a publisher, stays across unpublish/republish), decodes H.264/HEVC and AAC with core/media's
/// decoders on a thread of its own, and hands pictures and samples to libobs
/// (obs_source_output_video / obs_source_output_audio) stamped with the stream's media time,
/// so libobs paces and syncs them.
///
/// State: Off (nobody publishes), Live (pictures within `stallAfter`), Stalled (a publisher
/// but no picture for longer than `stallAfter`).
///
/// Threads: constructed and destroyed on a libobs thread (the source's create/destroy
/// callbacks); state() and counters from any thread. The worker never throws into libobs.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <obs.h>

#include "media/BgraConverter.h"
#include "media/FrameView.h"
#include "stream/Hub.h"

namespace stagecast::director {

enum class InputState : std::uint8_t { Off = 1, Live, Stalled };

const char* toString(InputState state);

struct HubInputOptions {
    std::chrono::milliseconds stallAfter{1000};
    /// Wait before subscribing again after the hub refused.
    std::chrono::milliseconds retryAfter{1000};
    /// Convert pictures to BGRA here (swscale) instead of handing YUV to libobs, whose
    /// conversion is a shader pass per frame: cheaper under a software renderer.
    bool bgraPictures = false;
    /// The source's audio sync offset (libobs' own). libobs appends a source's samples to what
    /// it has buffered while their timestamps stay within 70 ms of where the last ones ended,
    /// whatever the pictures do, so on its own the sound may run up to 70 ms early or late,
    /// depending on when each track (re)started. HubInput therefore has libobs
    /// place the sound against the pictures again a second after a new timeline starts or
    /// the source is shown; placed so, the sound is within a few ms of its picture, and this
    /// delay (10 ms: the middle of EBU R37's -40..+60 ms) is what remains
    /// (tst_DirectorLipSync; director.md "Lip sync").
    std::chrono::nanoseconds audioDelay{0};
};

struct HubInputFigures {
    InputState state = InputState::Off;
    std::uint64_t videoFrames = 0;
    std::uint64_t audioFrames = 0;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::string lastProblem;
};

class HubInput {
public:
    HubInput(stream::Hub& hub, stream::StreamKey key, obs_source_t* source,
             HubInputOptions options);
    ~HubInput();
    HubInput(const HubInput&) = delete;
    HubInput& operator=(const HubInput&) = delete;

    const stream::StreamKey& key() const { return key_; }
    InputState state() const;
    HubInputFigures figures() const;
    /// The source went on a canvas (libobs' show or activate): libobs restarts its pictures'
    /// timing, so the sound is placed against them again a second later. Any thread.
    void shown();

private:
    void run() noexcept;
    void work();
    void wake();
    void report(const std::string& problem);
    void outputPicture(const media::PictureView& picture);
    void outputSamples(const media::SamplesView& samples);

    stream::Hub& hub_;
    const stream::StreamKey key_;
    obs_source_t* const source_; // not owned: the source owns this object
    const HubInputOptions options_;

    std::mutex mutex_;
    std::condition_variable cv_;
    bool wake_ = true;
    bool stop_ = false;
    std::thread worker_;

    std::atomic<bool> publisherLive_{false};
    std::atomic<std::int64_t> lastPictureAt_{0}; // steady clock, ns since epoch; 0 = never
    std::atomic<std::uint64_t> videoFrames_{0};
    std::atomic<std::uint64_t> audioFrames_{0};
    std::atomic<std::uint32_t> width_{0};
    std::atomic<std::uint32_t> height_{0};
    // A new timeline (a publisher's first picture, or its timestamps jumping, as when its
    // encoder reconnects) re-anchors libobs' picture and sound timing separately, each at
    // its first arrival, and so does showing the source. A second later, once pictures are
    // on the canvas, the sound is placed again against them (realignAudio). Not every few
    // seconds: each placement that moves the sound is a click. Worker thread only, but
    // shown_.
    std::atomic<bool> shown_{false};
    std::uint64_t lastPictureTs_ = 0;
    std::int64_t realignAt_ = 0; // steady clock ns; 0 = nothing to do
    void realignAudio();
    std::unique_ptr<media::BgraConverter> bgra_; // worker thread only; with bgraPictures
    mutable std::mutex problemMutex_;
    std::string lastProblem_;
};

} // namespace stagecast::director
