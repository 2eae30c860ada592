#pragma once
/// Thresholds of the content probe. The defaults follow the FFmpeg filters an operator would
/// otherwise run by hand (blackdetect, freezedetect, ebur128) so their numbers mean the same.

#include <chrono>

#include "base/Result.h"

namespace stagecast::media {

struct ProbeOptions {
    /// One ContentSample per this much media time.
    std::chrono::milliseconds sampleInterval{1000};

    /// Video is decoded from keyframes only (see ContentProbe), at most one picture per
    /// `pictureInterval` of media time; keyframes closer than 3/4 of it to the last decoded
    /// one are skipped, so a 1 s GOP with millisecond rounding still gives one per second.
    /// false decodes every frame (only for measuring what keyframes-only saves).
    bool keyframesOnly = true;
    std::chrono::milliseconds pictureInterval{1000};
    /// With no new picture for this long (media time), samples carry no video measurement.
    std::chrono::milliseconds videoStaleAfter{10000};

    /// blackdetect pix_th: a pixel is black at or below this share of the black-to-white
    /// luma range.
    double blackPixelThreshold = 0.10;
    /// blackdetect picture_black_ratio_th: a picture is black when at least this share of
    /// its pixels is black.
    double blackPictureRatio = 0.98;

    /// freezedetect noise: pictures differ less than this (mean absolute luma difference,
    /// in dB of the code range: −60 dB = 0.001) are the same.
    double frozenNoiseDb = -60.0;
    /// freezedetect d: the same picture for at least this long is frozen.
    std::chrono::milliseconds frozenAfter{2000};

    /// Silent when the short-term loudness (3 s) is below this ...
    double silenceShortTermLufs = -50.0;
    /// ... or no sample in the last interval reached this level.
    double silencePeakDbfs = -60.0;

    /// Names the first bad value and what is allowed.
    base::Status validate() const;
};

} // namespace stagecast::media
