#pragma once
/// EXT-X-PROGRAM-DATE-TIME for a live stream: the UTC wall-clock time at which the studio
/// received the frame at a media time. Players use it to show the time of day of what they
/// play and to measure their end-to-end latency (hls.js `playingDate`), CDNs and the DVR to
/// line renditions and recordings up.
///
/// The first frame (and the first after a discontinuity) anchors the clock at its arrival;
/// later date-times follow the stream's own timeline from that anchor, so consecutive
/// segments differ by exactly their durations. When the timeline and the wall clock part by
/// more than `maxDriftMs` (a publisher faster or slower than real time, a stall, hours of
/// clock drift between encoder and studio), the clock re-anchors at that frame's arrival.
/// Sans-I/O: the caller passes the wall clock.

#include <cstdint>
#include <optional>

namespace stagecast::server::hls {

class ProgramClock {
public:
    explicit ProgramClock(std::int64_t maxDriftMs = 1000) : maxDriftMs_(maxDriftMs) {}

    /// The date-time (UTC ms since the epoch) of media time `dtsMs`, which arrived at `wallMs`.
    std::int64_t stamp(std::int64_t dtsMs, std::int64_t wallMs);
    /// The next stamp anchors again (a new publisher or a timestamp jump).
    void reset() { anchor_.reset(); }
    /// How often the clock re-anchored because the timeline drifted from the wall clock.
    std::uint64_t reanchors() const { return reanchors_; }

    /// The wall clock now, in UTC ms since the epoch.
    static std::int64_t nowMs();

private:
    struct Anchor {
        std::int64_t dtsMs;
        std::int64_t wallMs;
    };
    const std::int64_t maxDriftMs_;
    std::optional<Anchor> anchor_;
    std::uint64_t reanchors_ = 0;
};

} // namespace stagecast::server::hls
