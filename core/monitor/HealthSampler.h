#pragma once
/// Samples every live stream's health once per interval (1 s) on its own thread: bitrates,
/// fps, keyframe interval, A/V drift, gaps, stalls, timestamp jumps, bytes dropped for slow
/// viewers, viewers by protocol, publisher uptime and reconnects. Each sample is stored
/// (StoreWriter::enqueueSample), kept as the live value for the API and metrics, and handed
/// to the sinks (the alert engine; the app's "health" events).
///
/// Also, through the writer: a publish session's codecs once they are known
/// (PublishSessions::setMedia), and the store's retention (raw samples rolled up per minute)
/// at start and then every `retentionEvery`.
///
/// Threads: start()/stop() from the owning thread; sampling and the sinks run on the
/// sampler's thread, never a network thread. live() from any thread. sampleOnce() is public
/// so tests can drive sampling without the thread (do not mix the two).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "monitor/StreamHealth.h"
#include "store/Rollup.h"
#include "stream/StreamInfo.h"

namespace stagecast::store {
class StoreWriter;
}

namespace stagecast::monitor {

struct SamplerOptions {
    std::chrono::milliseconds interval{1000};
    /// A live stream with no media packet for this long is stalled.
    std::chrono::milliseconds stallAfter{2000};
    store::RetentionPolicy retention;
    std::chrono::minutes retentionEvery{60};
};

class HealthSampler {
public:
    using SnapshotSource = std::function<std::vector<stream::StreamSnapshot>()>;
    /// Current viewers of a stream by protocol (ViewerStats::viewersByProtocol).
    using ViewerSource = std::function<std::map<std::string, std::size_t>(const std::string&)>;
    /// Every live stream's sample of one tick (possibly none) and the tick's time.
    using Sink = std::function<void(const std::vector<StreamHealth>&, store::Time now)>;

    /// `writer` may be null (nothing stored).
    HealthSampler(SamplerOptions options, SnapshotSource snapshots, ViewerSource viewers,
                  store::StoreWriter* writer);
    ~HealthSampler();
    HealthSampler(const HealthSampler&) = delete;
    HealthSampler& operator=(const HealthSampler&) = delete;

    /// Before start().
    void addSink(Sink sink);
    void start();
    /// Joins the thread. Idempotent.
    void stop();

    /// One sampling pass at wall time `now`: measures, stores, keeps and hands to the sinks.
    std::vector<StreamHealth> sampleOnce(store::Time now);

    std::vector<StreamHealth> live() const;
    std::optional<StreamHealth> live(std::string_view stream) const;
    const SamplerOptions& options() const { return options_; }

    /// The figures a sample stores beyond the named columns, as a JSON object.
    static std::string extrasJson(const StreamHealth& health);

private:
    struct Track {
        std::uint64_t publisherId = 0;
        std::uint32_t publishes = 0;
        std::uint64_t droppedTotal = 0;
        bool stalled = false;
        std::uint64_t stalls = 0;
        std::string mediaStored; // codecs and size last written to the publish session
    };

    StreamHealth measure(const stream::StreamSnapshot& s, Track& track, store::Time now);
    void storeMedia(const StreamHealth& health, Track& track);
    void run();

    const SamplerOptions options_;
    const SnapshotSource snapshots_;
    const ViewerSource viewers_;
    store::StoreWriter* const writer_;
    std::vector<Sink> sinks_;

    std::map<std::string, Track> tracks_; // sampling thread only

    mutable std::mutex liveMutex_;
    std::vector<StreamHealth> live_;

    std::mutex threadMutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace stagecast::monitor
