#pragma once
/// Decides whether a video is frozen from successive sampled pictures, after ffmpeg's
/// freezedetect: two pictures are "the same" when the mean absolute difference of their luma
/// (here: of their LumaThumbnail cells, normalised to the code range) is below the noise
/// level (freezedetect's noise, default −60 dB = 0.001); the video is frozen once pictures
/// have stayed the same for at least `frozenAfter` of media time (freezedetect's d, 2 s).
///
/// Unlike freezedetect, which compares consecutive frames, this compares pictures sampled
/// about a second apart (keyframes), and averaging over cells hides encoder noise; a picture
/// that changes only in a few pixels (a ticking clock in a corner) can therefore count as
/// frozen. Thread: used from one thread.

#include <chrono>
#include <optional>

#include "media/LumaAnalysis.h"

namespace stagecast::media {

class FreezeDetector {
public:
    struct Verdict {
        /// Mean absolute difference to the previous picture (0..1); none for the first.
        std::optional<double> difference;
        /// How long the picture has stayed the same (media time); zero while it changes.
        std::chrono::milliseconds unchangedFor{0};
        bool frozen = false;
    };

    FreezeDetector(double noiseDb, std::chrono::milliseconds frozenAfter);

    /// Compares `picture` (shown at `pts`) with the previous one and remembers it.
    Verdict add(LumaThumbnail picture, std::chrono::milliseconds pts);
    /// Forgets the previous picture (a new publisher, a timeline jump, a new size).
    void reset();

private:
    double noise_;
    std::chrono::milliseconds frozenAfter_;
    std::optional<LumaThumbnail> previous_;
    std::chrono::milliseconds previousPts_{0};
    std::optional<std::chrono::milliseconds> unchangedSince_;
};

} // namespace stagecast::media
