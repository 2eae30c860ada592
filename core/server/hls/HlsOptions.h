#pragma once
/// [hls] settings as the server uses them.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace stagecast::server::hls {

enum class HlsMode : std::uint8_t {
    Off = 1,
    OnDemand, // packaging starts at the first playlist request, stops when nobody asks
    Always,   // packaging starts when a stream is published
};

struct HlsOptions {
    HlsMode mode = HlsMode::OnDemand;
    std::chrono::milliseconds segmentTarget{2000};
    std::size_t windowSegments = 6;
    std::size_t extraSegments = 4;
    std::size_t maxStreamBytes = 64 * 1024 * 1024;
    std::size_t maxStreams = 64;
    /// On demand: packaging stops this long after the last request. Always: this long
    /// after the publisher left.
    std::chrono::seconds idleStop{30};
    /// A viewer session ends after this long without a request.
    std::chrono::seconds sessionTimeout{20};
    std::size_t maxSessions = 20000;
    /// LL-HLS on fMP4 beside the MPEG-TS playlist: /APP/STREAM/ll.m3u8.
    bool lowLatency = true;
    std::chrono::milliseconds partTarget{334};
    /// Also write MPEG-TS segments and playlists to FOLDER/APP/STREAM/ (empty: off).
    std::string folder;
    /// AES-128 for MPEG-TS HLS (RFC 8216 METHOD=AES-128); LL-HLS is not served while on.
    bool encrypt = false;
    /// A new key every N segments; 0: one key until the publisher changes.
    std::size_t keyRotateSegments = 10;
    /// KEY_FOLDER/APP/STREAM/ID.key (absolute: the app resolves it in the data folder).
    std::string keyFolder = "hls-keys";
    /// The studio's host as the folder output's players reach it ("[...]" for IPv6): key URIs
    /// in playlists written to `folder` are http://HOST:HTTP_PORT/APP/STREAM/key/ID.key.
    std::string keyUriHost;
    /// Also send MPEG-TS segments and playlists with HTTP PUT to ORIGIN_URL/APP/STREAM/
    /// (empty: off); see HlsOriginWriter.
    std::string originUrl;
    /// DELETE segments that left the window (plus the extra ones) from the origin.
    bool originDelete = true;
    /// One extra request header, "Name: value" (e.g. "Authorization: Bearer X"); empty: none.
    std::string originHeader;
    /// Connect, send and answer of one request within this.
    std::chrono::milliseconds originTimeout{5000};
    /// https origins: trust this PEM file instead of the system's CAs (empty: the system's),
    /// and whether to check the certificate at all.
    std::string originCaFile;
    bool originTlsVerify = true;
    /// DVR (time-shift) window kept on disk per stream, 0: off. Not kept while `encrypt`.
    std::chrono::seconds dvrWindow{0};
    /// DVR_FOLDER/APP/STREAM/ID/SEQ.ts (absolute: the app resolves it in the data folder).
    std::string dvrFolder = "hls-dvr";
    /// Disk for one stream's DVR window; the oldest segments go first.
    std::size_t dvrMaxBytes = std::size_t{2} << 30;
};

} // namespace stagecast::server::hls
