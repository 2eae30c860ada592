#pragma once
// Shared by the monitor tests: fixed instants and a normal stream's health sample.

#include <chrono>
#include <string>

#include "monitor/StreamHealth.h"
#include "store/Time.h"

namespace monitortest {

/// 2026-01-01T00:00:00Z plus `seconds`.
inline stagecast::store::Time at(double seconds) {
    return stagecast::store::fromUnixMs(1'767'225'600'000 +
                                        static_cast<std::int64_t>(seconds * 1000));
}

/// A healthy 30 fps H.264/AAC stream at ~1600 kbps, `uptimeS` into its publish, sampled at `now`.
inline stagecast::monitor::StreamHealth normal(const std::string& stream, double uptimeS,
                                               stagecast::store::Time now,
                                               std::uint64_t publisher = 7) {
    stagecast::monitor::StreamHealth h;
    h.stream = stream;
    h.at = now;
    h.publisherId = publisher;
    h.publisherProtocol = "rtmp";
    h.publisherAddress = "127.0.0.1";
    h.uptime = std::chrono::milliseconds(static_cast<std::int64_t>(uptimeS * 1000));
    h.videoCodec = "h264";
    h.audioCodec = "aac";
    h.videoKbps = 1500;
    h.audioKbps = 128;
    h.fps = 30;
    h.nominalFps = 30;
    h.keyframeIntervalS = 2;
    h.sinceKeyframeS = 0.5;
    return h;
}

} // namespace monitortest
