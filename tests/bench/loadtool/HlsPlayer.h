#pragma once
/// One HLS or LL-HLS player, for latency by timestamp matching (docs/benchmarks.md): it
/// loads the playlist like a player, fetches media in order, reads each video frame's decode
/// time from the bytes (MPEG-TS: protocol::mpegts::TsDemuxer; fMP4: mp4::readFragmentSamples)
/// and records two latencies per frame against the publisher's send time of that timestamp:
/// - arrival: when the segment or part holding the frame was fully downloaded (the same
///   measure as the RTMP and HTTP-FLV players);
/// - playback: when a player that starts playing at its start position and then plays in
///   real time (stalling when a frame is late) would show the frame.
///
/// Start position, like hls.js: plain HLS three target durations behind the end of the
/// playlist, LL-HLS PART-HOLD-BACK behind the live edge. Like hls.js the player fetches from
/// the segment (plain HLS) or the last independent part (LL-HLS) at or before that point and
/// seeks to it: frames before the start position are decoded but not shown, the first frame
/// at or after it starts the playback clock. Reloads: plain HLS one target duration
/// after the previous reload when it brought something new, half of one when it did not
/// (RFC 8216 6.3.4); LL-HLS a blocking reload with _HLS_msn/_HLS_part for the next part
/// (rfc8216bis 6.2.5.2), then that part. Segments whose parts already left the playlist are
/// fetched whole. The video track of fMP4 is track 1 (Stagecast's layout).
///
/// Threads: a thread of its own with a blocking keep-alive client; start() and stop() from
/// the main thread. The record is written by that thread only.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>

#include "PlayerRecord.h"
#include "base/HttpUrl.h"
#include "server/hls/OriginClient.h"

namespace stagecast::load {

class HlsPlayer {
public:
    /// `url`: http://host:port/path/to/playlist.m3u8 (a 302 to a session URL is followed).
    HlsPlayer(const std::string& url, bool lowLatency, PlayerRecord& record, const SendLog* sendLog,
              const MeasureWindow& window);
    ~HlsPlayer();
    HlsPlayer(const HlsPlayer&) = delete;
    HlsPlayer& operator=(const HlsPlayer&) = delete;

    /// What the server adds to the publisher's timestamps in its MPEG-TS segments, taken off
    /// before frames are matched with the send log (nginx-rtmp: 700, its fixed HLS delay of
    /// 63000 ticks). Call before start().
    void setTsOffsetMs(std::int64_t ms) { tsOffsetMs_ = ms; }
    void start();
    void stop();

private:
    void run();
    void runHls();
    void runLlHls();
    /// GET `target`; follows one 302. Empty on failure (the record says why).
    std::optional<std::string> get(std::string& target);
    /// `uri` from a playlist at `base` as a request target.
    static std::string resolve(const std::string& base, const std::string& uri);
    /// Frames of one segment or part, arrived at `arrivalNs`.
    void onMediaTs(const std::string& bytes, std::int64_t arrivalNs);
    void onMediaFmp4(const std::string& bytes, std::int64_t arrivalNs);
    void onFrame(bool keyframe, std::int64_t dtsMs, std::int64_t arrivalNs);
    void sleepFor(std::int64_t ns);

    std::string target_; // the playlist's path and query
    const bool lowLatency_;
    PlayerRecord& record_;
    const SendLog* sendLog_;
    const MeasureWindow& window_;
    std::optional<server::hls::OriginClient> client_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    // Playback model: the seek past the first fetched frame (ms of media), when the previous
    // frame was shown, and its decode time.
    std::int64_t seekMs_ = 0;
    std::int64_t tsOffsetMs_ = 0;
    std::optional<std::int64_t> firstDtsMs_;
    std::optional<std::int64_t> shownNs_;
    std::int64_t shownDtsMs_ = 0;
};

} // namespace stagecast::load
