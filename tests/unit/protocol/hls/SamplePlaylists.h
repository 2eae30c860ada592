#pragma once
/// Playlists shared by the renderer and parser tests: a live TS playlist with a discontinuity,
/// a Low-Latency HLS playlist with parts and a preload hint, an AES-128 encrypted VOD playlist.

#include <array>
#include <string>

#include "protocol/hls/MediaPlaylist.h"

namespace stagecast::test {

using namespace stagecast::protocol::hls;

// 2026-11-24T03:15:46Z
inline constexpr std::int64_t kStart = 1795490146000;

inline Segment seg(double duration, std::string uri) {
    Segment s;
    s.duration = duration;
    s.uri = std::move(uri);
    return s;
}

inline Part part(double duration, std::string uri, bool independent = false) {
    Part p;
    p.duration = duration;
    p.uri = std::move(uri);
    p.independent = independent;
    return p;
}

inline Key key(std::string uri, std::uint8_t ivFirst) {
    Key k;
    k.uri = std::move(uri);
    std::array<std::uint8_t, 16> iv{};
    for (std::size_t i = 0; i < iv.size(); ++i) {
        iv[i] = static_cast<std::uint8_t>(ivFirst + i);
    }
    k.iv = iv;
    return k;
}

inline MediaPlaylist tsLivePlaylist() {
    MediaPlaylist p;
    p.mediaSequence = 120;
    p.discontinuitySequence = 2;
    p.segments = {seg(4.0, "seg120.ts"), seg(4.0, "seg121.ts"), seg(3.5, "seg122.ts"),
                  seg(2.002, "seg123.ts")};
    p.segments[0].programDateTimeMs = kStart;
    p.segments[2].discontinuity = true;
    p.segments[2].programDateTimeMs = kStart + 14500;
    return p;
}

inline MediaPlaylist lowLatencyPlaylist() {
    MediaPlaylist p;
    p.targetDuration = 4;
    p.mediaSequence = 10;
    p.partTarget = 1.0;
    p.serverControl.canBlockReload = true;
    p.serverControl.partHoldBack = 3.0;
    Map map;
    map.uri = "init.mp4";
    Segment s10 = seg(4.0, "seg10.m4s");
    Segment s11 = seg(3.96, "seg11.m4s");
    s11.parts = {part(1.0, "seg11.0.m4s", true), part(1.0, "seg11.1.m4s"),
                 part(1.0, "seg11.2.m4s", true), part(0.96, "seg11.3.m4s")};
    Segment s12; // in progress
    s12.parts = {part(1.0, "seg12.0.m4s", true), part(1.0, "seg12.1.m4s")};
    for (Segment* s : {&s10, &s11, &s12}) {
        s->map = map;
    }
    p.segments = {s10, s11, s12};
    PreloadHint hint;
    hint.uri = "seg12.2.m4s";
    p.preloadHints = {hint};
    return p;
}

inline MediaPlaylist encryptedPlaylist() {
    MediaPlaylist p;
    p.playlistType = PlaylistType::Vod;
    p.segments = {seg(6.0, "a.ts"), seg(5.5, "b.ts"), seg(6.0, "c.ts"), seg(1.25, "d.ts")};
    p.segments[0].key = key("https://keys.example/k1", 0x00);
    p.segments[1].key = p.segments[0].key; // same key: no new tag
    p.segments[2].key = key("https://keys.example/k2", 0xf0);
    p.endList = true; // segment 3 is in the clear
    return p;
}

} // namespace stagecast::test
