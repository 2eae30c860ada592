#include "LoudnessMeter.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include <ebur128.h>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/samplefmt.h>
}

namespace stagecast::media {

namespace {

// AAC frames hold 1024 samples; 8 channels at 8192 samples bound the buffer generously.
constexpr std::uint32_t kMaxChannels = 8;
constexpr int kMaxFrameSamples = 1 << 16;

double toLufs(double value) {
    return std::isfinite(value) ? std::max(value, LoudnessMeter::kFloor) : LoudnessMeter::kFloor;
}

template <typename T>
float scale(T sample) {
    if constexpr (std::is_same_v<T, float>) {
        return sample;
    } else if constexpr (std::is_same_v<T, std::int16_t>) {
        return static_cast<float>(sample) / 32768.0F;
    } else {
        return static_cast<float>(static_cast<double>(sample) / 2147483648.0);
    }
}

/// Copies `frame`'s samples into `out` interleaved, as float.
template <typename T>
void interleave(const AVFrame& frame, bool planar, std::size_t channels, std::vector<float>& out) {
    const auto count = static_cast<std::size_t>(frame.nb_samples);
    out.resize(count * channels);
    if (planar) {
        for (std::size_t c = 0; c < channels; ++c) {
            const auto* plane = reinterpret_cast<const T*>(frame.extended_data[c]);
            for (std::size_t i = 0; i < count; ++i) {
                out[i * channels + c] = scale(plane[i]);
            }
        }
    } else {
        const auto* packed = reinterpret_cast<const T*>(frame.extended_data[0]);
        for (std::size_t i = 0; i < count * channels; ++i) {
            out[i] = scale(packed[i]);
        }
    }
}

} // namespace

struct LoudnessMeter::State {
    explicit State(ebur128_state* s) : handle(s) {}
    ~State() { ebur128_destroy(&handle); }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ebur128_state* handle;
};

LoudnessMeter::LoudnessMeter() = default;
LoudnessMeter::~LoudnessMeter() = default;
LoudnessMeter::LoudnessMeter(LoudnessMeter&&) noexcept = default;
LoudnessMeter& LoudnessMeter::operator=(LoudnessMeter&&) noexcept = default;

void LoudnessMeter::reset() {
    state_.reset();
    channels_ = 0;
    sampleRate_ = 0;
    peak_ = 0;
}

base::Status LoudnessMeter::configure(std::uint32_t channels, std::uint32_t sampleRate) {
    if (state_ && channels == channels_ && sampleRate == sampleRate_) {
        return {};
    }
    reset();
    if (channels == 0 || channels > kMaxChannels) {
        return base::fail("loudness: " + std::to_string(channels) +
                          " channels unsupported, allowed 1.." + std::to_string(kMaxChannels));
    }
    // Momentary and short-term windows only; the peak is taken from the samples directly.
    ebur128_state* handle = ebur128_init(channels, sampleRate, EBUR128_MODE_S);
    if (handle == nullptr) {
        return base::fail("loudness: cannot measure " + std::to_string(channels) + " channels at " +
                          std::to_string(sampleRate) + " Hz");
    }
    state_ = std::make_unique<State>(handle);
    channels_ = channels;
    sampleRate_ = sampleRate;
    return {};
}

base::Status LoudnessMeter::add(const AVFrame& frame) {
    const int channels = frame.ch_layout.nb_channels;
    if (channels <= 0 || frame.sample_rate <= 0 || frame.nb_samples <= 0 ||
        frame.nb_samples > kMaxFrameSamples) {
        return base::fail("loudness: frame with " + std::to_string(channels) + " channels, " +
                          std::to_string(frame.nb_samples) + " samples at " +
                          std::to_string(frame.sample_rate) + " Hz unusable");
    }
    if (static_cast<std::uint32_t>(channels) > kMaxChannels) {
        return base::fail("loudness: " + std::to_string(channels) +
                          " channels unsupported, allowed 1.." + std::to_string(kMaxChannels));
    }
    const auto n = static_cast<std::size_t>(channels);
    const auto format = static_cast<AVSampleFormat>(frame.format);
    switch (format) {
    case AV_SAMPLE_FMT_FLT:
    case AV_SAMPLE_FMT_FLTP:
        interleave<float>(frame, format == AV_SAMPLE_FMT_FLTP, n, interleaved_);
        break;
    case AV_SAMPLE_FMT_S16:
    case AV_SAMPLE_FMT_S16P:
        interleave<std::int16_t>(frame, format == AV_SAMPLE_FMT_S16P, n, interleaved_);
        break;
    case AV_SAMPLE_FMT_S32:
    case AV_SAMPLE_FMT_S32P:
        interleave<std::int32_t>(frame, format == AV_SAMPLE_FMT_S32P, n, interleaved_);
        break;
    default: {
        const char* name = av_get_sample_fmt_name(format);
        return base::fail(std::string("loudness: sample format ") + (name ? name : "unknown") +
                          " unsupported, allowed flt, fltp, s16, s16p, s32, s32p");
    }
    }
    return addInterleaved(interleaved_, static_cast<std::uint32_t>(channels),
                          static_cast<std::uint32_t>(frame.sample_rate));
}

base::Status LoudnessMeter::addInterleaved(std::span<const float> samples, std::uint32_t channels,
                                           std::uint32_t sampleRate) {
    if (auto ok = configure(channels, sampleRate); !ok) {
        return ok;
    }
    for (float s : samples) {
        peak_ = std::max(peak_, std::fabs(s));
    }
    const std::size_t frames = samples.size() / channels;
    if (int rc = ebur128_add_frames_float(state_->handle, samples.data(), frames);
        rc != EBUR128_SUCCESS) {
        return base::fail("loudness: libebur128 error " + std::to_string(rc));
    }
    return {};
}

double LoudnessMeter::momentaryLufs() const {
    double value = kFloor;
    if (state_ && ebur128_loudness_momentary(state_->handle, &value) == EBUR128_SUCCESS) {
        return toLufs(value);
    }
    return kFloor;
}

double LoudnessMeter::shortTermLufs() const {
    double value = kFloor;
    if (state_ && ebur128_loudness_shortterm(state_->handle, &value) == EBUR128_SUCCESS) {
        return toLufs(value);
    }
    return kFloor;
}

double LoudnessMeter::takePeakDbfs() {
    const double peak = peak_;
    peak_ = 0;
    return peak > 0 ? std::max(20.0 * std::log10(peak), kFloor) : kFloor;
}

} // namespace stagecast::media
