#include "ContentProbe.h"

#include <algorithm>
#include <optional>

extern "C" {
#include <libavutil/frame.h>
}

#include "media/AudioDecoder.h"
#include "media/FreezeDetector.h"
#include "media/LoudnessMeter.h"
#include "media/LumaAnalysis.h"
#include "media/VideoDecoder.h"

namespace stagecast::media {

using std::chrono::milliseconds;

namespace {

// Audio and video are interleaved with small skews; a step back larger than this is a new
// timeline (a republish that restarts at zero, an encoder restart).
constexpr milliseconds kBackwardJump{1000};

VideoDecoderOptions videoOptions(const ProbeOptions& o) {
    VideoDecoderOptions v;
    v.keyframesOnly = o.keyframesOnly;
    v.minInterval = o.keyframesOnly ? o.pictureInterval * 3 / 4 : milliseconds{0};
    v.threads = 1;
    return v;
}

struct Picture {
    milliseconds pts{0};
    LumaStats stats; // without its thumbnail (handed to the freeze detector)
    bool black = false;
    FreezeDetector::Verdict verdict;
};

} // namespace

struct ContentProbe::State {
    explicit State(ProbeOptions o)
        : options(o), video(videoOptions(o)), freeze(o.frozenNoiseDb, o.frozenAfter) {}

    base::Status feed(const stream::MediaPacket& packet, std::vector<ContentSample>& out);
    void advance(milliseconds dts, std::vector<ContentSample>& out);
    void restartTimeline();
    ContentSample sample(milliseconds end) const;
    ProbeCounters countersNow() const;
    void analyze(const AVFrame& frame, milliseconds fallbackPts);
    void measure(const AVFrame& frame);

    ProbeOptions options;
    VideoDecoder video;
    AudioDecoder audio;
    LoudnessMeter loudness;
    FreezeDetector freeze;

