#include "director/ToneSource.h"

#include <obs.h>
#include <util/platform.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <numbers>
#include <thread>
#include <vector>

namespace stagecast::director {

namespace {

constexpr std::uint32_t kRate = 48000;
constexpr std::uint32_t kFramesPerPush = kRate / 100; // 10 ms
// How far ahead of the clock the samples are handed over. libobs mixes a source that is late
// for a tick without it and then grows its audio buffering: one 1024-sample hole and a phase
// jump in the tone, heard as a click (found in CI at 5-7 s into the demo on a loaded 2-core
// machine). Samples with a later timestamp simply wait in the source's buffer.
constexpr std::chrono::milliseconds kLead{250};

class Tone {
public:
    Tone(obs_source_t* source, obs_data_t* settings) : source_(source) {
        const double hz = std::clamp(obs_data_get_double(settings, "frequency"), 20.0, 20000.0);
        const double db = std::clamp(obs_data_get_double(settings, "level_db"), -60.0, 0.0);
        step_ = 2.0 * std::numbers::pi * hz / kRate;
        amplitude_ = static_cast<float>(std::pow(10.0, db / 20.0));
        thread_ = std::thread([this] { run(); });
    }
    ~Tone() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    Tone(const Tone&) = delete;
    Tone& operator=(const Tone&) = delete;

private:
    void run() {
        std::vector<float> samples(kFramesPerPush);
        const std::uint64_t startNs = os_gettime_ns();
        const auto start = std::chrono::steady_clock::now();
        std::uint64_t sent = 0;
        std::unique_lock lock(mutex_);
        while (!stop_) {
            for (auto& s : samples) {
                s = amplitude_ * static_cast<float>(std::sin(phase_));
                phase_ = std::fmod(phase_ + step_, 2.0 * std::numbers::pi);
            }
            obs_source_audio audio{};
            audio.data[0] = reinterpret_cast<const std::uint8_t*>(samples.data());
            audio.data[1] = audio.data[0];
            audio.frames = kFramesPerPush;
            audio.speakers = SPEAKERS_STEREO;
            audio.format = AUDIO_FORMAT_FLOAT_PLANAR;
            audio.samples_per_sec = kRate;
            audio.timestamp = startNs + sent * 1000000000ULL / kRate;
            obs_source_output_audio(source_, &audio);
            sent += kFramesPerPush;
            const auto due = start + std::chrono::nanoseconds(sent * 1000000000ULL / kRate) - kLead;
            wake_.wait_until(lock, due, [this] { return stop_; });
        }
    }

    obs_source_t* source_;
    double step_ = 0;
    double phase_ = 0;
    float amplitude_ = 0.1F;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

const char* toneName(void*) noexcept {
    return "Stagecast line-up tone";
}

void toneDefaults(obs_data_t* settings) noexcept {
    obs_data_set_default_double(settings, "frequency", 1000.0);
    obs_data_set_default_double(settings, "level_db", -20.0);
}

void* toneCreate(obs_data_t* settings, obs_source_t* source) noexcept {
    try {
        return new Tone(source, settings);
    } catch (const std::exception&) {
        return nullptr; // no thread: the source is not created
    }
}

void toneDestroy(void* data) noexcept {
    delete static_cast<Tone*>(data);
}

} // namespace

void registerToneSource() {
    obs_source_info info{};
    info.id = kToneId;
    info.type = OBS_SOURCE_TYPE_INPUT;
    info.output_flags = OBS_SOURCE_AUDIO | OBS_SOURCE_DO_NOT_DUPLICATE;
    info.get_name = toneName;
    info.get_defaults = toneDefaults;
    info.create = toneCreate;
    info.destroy = toneDestroy;
    obs_register_source(&info);
}

} // namespace stagecast::director
