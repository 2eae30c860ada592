#pragma once
/// Reads an external stream (RTMP, RTMPS, HTTP-FLV, HLS, SRT: anything FFmpeg's libavformat
/// opens) and hands it on as FLV-form packets (the hub's form): the source is remuxed, without
/// decoding, to MPEG-TS in memory and read back by Stagecast's own TS demuxer, so every
/// protocol arrives through the one tested path that SRT ingest uses. H.264/HEVC video and
/// AAC audio are kept; other tracks are left out.
///
/// Blocking: run() returns when the source ends, fails, or `stop` is set (checked by FFmpeg's
/// interrupt callback, so a hung connection is abandoned within `readTimeout`). Its own
/// thread (the caller's); one run per connection.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "base/Result.h"
#include "protocol/mpegts/TsDemuxer.h"

namespace stagecast::media {

struct UrlSourceOptions {
    /// Connecting, and each read: longer without data ends the run ("timed out").
    std::chrono::milliseconds readTimeout{10000};
    /// How much of the source is probed to find its tracks.
    std::int64_t probeBytes = 1 << 20;
};

struct UrlSourceCounters {
    std::atomic<std::uint64_t> bytesIn{0}; // packets read from the source
    std::atomic<std::uint64_t> packets{0}; // packets handed on
};

class UrlSource {
public:
    using Sink = std::function<base::Status(const protocol::mpegts::DemuxedPacket&)>;
    /// Called once the source is open, with a description ("flv: h264 1280x720, aac").
    using Opened = std::function<void(const std::string&)>;

    /// Reads `url` until it ends. Fails with the reason (connection refused, no supported
    /// track, the sink's error...); a clean end of the source is also reported as an error
    /// ("the source ended") since a live pull is not meant to end.
    static base::Status run(const std::string& url, const UrlSourceOptions& options,
                            const std::atomic<bool>& stop, const Opened& opened, const Sink& sink,
                            UrlSourceCounters& counters);
};

/// `url` with its query and user info replaced, for logs and the API.
std::string redactedUrl(const std::string& url);

} // namespace stagecast::media
