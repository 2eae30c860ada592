#include "director/HubInput.h"

#include <vector>

#include "base/Log.h"
#include "media/PacketDecoder.h"

namespace stagecast::director {

namespace {

constexpr std::size_t kDrainBytes = 1024 * 1024;
// Wake at least this often so a stop or a republish is noticed without packets.
constexpr auto kIdleWait = std::chrono::milliseconds(200);

std::int64_t steadyNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

video_format obsFormat(media::PictureLayout layout) {
    switch (layout) {
    case media::PictureLayout::Yuv420p:
        return VIDEO_FORMAT_I420;
    case media::PictureLayout::Nv12:
        return VIDEO_FORMAT_NV12;
    case media::PictureLayout::Yuv422p:
        return VIDEO_FORMAT_I422;
    case media::PictureLayout::Yuv444p:
        return VIDEO_FORMAT_I444;
    case media::PictureLayout::Unsupported:
        break;
    }
    return VIDEO_FORMAT_NONE;
}

audio_format obsFormat(media::SampleLayout layout) {
    switch (layout) {
    case media::SampleLayout::FloatPlanar:
        return AUDIO_FORMAT_FLOAT_PLANAR;
    case media::SampleLayout::Float:
        return AUDIO_FORMAT_FLOAT;
    case media::SampleLayout::S16Planar:
        return AUDIO_FORMAT_16BIT_PLANAR;
    case media::SampleLayout::S16:
        return AUDIO_FORMAT_16BIT;
    case media::SampleLayout::Unsupported:
        break;
    }
    return AUDIO_FORMAT_UNKNOWN;
}

speaker_layout obsSpeakers(int channels) {
    switch (channels) {
    case 1:
        return SPEAKERS_MONO;
    case 2:
        return SPEAKERS_STEREO;
    case 3:
        return SPEAKERS_2POINT1;
    case 4:
        return SPEAKERS_4POINT0;
    case 5:
        return SPEAKERS_4POINT1;
    case 6:
        return SPEAKERS_5POINT1;
    case 8:
        return SPEAKERS_7POINT1;
    default:
        return SPEAKERS_UNKNOWN;
    }
}

// libobs' own limit (MAX_TS_VAR) past which a timestamp starts a new timeline.
constexpr std::uint64_t kTimelineJump = 2'000'000'000;
// From a new timeline's first picture to placing its sound again against the pictures.
constexpr std::int64_t kRealignAfter = 1'000'000'000;

std::uint64_t toNs(std::chrono::milliseconds t) {
    return t.count() < 0 ? 0 : static_cast<std::uint64_t>(t.count()) * 1000000ULL;
}

} // namespace

const char* toString(InputState state) {
    switch (state) {
    case InputState::Off:
        return "off";
    case InputState::Live:
        return "live";
    case InputState::Stalled:
        return "stalled";
    }
    return "unknown";
}

HubInput::HubInput(stream::Hub& hub, stream::StreamKey key, obs_source_t* source,
                   HubInputOptions options)
    : hub_(hub), key_(std::move(key)), source_(source), options_(options) {
    obs_source_set_sync_offset(source_, options_.audioDelay.count());
    worker_ = std::thread([this] { run(); });
}

HubInput::~HubInput() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (worker_.joinable()) {
        worker_.join();
    }
}

InputState HubInput::state() const {
    if (!publisherLive_) {
        return InputState::Off;
    }
    const auto last = lastPictureAt_.load();
    const auto stallNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(options_.stallAfter).count();
    if (last == 0 || steadyNs() - last > stallNs) {
        return InputState::Stalled;
    }
    return InputState::Live;
}

HubInputFigures HubInput::figures() const {
    HubInputFigures f;
    f.state = state();
    f.videoFrames = videoFrames_;
    f.audioFrames = audioFrames_;
    f.width = width_;
    f.height = height_;
    std::lock_guard lock(problemMutex_);
    f.lastProblem = lastProblem_;
    return f;
}

void HubInput::wake() {
    // The reader calls this with the hub's stream lock held: flag and signal only.
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    cv_.notify_one();
}

void HubInput::report(const std::string& problem) {
    std::lock_guard lock(problemMutex_);
    if (problem != lastProblem_) {
        base::log(base::LogLevel::Warning, "director", "input " + key_.str() + ": " + problem);
    }
    lastProblem_ = problem;
}

void HubInput::run() noexcept {
    try {
        work();
    } catch (const std::exception& e) {
        report(std::string("input stopped: ") + e.what());
    } catch (...) {
        report("input stopped by an unknown error");
    }
}

