#pragma once
/// Turns the players' records into the figures the report gives, one summary per protocol.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "PlayerRecord.h"

namespace stagecast::load {

/// Nearest-rank percentile (p in 0..100) of sorted values; nullopt when empty.
std::optional<double> percentile(const std::vector<double>& sorted, double p);

struct Percentiles {
    std::optional<double> p50, p95, p99, max;
    std::size_t samples = 0;
};
Percentiles percentiles(std::vector<double> values);

struct ProtocolSummary {
    Protocol protocol = Protocol::Rtmp;
    std::size_t players = 0;
    std::size_t connected = 0; // reached Play.Start / HTTP 200
    std::size_t gotFrames = 0; // received at least one video frame
    std::size_t held = 0;      // received a frame in the last `heldWindow` of the window
    std::size_t failed = 0;    // stopped before the end, with an error
    std::map<std::string, std::size_t> errors; // error text -> players
    std::map<std::string, std::size_t> stuck;  // never played, no error: stage -> players
    /// Time spent in each set-up stage (until the next stage was entered), by stage name.
    std::map<std::string, Percentiles> stageMs;
    Percentiles playStartMs;     // connect start -> Play.Start / HTTP 200 head
    Percentiles firstFrameMs;    // connect start -> first video frame
    Percentiles firstKeyframeMs; // connect start -> first key frame
    Percentiles latencyMs;       // player arrival - publisher send, same timestamp
    Percentiles playbackMs;      // buffered players: shown - publisher send (no samples: none)
    std::uint64_t stalls = 0;    // buffered players: frames shown late
    std::uint64_t unmatchedFrames = 0;
    std::uint64_t bytesTotal = 0;
    std::uint64_t bytesWindow = 0;
    /// Mean receive rate of a held player during the window, Mbit/s.
    double heldMbps = 0;
};

/// `windowBytesStart` holds each record's byte count when the window opened (same order).
ProtocolSummary summarize(Protocol protocol, const std::vector<const PlayerRecord*>& records,
                          const std::vector<std::uint64_t>& windowBytesStart,
                          const std::vector<std::uint64_t>& windowBytesEnd,
                          std::int64_t windowStartNs, std::int64_t windowEndNs,
                          std::int64_t heldWindowNs);

std::string toString(Protocol protocol);

} // namespace stagecast::load
