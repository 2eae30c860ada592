#pragma once
/// Loudness of one audio track after EBU R128 / ITU-R BS.1770-4, measured by libebur128:
/// momentary (400 ms window) and short-term (3 s window) loudness in LUFS, and the sample
/// peak since the last read in dBFS. Values of digital silence (−∞) are reported as kFloor.
///
/// Thread: used from one thread.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/Result.h"

extern "C" {
struct AVFrame;
}

namespace stagecast::media {

class LoudnessMeter {
public:
    /// What silence and an empty window read as (ffmpeg's ebur128 filter shows −120.7).
    static constexpr double kFloor = -120.0;

    LoudnessMeter();
    ~LoudnessMeter();
    LoudnessMeter(LoudnessMeter&&) noexcept;
    LoudnessMeter& operator=(LoudnessMeter&&) noexcept;

    /// Adds a decoded frame: float, s16 or s32 samples, packed or planar. A change of sample
    /// rate or channel count starts a new measurement. Fails on other sample formats.
    base::Status add(const AVFrame& frame);
    /// Adds interleaved float samples (nominal range −1..1).
    base::Status addInterleaved(std::span<const float> samples, std::uint32_t channels,
                                std::uint32_t sampleRate);

    bool measuring() const { return state_ != nullptr; }
    double momentaryLufs() const;
    double shortTermLufs() const;
    /// The highest absolute sample since the previous call (or the start), in dBFS.
    double takePeakDbfs();
    std::uint32_t sampleRate() const { return sampleRate_; }
    std::uint32_t channels() const { return channels_; }
    /// Forgets everything measured (a new publisher, a timeline jump).
    void reset();

private:
    /// Owns the libebur128 state (an anonymous C struct: it cannot be declared here).
    struct State;
    base::Status configure(std::uint32_t channels, std::uint32_t sampleRate);

    std::unique_ptr<State> state_;
    std::uint32_t channels_ = 0;
    std::uint32_t sampleRate_ = 0;
    float peak_ = 0;
    std::vector<float> interleaved_; // conversion buffer, reused
};

} // namespace stagecast::media
