#pragma once
/// What one player observed. The player's own io thread writes it; the main thread reads the
/// atomics while the run goes on (window snapshots) and everything else after the threads
/// have been joined.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "SendLog.h"

namespace stagecast::load {

enum class Protocol : std::uint8_t { Rtmp = 1, HttpFlv, Hls, LlHls };

/// How far a player got: tells where players that never played are stuck.
enum class Stage : std::uint8_t {
    Idle = 1,     // not started yet
    Connecting,   // TCP connect
    Handshake,    // RTMP C0/C1 sent, waiting for S0/S1/S2
    Connect,      // RTMP connect sent, waiting for _result
    CreateStream, // RTMP createStream sent, waiting for _result
    Play,         // RTMP play sent, waiting for NetStream.Play.Start
    Response,     // HTTP request sent, waiting for the response head
    Playing,
};
const char* toString(Stage stage);

/// The measurement window on the steady clock; frames outside it give no latency sample.
struct MeasureWindow {
    std::atomic<std::int64_t> startNs{std::numeric_limits<std::int64_t>::max()};
    std::atomic<std::int64_t> endNs{std::numeric_limits<std::int64_t>::max()};
    bool contains(std::int64_t t) const {
        return t >= startNs.load(std::memory_order_relaxed) &&
               t < endNs.load(std::memory_order_relaxed);
    }
};

/// What kind of video message arrived (decoder configuration frames are not frames).
enum class VideoKind : std::uint8_t { Config = 1, KeyFrame, InterFrame };

/// Classifies a video tag body from its first bytes only (FLV 10.1 annex E.4.3.1 VIDEODATA and
/// the Enhanced RTMP ExVideoTagHeader): players must not pay for parsing what they skip.
/// Sequence headers, end-of-sequence and command frames count as Config.
VideoKind classifyVideo(const std::uint8_t* body, std::size_t size);

struct PlayerRecord {
    Protocol protocol = Protocol::Rtmp;
    Stage stage = Stage::Idle;
    /// When each stage was entered (-1: never), indexed by the Stage value.
    std::array<std::int64_t, 9> stageNs{-1, -1, -1, -1, -1, -1, -1, -1, -1};
    std::int64_t connectStartNs = 0;
    std::int64_t playingNs = -1;    // Play.Start received / HTTP 200 header read
    std::int64_t firstFrameNs = -1; // first coded video frame of any kind
    std::int64_t firstKeyframeNs = -1;
    std::atomic<std::int64_t> lastFrameNs{-1};
    std::atomic<std::uint64_t> bytes{0}; // every byte read from the socket
    std::uint64_t frames = 0;
    std::uint64_t unmatched = 0;         // frames whose timestamp the publisher never sent
    std::vector<std::int32_t> latencyUs; // window frames only
    /// Buffered players (HLS): when a real-time playback clock would show each window frame,
    /// minus the publisher's send time; and how often a frame came after its due time.
    std::vector<std::int32_t> playbackUs;
    std::uint64_t stalls = 0;
    bool closed = false;
    std::string error; // why the player stopped early, empty if it did not

    /// Call for every video message: records first-frame times, liveness and, inside the
    /// window, the latency against the publisher's send time for the same timestamp.
    void onVideo(VideoKind kind, std::uint32_t timestampMs, std::int64_t arrivalNs,
                 const SendLog* sendLog, const MeasureWindow& window);
    /// Buffered players: frame `timestampMs` is shown at `shownNs`.
    void onPlayback(std::uint32_t timestampMs, std::int64_t shownNs, const SendLog* sendLog,
                    const MeasureWindow& window);
    void fail(std::string why);
    void enter(Stage next, std::int64_t now) {
        stage = next;
        stageNs[static_cast<std::size_t>(next)] = now;
    }
};

} // namespace stagecast::load
