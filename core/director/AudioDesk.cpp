#include "director/AudioDesk.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include <obs-audio-controls.h>

#include "base/Log.h"
#include "director/Platform.h"
#include "director/SlotFrame.h"

namespace stagecast::director {

namespace {

constexpr const char* kBusId = "stagecast_audio_bus";
constexpr std::uint32_t kLastBusChannel = 63;
// A level not refreshed for this long is silence (the source stopped sending sound).
constexpr std::int64_t kStaleNs = 500'000'000;
// The program meter's window: 100 ms at 48 kHz.
constexpr std::uint32_t kProgramWindow = 4800;

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double floorDb(double db) {
    return std::isfinite(db) && db > kSilenceDb ? db : kSilenceDb;
}

/// A level written on libobs' audio thread and read under the director's lock.
struct Level {
    std::atomic<double> peak{kSilenceDb};
    std::atomic<double> rms{kSilenceDb};
    std::atomic<std::int64_t> at{0};

    void store(double peakDb, double rmsDb) {
        peak = floorDb(peakDb);
        rms = floorDb(rmsDb);
        at = nowNs();
    }
    Meter load() const {
        if (nowNs() - at.load() > kStaleNs) {
            return {};
        }
        return {peak.load(), rms.load()};
    }
};

const char* busName(void*) noexcept {
    return "Stagecast always-in-the-mix audio";
}
void* busCreate(obs_data_t*, obs_source_t* source) noexcept {
    return source; // no state of its own: samples come from the hub input's thread
}
void busDestroy(void*) noexcept {}

/// Why monitoring may stay silent here, empty when a device looks present.
std::string monitorProblem() {
    if (!obs_audio_monitoring_available()) {
        return "this libobs has no audio monitoring";
    }
    return platform::audioMonitorProblem();
}

} // namespace

struct AudioDesk::Channel {
    InputSlot* slot = nullptr;
    obs_volmeter_t* meter = nullptr;
    SourceRef bus; // the always-in-the-mix source while not following video
    std::uint32_t outputChannel = 0;
    bool follow = true;
    bool monitor = false;
    std::string monitorProblem;
    std::int64_t ownOffsetNs = 0; // what the input's source had before the operator's offset
    int syncOffsetMs = 0;
    Level level;

    std::int64_t offsetNs() const { return ownOffsetNs + std::int64_t{syncOffsetMs} * 1'000'000; }
    /// A hub input's bus is a tap on its slot's sound (SlotFrame.h), which libobs has already
    /// placed against the input's pictures, volume and mute applied; a director input's bus
    /// gets the samples pushed as they came.
    bool tap() const { return slot->input() != nullptr; }
    /// The offset on the input's source and on a pushed bus (which gets the samples as they
    /// came, before the source's offset).
    void applyOffset() {
        obs_source_set_sync_offset(slot->audioSource(), offsetNs());
        if (bus && !tap()) {
            obs_source_set_sync_offset(bus.get(), offsetNs());
        }
    }

    static void onLevels(void* param, const float magnitude[MAX_AUDIO_CHANNELS],
                         const float peak[MAX_AUDIO_CHANNELS],
                         const float[MAX_AUDIO_CHANNELS]) noexcept {
        auto* self = static_cast<Channel*>(param);
        const int n = std::clamp(obs_volmeter_get_nr_channels(self->meter), 1, 2);
        double p = -INFINITY;
        double m = -INFINITY;
        for (int c = 0; c < n; ++c) {
            p = std::max(p, static_cast<double>(peak[c]));
            m = std::max(m, static_cast<double>(magnitude[c]));
        }
        self->level.store(p, m);
    }

    /// Where the meter reads (a tap sends no samples of its own: the input's source does).
    obs_source_t* carrier() const { return bus && !tap() ? bus.get() : slot->audioSource(); }

    /// A director input's own sound copied to the bus (libobs' audio thread or the source's).
    static void onCapture(void* param, obs_source_t*, const audio_data* data, bool) noexcept {
        auto* bus = static_cast<obs_source_t*>(param);
        const audio_output_info* out = audio_output_get_info(obs_get_audio());
        obs_source_audio a{};
        for (std::size_t c = 0; c < MAX_AV_PLANES; ++c) {
            a.data[c] = data->data[c];
        }
        a.frames = data->frames;
        a.speakers = out->speakers;
        a.format = out->format;
        a.samples_per_sec = out->samples_per_sec;
        a.timestamp = data->timestamp;
        obs_source_output_audio(bus, &a);
    }

    /// Sends the input's sound to `bus` (nullptr: back to its own source).
    void route(obs_source_t* to) {
        if (tap()) {
            // Heard once: through the tap, not wherever a layout shows the slot.
            setSlotFramePassesAudio(slot->source(), to == nullptr);
            return;
        }
        obs_source_t* own = slot->audioSource();
        if (to != nullptr) {
            ownMixers = obs_source_get_audio_mixers(own);
            obs_source_set_audio_mixers(own, 0); // heard once: through the bus
            obs_source_add_audio_capture_callback(own, onCapture, to);
            // Always on air: libobs' capture and media sources make sound only while active.
            obs_source_inc_active(own);
        } else if (bus) {
            obs_source_dec_active(own);
            obs_source_remove_audio_capture_callback(own, onCapture, bus.get());
            obs_source_set_audio_mixers(own, ownMixers);
        }
    }
    std::uint32_t ownMixers = 0xff;

