#pragma once
/// One stream's health at one sampling tick, as HealthSampler measures it and AlertEngine,
/// the API, the metrics and the "health" events use it.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "store/Time.h"

namespace stagecast::monitor {

struct StreamHealth {
    std::string stream; // "APP/STREAM"
    store::Time at;     // wall-clock time of the sample

    // The publisher
    std::uint64_t publisherId = 0;
    std::string publisherProtocol;
    std::string publisherAddress;
    std::chrono::milliseconds uptime{0};
    /// Publishes of this stream since Stagecast started, minus the first.
    std::uint32_t reconnects = 0;

    // Media
    std::string videoCodec; // empty: no video (yet)
    std::string audioCodec;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    double videoKbps = 0;
    double audioKbps = 0;
    double fps = 0;                       // measured
    double nominalFps = 0;                // from the bitstream or metadata; 0 if unknown
    double keyframeIntervalS = 0;         // between the last two keyframes, media time
    std::optional<double> sinceKeyframeS; // media time from the last keyframe to the newest frame
    /// Newest video decode time minus newest audio decode time; positive: audio lags.
    std::optional<double> avDriftMs;

    // Continuity
    std::optional<double> sinceLastPacketMs; // wall time since the last media packet
    bool stalled = false;                    // sinceLastPacket is past the stall threshold now
    std::uint64_t stalls = 0;                // stall episodes since this publish began
    std::uint64_t gaps = 0; // arrival gaps (hub's gap threshold) since this publish began
    std::uint64_t timestampJumps = 0;

    // Viewers
    std::size_t viewers = 0;
    std::map<std::string, std::size_t> viewersByProtocol;
    std::uint64_t droppedBytes = 0;      // dropped for slow viewers since the previous sample
    std::uint64_t droppedBytesTotal = 0; // over the stream's life in the hub
    std::uint64_t slowDisconnects = 0;
};

} // namespace stagecast::monitor
