#include "monitor/AlertEngine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/Log.h"
#include "store/StoreWriter.h"

namespace stagecast::monitor {

namespace {

using std::chrono::milliseconds;

// Rate meters average over whole seconds and encoders settle: the first seconds of a publish
// are not judged by the bitrate and fps rules.
constexpr std::chrono::seconds kWarmup{5};
// "Recent median" needs some history before a drop below it means anything.
constexpr std::size_t kMinHistory = 10;
// A probe that has said nothing for this long is gone (stream ended, probe stopped): its last
// flags no longer hold.
constexpr std::chrono::seconds kContentStale{5};
// Streams remembered at most (each one published at least once); past this, forgotten
// streams are those not live and without open alerts.
constexpr std::size_t kMaxStreams = 10'000;

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", value);
    return text;
}

std::string seconds(std::chrono::seconds s) {
    return std::to_string(s.count()) + " s";
}

} // namespace

const char* toString(AlertKind kind) {
    switch (kind) {
    case AlertKind::StreamDown:
        return "stream_down";
    case AlertKind::BitrateLow:
        return "bitrate_low";
    case AlertKind::FpsLow:
        return "fps_low";
    case AlertKind::KeyframeMissing:
        return "keyframe_missing";
    case AlertKind::Silence:
        return "silence";
    case AlertKind::Black:
        return "black";
    case AlertKind::Frozen:
        return "frozen";
    case AlertKind::LoudnessHigh:
        return "loudness_high";
    case AlertKind::DiskLow:
        return "disk_low";
    case AlertKind::RecordingFailed:
        return "recording_failed";
    case AlertKind::TranscodeBehind:
        return "transcode_behind";
    case AlertKind::DirectorStandby:
        return "director_standby";
    }
    return "unknown";
}

std::optional<AlertKind> parseAlertKind(std::string_view text) {
    for (auto kind :
         {AlertKind::StreamDown, AlertKind::BitrateLow, AlertKind::FpsLow,
          AlertKind::KeyframeMissing, AlertKind::Silence, AlertKind::Black, AlertKind::Frozen,
          AlertKind::LoudnessHigh, AlertKind::DiskLow, AlertKind::RecordingFailed,
          AlertKind::TranscodeBehind, AlertKind::DirectorStandby}) {
        if (text == toString(kind)) {
            return kind;
        }
    }
    return std::nullopt;
}

store::AlertSeverity severityOf(AlertKind kind) {
    switch (kind) {
    case AlertKind::StreamDown:
    case AlertKind::Black:
    case AlertKind::Silence:
        return store::AlertSeverity::Critical; // the audience sees or hears nothing
    case AlertKind::DiskLow:
    case AlertKind::RecordingFailed:
        return store::AlertSeverity::Critical; // the recording is lost from here on
    case AlertKind::BitrateLow:
    case AlertKind::FpsLow:
    case AlertKind::KeyframeMissing:
    case AlertKind::Frozen:
    case AlertKind::LoudnessHigh:
    case AlertKind::TranscodeBehind: // the source still plays; renditions stutter
    case AlertKind::DirectorStandby:
        break;
    }
    return store::AlertSeverity::Warning;
}

bool isRaisedKind(AlertKind kind) {
    return kind == AlertKind::DiskLow || kind == AlertKind::RecordingFailed ||
           kind == AlertKind::TranscodeBehind || kind == AlertKind::DirectorStandby;
}

AlertEngine::WallClock AlertEngine::systemWallClock() {
    return [] { return store::toStoreTime(std::chrono::system_clock::now()); };
}

AlertEngine::AlertEngine(AlertThresholds thresholds, store::StoreWriter* writer, Sink sink,
                         WallClock clock)
    : thresholds_(thresholds), writer_(writer), sink_(std::move(sink)), clock_(std::move(clock)) {}

void AlertEngine::evaluate(const std::vector<StreamHealth>& live, store::Time now) {
    Events events;
    {
        std::lock_guard lock(mutex_);
        std::map<std::string, const StreamHealth*> byName;
        for (const auto& health : live) {
            byName[health.stream] = &health;
        }
        for (const auto& health : live) {
            if (!streams_.contains(health.stream) && streams_.size() >= kMaxStreams) {
                std::erase_if(streams_, [](const auto& entry) {
                    return !entry.second.live && entry.second.open.empty();
                });
            }
            evaluateLive(streams_[health.stream], health, events);
        }
        for (auto& [stream, state] : streams_) {
            if (!byName.contains(stream)) {
                evaluateDown(stream, state, now, events);
            }
            evaluateContent(stream, state, now, events);
        }
    }
    publish(events);
}

