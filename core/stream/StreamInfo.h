#pragma once
/// Descriptions and live figures of a stream, as the API and monitoring report them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace stagecast::stream {

struct VideoTrackInfo {
    std::string codec; // "h264", "hevc", "av1"; empty when the stream has no video
    std::string profile;
    double level = 0;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    double nominalFrameRate = 0; // from the bitstream or metadata, 0 if unknown
};

struct AudioTrackInfo {
    std::string codec; // "aac", "mp3", "opus"; empty when the stream has no audio
    std::string profile;
    std::uint32_t sampleRate = 0;
    std::uint32_t channels = 0;
};

struct StreamSnapshot {
    std::string key; // APP/STREAM
    bool live = false;
    std::uint64_t publisherId = 0;
    std::string publisherProtocol;
    std::string publisherAddress;
    std::chrono::system_clock::time_point publishedAt{};
    std::chrono::milliseconds uptime{0};
    VideoTrackInfo video;
    AudioTrackInfo audio;
    double videoBitrate = 0; // bits per second, last seconds
    double audioBitrate = 0;
    double frameRate = 0;        // measured video frames per second
    double keyframeInterval = 0; // seconds between the last two keyframes (media time)
    std::uint64_t bytesIn = 0;
    std::uint64_t videoFrames = 0;
    std::uint64_t audioFrames = 0;
    std::size_t readers = 0;
    std::uint64_t readerSkips = 0; // skip-to-keyframe events over the stream's life
    std::uint64_t readerDroppedBytes = 0;
    std::uint64_t readersDisconnectedSlow = 0;
    std::size_t gopCachePackets = 0;
    // Timing figures of the current publish, for health monitoring.
    std::optional<std::chrono::milliseconds> lastVideoDts; // newest video decode time
    std::optional<std::chrono::milliseconds> lastAudioDts;
    std::optional<std::chrono::milliseconds> lastKeyframeDts;
    std::optional<std::chrono::milliseconds> sinceLastPacket; // wall time since media arrived
    std::uint64_t arrivalGaps = 0;    // media packets later than StreamOptions::gapThreshold
    std::uint64_t timestampJumps = 0; // per-track dts steps back or beyond the jump threshold
};

} // namespace stagecast::stream
