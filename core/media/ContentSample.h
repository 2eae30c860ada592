#pragma once
/// What the content probe reports about one stream once per sample interval (1 s).

#include <chrono>
#include <cstdint>
#include <optional>

#include "media/DecoderCounters.h"

namespace stagecast::media {

/// Cumulative counters of one probe since it started (or was reset).
struct ProbeCounters {
    DecoderCounters video;
    DecoderCounters audio;
    std::uint64_t picturesAnalyzed = 0;
    std::uint64_t analysisErrors = 0; // pictures or audio frames in a format not measured
    std::uint64_t samples = 0;
    std::uint64_t timelineResets = 0; // timestamps went back (a new publisher)
};

struct ContentSample {
    /// Wall-clock time the sample was produced.
    std::chrono::system_clock::time_point time{};
    /// End of the interval on the stream's timeline (the hub's dts milliseconds).
    std::chrono::milliseconds mediaTime{0};

    /// Audio was decoded in this interval; the audio fields below are meaningful.
    bool hasAudio = false;
    /// EBU R128 momentary (400 ms) and short-term (3 s) loudness, LUFS; −120 for silence.
    double momentaryLufs = -120.0;
    double shortTermLufs = -120.0;
    /// Highest sample in the interval, dBFS; −120 for digital silence.
    double peakDbfs = -120.0;
    /// Short-term loudness or peak below the silence thresholds.
    bool silent = false;
    std::uint32_t sampleRate = 0;
    std::uint32_t channels = 0;

    /// A picture was analysed recently (within ProbeOptions::videoStaleAfter); the video
    /// fields below describe that picture.
    bool hasVideo = false;
    /// Presentation time of the picture (it may be older than this interval: pictures come
    /// from keyframes).
    std::chrono::milliseconds pictureTime{0};
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    /// Mean luma, 0 (black level) .. 1 (white level).
    double avgLuma = 0;
    /// Share of near-black pixels, 0..1.
    double blackShare = 0;
    bool black = false;
    /// Mean absolute luma difference to the previous analysed picture, 0..1.
    std::optional<double> pictureDifference;
    /// How long the picture has not changed (media time).
    std::chrono::milliseconds unchangedFor{0};
    bool frozen = false;

    ProbeCounters counters;
};

} // namespace stagecast::media