void AlertEngine::evaluateLive(StreamState& state, const StreamHealth& health, Events& events) {
    const auto& t = thresholds_;
    const auto now = health.at;
    const auto& stream = health.stream;
    if (!state.live || state.publisherId != health.publisherId) {
        // A new publish: the old one's history says nothing about this encoder.
        state.bitrate.clear();
        state.fps.clear();
        state.bitrateLow.reset();
        state.fpsLow.reset();
    }
    state.live = true;
    state.everLive = true;
    state.publisherId = health.publisherId;
    state.lastPublisher = health.publisherProtocol + " from " + health.publisherAddress;
    state.down.reset();
    closeAlert(stream, state, AlertKind::StreamDown, now, events);

    const bool judged = health.uptime >= kWarmup;
    const bool hasVideo = !health.videoCodec.empty();

    // bitrate_low: against the median of the window before this sample.
    state.bitrate.trim(now, t.bitrateWindow);
    const double kbps = health.videoKbps + health.audioKbps;
    const auto median = state.bitrate.median(kMinHistory);
    const bool bitrateLow =
        judged && median && *median > 0 && kbps < *median * t.bitrateLowPercent / 100.0;
    apply(stream, state, AlertKind::BitrateLow, bitrateLow,
          state.bitrateLow.update(bitrateLow, now, t.bitrateLowFor), now,
          "bitrate " + number(kbps) + " kbps is below " + number(t.bitrateLowPercent) +
              "% of its " + seconds(t.bitrateWindow) + " median (" + number(median.value_or(0)) +
              " kbps) for " + seconds(t.bitrateLowFor),
          events);
    if (judged) {
        state.bitrate.add(now, kbps);
    }

    // fps_low: against the nominal rate, or the recent median when the stream does not say.
    state.fps.trim(now, t.bitrateWindow);
    std::optional<double> nominal;
    if (health.nominalFps > 0) {
        nominal = health.nominalFps;
    } else {
        nominal = state.fps.median(kMinHistory);
    }
    const bool fpsLow = judged && hasVideo && nominal && *nominal > 0 &&
                        health.fps < *nominal * t.fpsLowPercent / 100.0;
    apply(stream, state, AlertKind::FpsLow, fpsLow, state.fpsLow.update(fpsLow, now, t.fpsLowFor),
          now,
          "frame rate " + number(health.fps) + " fps is below " + number(t.fpsLowPercent) +
              "% of " + number(nominal.value_or(0)) + " fps for " + seconds(t.fpsLowFor),
          events);
    if (judged && hasVideo) {
        state.fps.add(now, health.fps);
    }

    // keyframe_missing: either the newest frame is far from the last keyframe, or the last two
    // keyframes were (both in media time, so a stalled publisher does not count here).
    const double limit = static_cast<double>(t.keyframeMissing.count());
    const double since = health.sinceKeyframeS.value_or(0);
    const bool noKeyframe = hasVideo && (since > limit || health.keyframeIntervalS > limit);
    apply(stream, state, AlertKind::KeyframeMissing, noKeyframe, noKeyframe, now,
          "no keyframe for " + number(std::max(since, health.keyframeIntervalS)) + " s (limit " +
              seconds(t.keyframeMissing) + ")",
          events);
}

void AlertEngine::evaluateDown(const std::string& stream, StreamState& state, store::Time now,
                               Events& events) {
    if (!state.everLive) {
        return;
    }
    if (state.live) {
        // Gone since this tick: the other rules no longer apply to a stream without media.
        state.live = false;
        state.content = {};
        closeAllBut(stream, state, AlertKind::StreamDown, now, events);
    }
    const bool held = state.down.update(true, now, thresholds_.streamDown);
    apply(stream, state, AlertKind::StreamDown, true, held, now,
          "no publisher for " + seconds(thresholds_.streamDown) +
              " (last publisher: " + state.lastPublisher + ")",
          events);
}

void AlertEngine::onContent(const stream::StreamKey& key, const ContentFlags& flags) {
    const auto now = clock_();
    Events events;
    {
        std::lock_guard lock(mutex_);
        const auto name = key.str();
        auto it = streams_.find(name);
        // Probes run on live streams; one the sampler has not seen yet starts its state.
        if (it == streams_.end()) {
            if (streams_.size() >= kMaxStreams) {
                return;
            }
            it = streams_.emplace(name, StreamState{}).first;
        } else if (it->second.everLive && !it->second.live) {
            return; // a late flag for a stream that has ended
        }
        auto& c = it->second.content;
        const auto& t = thresholds_;
        c.lastAt = now;
        c.silence.update(flags.silence, now, t.silenceFor);
        c.black.update(flags.black, now, t.blackFor);
        c.frozen.update(flags.frozen, now, t.frozenFor);
        c.loud.update(flags.shortTermLufs && *flags.shortTermLufs > t.loudnessMaxLufs, now,
                      t.loudnessFor);
        evaluateContent(name, it->second, now, events);
    }
    publish(events);
}

void AlertEngine::evaluateContent(const std::string& stream, StreamState& state, store::Time now,
                                  Events& events) {
    auto& c = state.content;
    const auto& t = thresholds_;
    if (c.lastAt && now - *c.lastAt > kContentStale) {
        c = {};
    }
    const auto rule = [&](AlertKind kind, HeldCondition& condition, std::chrono::seconds hold,
                          const std::string& what) {
        const bool active = condition.since().has_value();
        const bool held = active && now - *condition.since() >= hold;
        apply(stream, state, kind, active, held, now, what + " for " + seconds(hold), events);
    };
    rule(AlertKind::Silence, c.silence, t.silenceFor, "silence");
    rule(AlertKind::Black, c.black, t.blackFor, "black picture");
    rule(AlertKind::Frozen, c.frozen, t.frozenFor, "frozen picture");
    rule(AlertKind::LoudnessHigh, c.loud, t.loudnessFor,
         "short-term loudness above " + number(t.loudnessMaxLufs) + " LUFS");
}

