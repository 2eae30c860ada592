#pragma once
/// Alert rules over stream health and content: an alert opens when its condition has held for
/// the configured time, stays open while it holds, and closes (with its duration) when it no
/// longer does. Each opening and closing is stored (store::Alerts, through the writer's queue)
/// and handed to the sink (the app publishes it on the event topic "alerts").
///
/// Rules (thresholds in AlertThresholds, see docs/monitoring.md):
///  - stream_down: a stream that was live has had no publisher for `streamDown`;
///  - bitrate_low: video+audio bitrate below `bitrateLowPercent` of its median over the last
///    `bitrateWindow` for `bitrateLowFor` (judged once 10 samples of history exist);
///  - fps_low: measured fps below `fpsLowPercent` of nominal (or, if unknown, of its recent
///    median) for `fpsLowFor`;
///  - keyframe_missing: no keyframe for `keyframeMissing` of media time;
///  - silence, black, frozen, loudness_high: from content flags (onContent);
///  - disk_low, recording_failed: raised and cleared by the recorder wiring (raise/clear);
///  - director_standby: raised and cleared by the director wiring.
/// The first 5 s of a publish are not judged for bitrate and fps (the encoder and the rate
/// meters are still starting). When a stream goes down its other alerts close.
///
/// Threads: evaluate() on the sampler's thread, onContent() on probe threads, the readers
/// anywhere; all thread-safe (one mutex). The sink runs on the calling thread after the
/// lock is released and must not block (never a network thread: neither caller is one).

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "monitor/AlertRules.h"
#include "monitor/AlertTypes.h"
#include "monitor/ContentFlags.h"
#include "monitor/StreamHealth.h"

namespace stagecast::store {
class StoreWriter;
}

namespace stagecast::monitor {

class AlertEngine : public ContentListener {
public:
    using Sink = std::function<void(const AlertEvent&)>;
    using WallClock = std::function<store::Time()>;

    /// `writer` may be null (no storage); `clock` gives onContent() its time.
    AlertEngine(AlertThresholds thresholds, store::StoreWriter* writer, Sink sink,
                WallClock clock = systemWallClock());

    /// One sampling tick: `live` holds every stream that has a publisher now.
    void evaluate(const std::vector<StreamHealth>& live, store::Time now);
    void onContent(const stream::StreamKey& stream, const ContentFlags& flags) override;

    /// Opens an alert that another module watches for (disk_low, recording_failed,
    /// transcode_behind: see
    /// isRaisedKind); it stays open, through stream ups and downs, until clear(). Raising an
    /// open alert again does nothing.
    void raise(const std::string& stream, AlertKind kind, const std::string& details);
    void clear(const std::string& stream, AlertKind kind);

    /// Closes every open alert at `now` (shutdown: nothing is watched any more).
    void closeAll(store::Time now);

    /// Alerts open now, oldest first.
    std::vector<AlertEvent> openAlerts() const;
    std::size_t openCount() const;
    const AlertThresholds& thresholds() const { return thresholds_; }

    static WallClock systemWallClock();

private:
    struct ContentState {
        std::optional<store::Time> lastAt;
        HeldCondition silence;
        HeldCondition black;
        HeldCondition frozen;
        HeldCondition loud;
    };
    struct StreamState {
        bool live = false;
        bool everLive = false; // stream_down only concerns streams seen live
        std::uint64_t publisherId = 0;
        std::string lastPublisher; // "rtmp from 127.0.0.1", for stream_down details
        HeldCondition down;
        RecentWindow bitrate;
        RecentWindow fps;
        HeldCondition bitrateLow;
        HeldCondition fpsLow;
        ContentState content;
        std::map<AlertKind, AlertEvent> open;
    };
    using Events = std::vector<AlertEvent>;

    void evaluateLive(StreamState& state, const StreamHealth& health, Events& events);
    void evaluateDown(const std::string& stream, StreamState& state, store::Time now,
                      Events& events);
    void evaluateContent(const std::string& stream, StreamState& state, store::Time now,
                         Events& events);
    /// Opens `kind` when `held`, closes it when not `active`.
    void apply(const std::string& stream, StreamState& state, AlertKind kind, bool active,
               bool held, store::Time now, const std::string& details, Events& events);
    void openAlert(const std::string& stream, StreamState& state, AlertKind kind, store::Time now,
                   const std::string& details, Events& events);
    void closeAlert(const std::string& stream, StreamState& state, AlertKind kind, store::Time now,
                    Events& events);
    void closeAllBut(const std::string& stream, StreamState& state, AlertKind keep, store::Time now,
                     Events& events);
    void publish(const Events& events);

    const AlertThresholds thresholds_;
    store::StoreWriter* const writer_;
    const Sink sink_;
    const WallClock clock_;

    mutable std::mutex mutex_;
    std::map<std::string, StreamState> streams_;
};

} // namespace stagecast::monitor