    std::optional<milliseconds> windowEnd;
    std::optional<milliseconds> lastDts;
    std::uint64_t audioFramesInWindow = 0;
    double windowPeakDbfs = LoudnessMeter::kFloor;
    std::optional<Picture> picture;
    std::optional<milliseconds> lastAnalyzedPts;
    ProbeCounters counters;
    std::optional<base::Error> problem; // from the frame callbacks, reported by feed()
};

ContentProbe::ContentProbe(ProbeOptions options) : state_(std::make_unique<State>(options)) {}
ContentProbe::~ContentProbe() = default;
ContentProbe::ContentProbe(ContentProbe&&) noexcept = default;
ContentProbe& ContentProbe::operator=(ContentProbe&&) noexcept = default;

const ProbeOptions& ContentProbe::options() const {
    return state_->options;
}

void ContentProbe::reset() {
    state_ = std::make_unique<State>(state_->options);
}

ProbeCounters ContentProbe::counters() const {
    return state_->countersNow();
}

base::Status ContentProbe::feed(const stream::MediaPacket& packet,
                                std::vector<ContentSample>& out) {
    return state_->feed(packet, out);
}

base::Status ContentProbe::State::feed(const stream::MediaPacket& packet,
                                       std::vector<ContentSample>& out) {
    if (packet.kind == stream::TrackKind::Data) {
        return {};
    }
    if (!packet.config) {
        advance(packet.dts, out);
    }
    problem.reset();
    base::Status ok;
    if (packet.kind == stream::TrackKind::Video) {
        const milliseconds pts = packet.dts + packet.cts;
        ok = video.decode(packet, [&](const AVFrame& frame) { analyze(frame, pts); });
    } else {
        ok = audio.decode(packet, [&](const AVFrame& frame) { measure(frame); });
    }
    if (!ok) {
        return ok;
    }
    if (problem) {
        return base::fail(*problem);
    }
    return {};
}

void ContentProbe::State::advance(milliseconds dts, std::vector<ContentSample>& out) {
    if (lastDts && dts + kBackwardJump < *lastDts) {
        restartTimeline();
    }
    lastDts = lastDts ? std::max(*lastDts, dts) : dts;
    if (!windowEnd) {
        windowEnd = dts + options.sampleInterval;
        return;
    }
    if (dts < *windowEnd) {
        return;
    }
    ++counters.samples;
    out.push_back(sample(*windowEnd));
    audioFramesInWindow = 0;
    *windowEnd += options.sampleInterval;
    if (dts >= *windowEnd) {
        // A gap in the stream (a stall): no samples for the time nothing arrived.
        windowEnd = dts + options.sampleInterval;
    }
}

void ContentProbe::State::restartTimeline() {
    ++counters.timelineResets;
    windowEnd.reset();
    lastDts.reset();
    loudness.reset();
    freeze.reset();
    picture.reset();
    lastAnalyzedPts.reset();
    audioFramesInWindow = 0;
}

ContentSample ContentProbe::State::sample(milliseconds end) const {
    ContentSample s;
    s.time = std::chrono::system_clock::now();
    s.mediaTime = end;
    if (audioFramesInWindow > 0 && loudness.measuring()) {
        s.hasAudio = true;
        s.momentaryLufs = loudness.momentaryLufs();
        s.shortTermLufs = loudness.shortTermLufs();
        s.peakDbfs = windowPeakDbfs;
        s.silent =
            s.shortTermLufs < options.silenceShortTermLufs || s.peakDbfs < options.silencePeakDbfs;
        s.sampleRate = loudness.sampleRate();
        s.channels = loudness.channels();
    }
    if (picture && end - picture->pts <= options.videoStaleAfter) {
        s.hasVideo = true;
        s.pictureTime = picture->pts;
        s.width = picture->stats.width;
        s.height = picture->stats.height;
        s.avgLuma = picture->stats.averageLuma;
        s.blackShare = picture->stats.blackShare;
        s.black = picture->black;
        s.pictureDifference = picture->verdict.difference;
        s.unchangedFor = picture->verdict.unchangedFor;
        s.frozen = picture->verdict.frozen;
    }
    s.counters = countersNow();
    return s;
}

ProbeCounters ContentProbe::State::countersNow() const {
    ProbeCounters c = counters;
    c.video = video.counters();
    c.audio = audio.counters();
    return c;
}

void ContentProbe::State::analyze(const AVFrame& frame, milliseconds fallbackPts) {
    const milliseconds pts = frame.best_effort_timestamp != AV_NOPTS_VALUE
                                 ? milliseconds(frame.best_effort_timestamp)
                                 : fallbackPts;
    if (lastAnalyzedPts && pts >= *lastAnalyzedPts &&
        pts - *lastAnalyzedPts < options.pictureInterval * 3 / 4) {
        return; // full-decode mode: still at most about one picture per interval
    }
    LumaOptions lumaOptions;
    lumaOptions.blackPixelThreshold = options.blackPixelThreshold;
    auto stats = analyzeLuma(frame, lumaOptions);
    if (!stats) {
        ++counters.analysisErrors;
        problem = stats.error();
        return;
    }
    lastAnalyzedPts = pts;
    ++counters.picturesAnalyzed;
    Picture p;
    p.pts = pts;
    p.black = stats->blackShare >= options.blackPictureRatio;
    p.verdict = freeze.add(std::move(stats->thumbnail), pts);
    p.stats = std::move(*stats);
    picture = std::move(p);
}

void ContentProbe::State::measure(const AVFrame& frame) {
    if (auto ok = loudness.add(frame); !ok) {
        ++counters.analysisErrors;
        problem = ok.error();
        return;
    }
    if (audioFramesInWindow == 0) {
        windowPeakDbfs = LoudnessMeter::kFloor;
    }
    ++audioFramesInWindow;
    windowPeakDbfs = std::max(windowPeakDbfs, loudness.takePeakDbfs());
}

} // namespace stagecast::media
