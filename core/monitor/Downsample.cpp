#include "monitor/Downsample.h"

#include <algorithm>

namespace stagecast::monitor {

namespace {

struct Accumulator {
    double weightedSum = 0;
    std::int64_t weight = 0;
    FigureRange range;

    void add(const std::optional<double>& value, std::int64_t samples) {
        if (!value) {
            return;
        }
        const auto w = std::max<std::int64_t>(samples, 1);
        weightedSum += *value * static_cast<double>(w);
        weight += w;
        range.min = range.min ? std::min(*range.min, *value) : *value;
        range.max = range.max ? std::max(*range.max, *value) : *value;
    }
    FigureRange result() const {
        FigureRange r = range;
        if (weight > 0) {
            r.avg = weightedSum / static_cast<double>(weight);
        }
        return r;
    }
};

struct Bucket {
    std::int64_t index = -1;
    std::int64_t samples = 0;
    Accumulator video, audio, fps, keyframe, viewers;
    std::int64_t dropped = 0;
};

} // namespace

std::vector<SeriesPoint> downsample(std::span<const store::HealthPoint> fine, store::Time from,
                                    store::Time to, std::size_t maxPoints) {
    std::vector<SeriesPoint> out;
    if (maxPoints == 0 || to <= from) {
        return out;
    }
    const std::int64_t fromMs = store::toUnixMs(from);
    const std::int64_t spanMs = store::toUnixMs(to) - fromMs;
    // Fewer buckets than milliseconds; and n * span stays far from overflow (span < 2^43).
    const auto n = std::min<std::int64_t>(static_cast<std::int64_t>(maxPoints), spanMs);
    Bucket current;
    const auto flush = [&] {
        if (current.index < 0) {
            return;
        }
        SeriesPoint p;
        // Start of bucket b: the smallest t with (t - from) * n / span == b.
        p.at = store::fromUnixMs(fromMs + (current.index * spanMs + n - 1) / n);
        p.samples = current.samples;
        p.videoKbps = current.video.result();
        p.audioKbps = current.audio.result();
        p.fps = current.fps.result();
        p.keyframeIntervalS = current.keyframe.result();
        p.viewers = current.viewers.result();
        p.droppedBytes = current.dropped;
        out.push_back(p);
        current = Bucket{};
    };
    for (const auto& point : fine) {
        if (point.at < from || point.at >= to) {
            continue;
        }
        const std::int64_t index = (store::toUnixMs(point.at) - fromMs) * n / spanMs;
        if (index != current.index) {
            flush();
            current.index = index;
        }
        current.samples += point.samples;
        current.video.add(point.videoKbps, point.samples);
        current.audio.add(point.audioKbps, point.samples);
        current.fps.add(point.fps, point.samples);
        current.keyframe.add(point.keyframeIntervalS, point.samples);
        current.viewers.add(point.viewers, point.samples);
        current.dropped += point.droppedBytes;
    }
    flush();
    return out;
}

} // namespace stagecast::monitor