void HubInput::work() {
    media::PacketDecoder decoder;
    std::unique_ptr<stream::Subscription> subscription;
    std::vector<stream::PacketPtr> batch;
    auto timeout = kIdleWait;
    bool wasLive = false;

    const auto onPicture = [this](const media::PictureView& p) { outputPicture(p); };
    const auto onSamples = [this](const media::SamplesView& s) { outputSamples(s); };

    while (true) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, timeout, [this] { return stop_ || wake_; });
            wake_ = false;
            if (stop_) {
                break;
            }
        }
        timeout = kIdleWait;
        if (!subscription) {
            auto subscribed = hub_.subscribe({.key = key_,
                                              .who = {0, "director", "internal"},
                                              .waitForPublisher = true,
                                              .endWithPublisher = false,
                                              .notify = [this] { wake(); }});
            if (!subscribed) {
                report(subscribed.error().message());
                timeout = options_.retryAfter;
                continue;
            }
            subscription = std::move(*subscribed);
        }
        const bool live = subscription->live();
        if (live != wasLive) {
            // A publisher that left leaves nothing on screen rather than its last picture
            // forever. The decoders are not reset here: a new publisher's configuration may
            // already have been decoded by the time this is seen, and the decoders reopen by
            // themselves when a configuration differs (libobs follows the new timeline).
            if (!live) {
                obs_source_output_video(source_, nullptr);
            }
            wasLive = live;
        }
        publisherLive_ = live;

        bool ended = false;
        while (true) {
            batch.clear();
            const auto state = subscription->reader().drain(batch, kDrainBytes, hub_.now());
            for (const auto& packet : batch) {
                if (auto ok = decoder.decode(*packet, onPicture, onSamples); !ok) {
                    report(ok.error().message());
                }
            }
            if (batch.empty()) {
                ended = state != stream::ReaderState::Open;
                break;
            }
            std::lock_guard lock(mutex_);
            if (stop_) {
                break;
            }
        }
        if (ended) {
            base::log(base::LogLevel::Info, "director",
                      "input " + key_.str() + ": reader ended, subscribing again");
            subscription.reset();
            publisherLive_ = false;
            wasLive = false;
            std::lock_guard lock(mutex_);
            wake_ = true;
        }
    }
    subscription.reset();
    publisherLive_ = false;
}

void HubInput::outputPicture(const media::PictureView& p) {
    const auto format = obsFormat(p.layout);
    if (format == VIDEO_FORMAT_NONE) {
        report(std::string("pixel format ") + p.formatName +
               " is not shown (allowed: yuv420p, nv12, yuv422p, yuv444p)");
        return;
    }
    obs_source_frame frame{};
    frame.width = static_cast<std::uint32_t>(p.width);
    frame.height = static_cast<std::uint32_t>(p.height);
    frame.timestamp = toNs(p.pts);
    const std::uint8_t* bgra = nullptr;
    if (options_.bgraPictures) {
        if (!bgra_) {
            bgra_ = std::make_unique<media::BgraConverter>();
        }
        bgra = bgra_->convert(p);
    }
    if (bgra != nullptr) {
        // Already RGB, full range: libobs uploads it as the texture it draws, no shader pass.
        frame.format = VIDEO_FORMAT_BGRA;
        frame.full_range = true;
        frame.data[0] = const_cast<std::uint8_t*>(bgra);
        frame.linesize[0] = frame.width * 4;
    } else {
        frame.format = format;
        frame.full_range = p.fullRange;
        for (std::size_t i = 0; i < 4 && i < MAX_AV_PLANES; ++i) {
            frame.data[i] = const_cast<std::uint8_t*>(p.planes[i]);
            frame.linesize[i] = static_cast<std::uint32_t>(p.linesize[i] < 0 ? 0 : p.linesize[i]);
        }
        video_format_get_parameters_for_format(p.bt709 ? VIDEO_CS_709 : VIDEO_CS_601,
                                               p.fullRange ? VIDEO_RANGE_FULL : VIDEO_RANGE_PARTIAL,
                                               format, frame.color_matrix, frame.color_range_min,
                                               frame.color_range_max);
    }
    const bool newTimeline = lastPictureTs_ == 0 ||
                             frame.timestamp + kTimelineJump < lastPictureTs_ ||
                             frame.timestamp > lastPictureTs_ + kTimelineJump;
    lastPictureTs_ = frame.timestamp;
    if (newTimeline) {
        realignAt_ = steadyNs() + kRealignAfter;
    }
    obs_source_output_video(source_, &frame);
    ++videoFrames_;
    width_ = frame.width;
    height_ = frame.height;
    lastPictureAt_ = steadyNs();
}

void HubInput::outputSamples(const media::SamplesView& s) {
    const auto format = obsFormat(s.layout);
    const auto speakers = obsSpeakers(s.channels);
    if (format == AUDIO_FORMAT_UNKNOWN || speakers == SPEAKERS_UNKNOWN) {
        report(std::string("audio ") + s.formatName + " with " + std::to_string(s.channels) +
               " channels is not mixed (allowed: float or s16, 1..8 channels)");
        return;
    }
    obs_source_audio audio{};
    for (std::size_t i = 0; i < s.planes.size() && i < MAX_AV_PLANES; ++i) {
        audio.data[i] = s.planes[i];
    }
    audio.frames = static_cast<std::uint32_t>(s.frames);
    audio.speakers = speakers;
    audio.format = format;
    audio.samples_per_sec = static_cast<std::uint32_t>(s.sampleRate);
    audio.timestamp = toNs(s.pts);
    if (shown_.exchange(false)) {
        realignAt_ = steadyNs() + kRealignAfter;
    }
    if (realignAt_ != 0 && steadyNs() >= realignAt_) {
        realignAt_ = 0;
        realignAudio();
    }
    obs_source_output_audio(source_, &audio);
    ++audioFrames_;
}

void HubInput::realignAudio() {
    // libobs appends a source's samples to what it has buffered while their timestamps stay
    // within 70 ms of where the last ones ended, whatever the pictures do; a changed sync
    // offset makes it place the next samples at their own time again (obs-source.c). The
    // offset moves by 1 ns, which nobody hears. (libobs skips this for a change from an
    // offset of 0, so an input whose total offset is exactly 0 is placed every other time.)
    obs_source_set_sync_offset(source_, obs_source_get_sync_offset(source_) ^ 1);
}

void HubInput::shown() {
    shown_ = true;
}

} // namespace stagecast::director