    ~Channel() {
        route(nullptr);
        if (meter != nullptr) {
            obs_volmeter_remove_callback(meter, onLevels, this);
            obs_volmeter_destroy(meter);
        }
        if (bus) {
            obs_set_output_source(outputChannel, nullptr);
        }
    }
};

struct AudioDesk::ProgramLevel {
    Level level;
    // Only the audio thread touches these.
    double sumSquares = 0;
    double peak = 0;
    std::uint32_t frames = 0;

    static void onMix(void* param, size_t, audio_data* data) noexcept {
        auto* self = static_cast<ProgramLevel*>(param);
        const std::size_t channels = audio_output_get_channels(obs_get_audio());
        for (std::uint32_t i = 0; i < data->frames; ++i) {
            for (std::size_t c = 0; c < channels && c < 2; ++c) {
                const float v = reinterpret_cast<const float*>(data->data[c])[i];
                self->sumSquares += static_cast<double>(v) * v;
                self->peak = std::max(self->peak, static_cast<double>(std::fabs(v)));
            }
            if (++self->frames >= kProgramWindow) {
                const double meanSquare =
                    self->sumSquares / (kProgramWindow * std::min<std::size_t>(channels, 2));
                self->level.store(20.0 * std::log10(self->peak), 10.0 * std::log10(meanSquare));
                self->sumSquares = 0;
                self->peak = 0;
                self->frames = 0;
            }
        }
    }
};

AudioDesk::AudioDesk() : program_(std::make_unique<ProgramLevel>()) {
    obs_source_info info{};
    info.id = kBusId;
    info.type = OBS_SOURCE_TYPE_INPUT;
    info.output_flags = OBS_SOURCE_AUDIO | OBS_SOURCE_DO_NOT_DUPLICATE;
    info.get_name = busName;
    info.create = busCreate;
    info.destroy = busDestroy;
    obs_register_source(&info);
    audio_convert_info convert{};
    convert.samples_per_sec = 48000;
    convert.format = AUDIO_FORMAT_FLOAT_PLANAR;
    convert.speakers = SPEAKERS_STEREO;
    obs_add_raw_audio_callback(0, &convert, ProgramLevel::onMix, program_.get());
}

AudioDesk::~AudioDesk() {
    obs_remove_raw_audio_callback(0, ProgramLevel::onMix, program_.get());
    channels_.clear();
}

void AudioDesk::remove(const std::string& stream) {
    channels_.erase(stream);
}

void AudioDesk::add(InputSlot& slot) {
    auto channel = std::make_unique<Channel>();
    channel->slot = &slot;
    channel->meter = obs_volmeter_create(OBS_FADER_LOG);
    obs_volmeter_set_peak_meter_type(channel->meter, SAMPLE_PEAK_METER);
    obs_volmeter_add_callback(channel->meter, Channel::onLevels, channel.get());
    obs_volmeter_attach_source(channel->meter, slot.audioSource());
    channel->ownOffsetNs = obs_source_get_sync_offset(slot.audioSource());
    channels_[slot.stream()] = std::move(channel);
}

base::Status AudioDesk::setFollowVideo(const std::string& stream, bool follow) {
    auto it = channels_.find(stream);
    if (it == channels_.end()) {
        return base::fail("input " + stream + " is not known");
    }
    Channel& c = *it->second;
    if (c.follow == follow) {
        return {};
    }
    if (!follow) {
        std::uint32_t free = kFirstBusChannel;
        for (; free <= kLastBusChannel; ++free) {
            bool used = false;
            for (const auto& [name, other] : channels_) {
                used = used || (other->bus && other->outputChannel == free);
            }
            if (!used) {
                break;
            }
        }
        if (free > kLastBusChannel) {
            return base::fail("follow_video: at most " +
                              std::to_string(kLastBusChannel - kFirstBusChannel + 1) +
                              " inputs can be always in the mix");
        }
        const std::string name = "mix: " + stream;
        c.bus = c.tap() ? makeSlotAudioTap(c.slot->scene(), name.c_str())
                        : SourceRef(obs_source_create_private(kBusId, name.c_str(), nullptr));
        if (!c.bus) {
            return base::fail("follow_video: the always-in-the-mix source could not be created");
        }
        c.outputChannel = free;
        if (!c.tap()) {
            obs_source_set_monitoring_type(c.bus.get(),
                                           obs_source_get_monitoring_type(c.slot->audioSource()));
            syncVolume(stream);
            c.applyOffset();
        }
        obs_set_output_source(free, c.bus.get());
        c.route(c.bus.get());
    } else {
        c.route(nullptr);
        obs_set_output_source(c.outputChannel, nullptr);
        c.bus.reset();
    }
    c.follow = follow;
    obs_volmeter_detach_source(c.meter);
    obs_volmeter_attach_source(c.meter, c.carrier());
    return {};
}

base::Result<std::string> AudioDesk::setMonitor(const std::string& stream, bool on) {
    auto it = channels_.find(stream);
    if (it == channels_.end()) {
        return base::fail("input " + stream + " is not known");
    }
    Channel& c = *it->second;
    const auto type = on ? OBS_MONITORING_TYPE_MONITOR_AND_OUTPUT : OBS_MONITORING_TYPE_NONE;
    obs_source_set_monitoring_type(c.slot->audioSource(), type);
    if (c.bus && !c.tap()) {
        obs_source_set_monitoring_type(c.bus.get(), type);
    }
    c.monitor = on;
    c.monitorProblem = on ? monitorProblem() : std::string();
    if (!c.monitorProblem.empty()) {
        base::log(base::LogLevel::Warning, "director",
                  "input " + stream + ": monitor: " + c.monitorProblem);
    }
    return c.monitorProblem;
}

base::Status AudioDesk::setSyncOffset(const std::string& stream, int ms) {
    auto it = channels_.find(stream);
    if (it == channels_.end()) {
        return base::fail("input " + stream + " is not known");
    }
    if (auto problem = syncOffsetProblem(ms)) {
        return base::fail(*problem);
    }
    it->second->syncOffsetMs = ms;
    it->second->applyOffset();
    return {};
}

base::Result<std::string> AudioDesk::route(const std::string& stream, const AudioRouting& r) {
    if (channels_.count(stream) == 0) {
        return base::fail("input " + stream + " is not known");
    }
    if (r.syncOffsetMs) {
        if (auto ok = setSyncOffset(stream, *r.syncOffsetMs); !ok) {
            return base::fail(ok.error());
        }
    }
    std::string problem;
    if (r.followVideo) {
        if (auto ok = setFollowVideo(stream, *r.followVideo); !ok) {
            return base::fail(ok.error());
        }
    }
    if (r.monitor) {
        auto ok = setMonitor(stream, *r.monitor);
        if (!ok) {
            return base::fail(ok.error());
        }
        problem = *ok;
    }
    const int offset = syncOffsetMs(stream);
    base::log(base::LogLevel::Info, "director",
              "input " + stream + ": " +
                  (followsVideo(stream) ? "audio follows video" : "always in the program mix") +
                  (monitors(stream) ? ", monitored" : "") +
                  (offset != 0 ? ", sound offset " + std::to_string(offset) + " ms" : ""));
    return problem;
}

void AudioDesk::restore(const std::string& stream, bool followVideo, bool monitor,
                        int syncOffsetMs) {
    if (syncOffsetMs != 0) {
        (void)setSyncOffset(stream, syncOffsetMs); // checked when the file was read
    }
    (void)setFollowVideo(stream, followVideo);
    syncVolume(stream);
    if (monitor) {
        (void)setMonitor(stream, monitor);
    }
}

void AudioDesk::syncVolume(const std::string& stream) {
    auto it = channels_.find(stream);
    if (it == channels_.end() || !it->second->bus || it->second->tap()) {
        return; // a tap carries the input's sound after its own volume and mute
    }
    obs_source_t* from = it->second->slot->audioSource();
    obs_source_set_volume(it->second->bus.get(), obs_source_get_volume(from));
    obs_source_set_muted(it->second->bus.get(), obs_source_muted(from));
}

void AudioDesk::fill(InputFigures& f) const {
    auto it = channels_.find(f.stream);
    if (it == channels_.end()) {
        return;
    }
    // libobs' volmeter applies the volume, not the mute.
    f.meter = obs_source_muted(it->second->carrier()) ? Meter{} : it->second->level.load();
    f.followVideo = it->second->follow;
    f.monitor = it->second->monitor;
    f.monitorProblem = it->second->monitorProblem;
    f.syncOffsetMs = it->second->syncOffsetMs;
}

bool AudioDesk::followsVideo(const std::string& stream) const {
    auto it = channels_.find(stream);
    return it == channels_.end() || it->second->follow;
}

bool AudioDesk::monitors(const std::string& stream) const {
    auto it = channels_.find(stream);
    return it != channels_.end() && it->second->monitor;
}

int AudioDesk::syncOffsetMs(const std::string& stream) const {
    auto it = channels_.find(stream);
    return it == channels_.end() ? 0 : it->second->syncOffsetMs;
}

Meter AudioDesk::program() const {
    return program_->level.load();
}

std::optional<DirectorEvent> AudioDesk::meterEvent() {
    const auto now = std::chrono::steady_clock::now();
    if (now - lastEvent_ < std::chrono::milliseconds(100)) {
        return std::nullopt;
    }
    lastEvent_ = now;
    DirectorEvent e;
    e.event = "meters";
    for (const auto& [name, channel] : channels_) {
        e.meters.emplace_back(name, obs_source_muted(channel->carrier()) ? Meter{}
                                                                         : channel->level.load());
    }
    e.programMeter = program();
    return e;
}

} // namespace stagecast::director
