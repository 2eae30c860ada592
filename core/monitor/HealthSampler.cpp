#include "monitor/HealthSampler.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "base/Log.h"
#include "store/PublishSessions.h"
#include "store/StoreWriter.h"

namespace stagecast::monitor {

namespace {

using std::chrono::duration;
using std::chrono::milliseconds;

// Streams remembered for reconnect counting; past this, those not live are forgotten.
constexpr std::size_t kMaxTracks = 10'000;

double seconds(milliseconds ms) {
    return duration<double>(ms).count();
}

double rounded(double value, double step) {
    return std::round(value / step) * step;
}

} // namespace

HealthSampler::HealthSampler(SamplerOptions options, SnapshotSource snapshots, ViewerSource viewers,
                             store::StoreWriter* writer)
    : options_(options), snapshots_(std::move(snapshots)), viewers_(std::move(viewers)),
      writer_(writer) {}

HealthSampler::~HealthSampler() {
    stop();
}

void HealthSampler::addSink(Sink sink) {
    sinks_.push_back(std::move(sink));
}

void HealthSampler::start() {
    if (thread_.joinable()) {
        return;
    }
    {
        std::lock_guard lock(threadMutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { run(); });
}

void HealthSampler::stop() {
    {
        std::lock_guard lock(threadMutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void HealthSampler::run() {
    using Clock = std::chrono::steady_clock;
    auto next = Clock::now() + options_.interval;
    std::optional<Clock::time_point> nextRetention = Clock::now();
    while (true) {
        {
            std::unique_lock lock(threadMutex_);
            if (wake_.wait_until(lock, next, [this] { return stopping_; })) {
                return;
            }
        }
        // A late tick (suspend, overload) does not cause a burst of catch-up samples.
        next = std::max(next + options_.interval, Clock::now());
        sampleOnce(store::toStoreTime(std::chrono::system_clock::now()));
        if (writer_ != nullptr && Clock::now() >= *nextRetention) {
            nextRetention = Clock::now() + options_.retentionEvery;
            auto policy = options_.retention;
            auto queued =
                writer_->enqueue([policy](store::WriteContext& c) -> base::Result<std::int64_t> {
                    auto done = store::Rollup::runRetention(
                        c, store::toStoreTime(std::chrono::system_clock::now()), policy);
                    if (!done) {
                        return base::fail(done.error().withContext("health retention"));
                    }
                    return done->samplesRolledUp;
                });
            if (!queued) {
                base::log(base::LogLevel::Warning, "monitor",
                          "health retention not queued: " + queued.error().message());
            }
        }
    }
}

std::vector<StreamHealth> HealthSampler::sampleOnce(store::Time now) {
    std::vector<StreamHealth> samples;
    for (const auto& snapshot : snapshots_()) {
        if (!snapshot.live) {
            continue;
        }
        if (!tracks_.contains(snapshot.key) && tracks_.size() >= kMaxTracks) {
            std::erase_if(tracks_, [&](const auto& entry) {
                return std::none_of(samples.begin(), samples.end(),
                                    [&](const StreamHealth& h) { return h.stream == entry.first; });
            });
        }
        auto& track = tracks_[snapshot.key];
        samples.push_back(measure(snapshot, track, now));
        storeMedia(samples.back(), track);
    }
    if (writer_ != nullptr) {
        for (const auto& h : samples) {
            store::HealthSample sample;
            sample.stream = h.stream;
            sample.at = h.at;
            sample.videoKbps = h.videoCodec.empty() ? std::nullopt : std::optional(h.videoKbps);
            sample.audioKbps = h.audioCodec.empty() ? std::nullopt : std::optional(h.audioKbps);
            if (!h.videoCodec.empty()) {
                sample.fps = h.fps;
                sample.keyframeIntervalS = h.keyframeIntervalS;
            }
            sample.viewers = static_cast<std::int64_t>(h.viewers);
            sample.droppedBytes = static_cast<std::int64_t>(h.droppedBytes);
            sample.extrasJson = extrasJson(h);
            writer_->enqueueSample(std::move(sample));
        }
    }
    {
        std::lock_guard lock(liveMutex_);
        live_ = samples;
    }
    for (const auto& sink : sinks_) {
        sink(samples, now);
    }
    return samples;
}

StreamHealth HealthSampler::measure(const stream::StreamSnapshot& s, Track& track,
                                    store::Time now) {
    StreamHealth h;
    h.stream = s.key;
    h.at = now;
    if (track.publisherId != s.publisherId) {
        // A new publish (client ids are never reused within a run).
        track.publisherId = s.publisherId;
        ++track.publishes;
        track.stalled = false;
        track.stalls = 0;
        track.mediaStored.clear();
    }
    h.publisherId = s.publisherId;
    h.publisherProtocol = s.publisherProtocol;
    h.publisherAddress = s.publisherAddress;
    h.uptime = s.uptime;
    h.reconnects = track.publishes > 0 ? track.publishes - 1 : 0;

    h.videoCodec = s.video.codec;
    h.audioCodec = s.audio.codec;
    h.width = s.video.width;
    h.height = s.video.height;
    h.videoKbps = s.videoBitrate / 1000.0;
    h.audioKbps = s.audioBitrate / 1000.0;
    h.fps = s.frameRate;
    h.nominalFps = s.video.nominalFrameRate;
    h.keyframeIntervalS = s.keyframeInterval;
    if (s.lastKeyframeDts && s.lastVideoDts && *s.lastVideoDts >= *s.lastKeyframeDts) {
        h.sinceKeyframeS = seconds(*s.lastVideoDts - *s.lastKeyframeDts);
    }
    if (s.lastVideoDts && s.lastAudioDts) {
        h.avDriftMs = static_cast<double>((*s.lastVideoDts - *s.lastAudioDts).count());
    }

    if (s.sinceLastPacket) {
        h.sinceLastPacketMs = static_cast<double>(s.sinceLastPacket->count());
    }
    // Before the first packet a publish is "starting", not stalled; after it, silence counts.
    const auto quiet = s.sinceLastPacket.value_or(milliseconds{0});
    const bool stalled =
        s.sinceLastPacket ? quiet > options_.stallAfter : s.uptime > options_.stallAfter;
    if (stalled && !track.stalled) {
        ++track.stalls;
    }
    track.stalled = stalled;
    h.stalled = stalled;
    h.stalls = track.stalls;
    h.gaps = s.arrivalGaps;
    h.timestampJumps = s.timestampJumps;

    // Viewers as ViewerStats counts them (players, not relays); the hub's reader count only
    // when there is no viewer source.
    h.viewers = s.readers;
    if (viewers_) {
        h.viewersByProtocol = viewers_(s.key);
        h.viewers = 0;
        for (const auto& [protocol, n] : h.viewersByProtocol) {
            h.viewers += n;
        }
    }
    // The hub's counter is per stream object: it restarts when a stream is dropped and made
    // again, so a smaller total is a new count, not a negative delta.
    h.droppedBytesTotal = s.readerDroppedBytes;
    h.droppedBytes = s.readerDroppedBytes >= track.droppedTotal
                         ? s.readerDroppedBytes - track.droppedTotal
                         : s.readerDroppedBytes;
    track.droppedTotal = s.readerDroppedBytes;
    h.slowDisconnects = s.readersDisconnectedSlow;
    return h;
}

void HealthSampler::storeMedia(const StreamHealth& h, Track& track) {
    if (writer_ == nullptr || (h.videoCodec.empty() && h.audioCodec.empty())) {
        return;
    }
    auto media = h.videoCodec + "/" + h.audioCodec + "/" + std::to_string(h.width) + "x" +
                 std::to_string(h.height);
    if (media == track.mediaStored) {
        return;
    }
    store::PublishMedia m;
    m.videoCodec = h.videoCodec;
    m.audioCodec = h.audioCodec;
    if (h.width > 0 && h.height > 0) {
        m.width = h.width;
        m.height = h.height;
    }
    auto queued =
        writer_->enqueue([stream = h.stream, id = h.publisherId, m](store::WriteContext& c) {
            return store::PublishSessions::setMedia(c, stream, id, m);
        });
    if (queued) {
        track.mediaStored = std::move(media);
    }
}

std::string HealthSampler::extrasJson(const StreamHealth& h) {
    nlohmann::json j = {
        {"uptime_s", rounded(seconds(h.uptime), 0.001)},
        {"reconnects", h.reconnects},
        {"stalled", h.stalled},
        {"stalls", h.stalls},
        {"gaps", h.gaps},
        {"timestamp_jumps", h.timestampJumps},
        {"slow_disconnects", h.slowDisconnects},
    };
    if (h.avDriftMs) {
        j["av_drift_ms"] = *h.avDriftMs;
    }
    if (h.sinceKeyframeS) {
        j["since_keyframe_s"] = rounded(*h.sinceKeyframeS, 0.001);
    }
    if (h.nominalFps > 0) {
        j["nominal_fps"] = rounded(h.nominalFps, 0.001);
    }
    j["viewers_by_protocol"] = nlohmann::json::object();
    for (const auto& [protocol, n] : h.viewersByProtocol) {
        j["viewers_by_protocol"][protocol] = n;
    }
    return j.dump();
}

std::vector<StreamHealth> HealthSampler::live() const {
    std::lock_guard lock(liveMutex_);
    return live_;
}

std::optional<StreamHealth> HealthSampler::live(std::string_view stream) const {
    std::lock_guard lock(liveMutex_);
    for (const auto& h : live_) {
        if (h.stream == stream) {
            return h;
        }
    }
    return std::nullopt;
}

} // namespace stagecast::monitor