void AlertEngine::apply(const std::string& stream, StreamState& state, AlertKind kind, bool active,
                        bool held, store::Time now, const std::string& details, Events& events) {
    if (held) {
        openAlert(stream, state, kind, now, details, events);
    } else if (!active) {
        closeAlert(stream, state, kind, now, events);
    }
}

void AlertEngine::openAlert(const std::string& stream, StreamState& state, AlertKind kind,
                            store::Time now, const std::string& details, Events& events) {
    if (state.open.contains(kind)) {
        return;
    }
    AlertEvent event;
    event.stream = stream;
    event.kind = kind;
    event.severity = severityOf(kind);
    event.openedAt = now;
    event.details = details;
    state.open.emplace(kind, event);
    events.push_back(std::move(event));
}

void AlertEngine::closeAlert(const std::string& stream, StreamState& state, AlertKind kind,
                             store::Time now, Events& events) {
    auto it = state.open.find(kind);
    if (it == state.open.end()) {
        return;
    }
    AlertEvent event = std::move(it->second);
    state.open.erase(it);
    event.stream = stream;
    event.closedAt = std::max(now, event.openedAt);
    event.duration = std::chrono::duration_cast<milliseconds>(*event.closedAt - event.openedAt);
    events.push_back(std::move(event));
}

void AlertEngine::closeAllBut(const std::string& stream, StreamState& state, AlertKind keep,
                              store::Time now, Events& events) {
    std::vector<AlertKind> kinds;
    for (const auto& [kind, alert] : state.open) {
        if (kind != keep && !isRaisedKind(kind)) {
            kinds.push_back(kind);
        }
    }
    for (auto kind : kinds) {
        closeAlert(stream, state, kind, now, events);
    }
    state.bitrateLow.reset();
    state.fpsLow.reset();
}

void AlertEngine::publish(const Events& events) {
    for (const auto& event : events) {
        if (writer_ != nullptr) {
            base::Status queued;
            if (event.isOpen()) {
                store::AlertOpen open{event.stream, toString(event.kind), event.severity,
                                      event.openedAt, event.details};
                queued = writer_->enqueue(
                    [open](store::WriteContext& c) { return store::Alerts::open(c, open); });
            } else {
                queued = writer_->enqueue([stream = event.stream,
                                           kind = std::string(toString(event.kind)),
                                           at = *event.closedAt](store::WriteContext& c) {
                    return store::Alerts::close(c, stream, kind, at);
                });
            }
            if (!queued) {
                base::log(base::LogLevel::Warning, "monitor",
                          "alert " + std::string(toString(event.kind)) + " of " + event.stream +
                              " not stored: " + queued.error().message());
            }
        }
        base::log(event.isOpen() ? base::LogLevel::Warning : base::LogLevel::Info, "monitor",
                  std::string("alert ") + toString(event.kind) + " on " + event.stream +
                      (event.isOpen()
                           ? " opened: " + event.details
                           : " closed after " + std::to_string(event.duration.count()) + " ms"));
        if (sink_) {
            sink_(event);
        }
    }
}

void AlertEngine::raise(const std::string& stream, AlertKind kind, const std::string& details) {
    Events events;
    {
        std::lock_guard lock(mutex_);
        openAlert(stream, streams_[stream], kind, clock_(), details, events);
    }
    publish(events);
}

void AlertEngine::clear(const std::string& stream, AlertKind kind) {
    Events events;
    {
        std::lock_guard lock(mutex_);
        auto it = streams_.find(stream);
        if (it != streams_.end()) {
            closeAlert(stream, it->second, kind, clock_(), events);
        }
    }
    publish(events);
}

void AlertEngine::closeAll(store::Time now) {
    Events events;
    {
        std::lock_guard lock(mutex_);
        for (auto& [stream, state] : streams_) {
            std::vector<AlertKind> kinds;
            for (const auto& [kind, alert] : state.open) {
                kinds.push_back(kind);
            }
            for (auto kind : kinds) {
                closeAlert(stream, state, kind, now, events);
            }
        }
    }
    publish(events);
}

std::vector<AlertEvent> AlertEngine::openAlerts() const {
    std::vector<AlertEvent> out;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [stream, state] : streams_) {
            for (const auto& [kind, alert] : state.open) {
                out.push_back(alert);
            }
        }
    }
    std::sort(out.begin(), out.end(),
              [](const AlertEvent& a, const AlertEvent& b) { return a.openedAt < b.openedAt; });
    return out;
}

std::size_t AlertEngine::openCount() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [stream, state] : streams_) {
        n += state.open.size();
    }
    return n;
}

} // namespace stagecast::monitor
