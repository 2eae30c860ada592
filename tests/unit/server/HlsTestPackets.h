#pragma once
// Synthetic FLV-body packets for the HLS packager tests: an H.264 sequence header with a real
// SPS/PPS (320x240), an AAC sequence header, and tiny frames.

#include <QByteArray>

#include <chrono>
#include <cstdint>
#include <vector>

#include "stream/MediaPacket.h"

namespace stagecast::test::hls {

using stream::MediaPacket;
using stream::TrackKind;

inline std::vector<std::uint8_t> hex(const char* text) {
    auto bytes = QByteArray::fromHex(text);
    return {bytes.begin(), bytes.end()};
}

// AVC sequence header (FrameType 1 + CodecID 7, AVCPacketType 0) with the SPS and PPS x264
// writes for 320x240 Constrained Baseline; AAC sequence header with ASC 13 88 (AAC-LC,
// 22.05 kHz, mono).
inline const auto kAvcConfig = hex("1700000000 0142c00dffe100186742c00dd90141fb0110000003001000"
                                   "00030320f142a48001000568cb83cb20");
inline const auto kAacConfig = hex("af001388");

inline MediaPacket config(TrackKind kind) {
    MediaPacket p;
    p.kind = kind;
    p.config = true;
    p.payload = kind == TrackKind::Video ? kAvcConfig : kAacConfig;
    return p;
}

inline MediaPacket video(std::int64_t dtsMs, bool key) {
    MediaPacket p;
    p.kind = TrackKind::Video;
    p.dts = std::chrono::milliseconds(dtsMs);
    p.keyframe = key;
    // One IDR (0x65) or non-IDR (0x41) NAL unit of 12 bytes, 4-byte length prefix.
    p.payload = key ? hex("1701000000 0000000c 65888400aabbccddeeff0011")
                    : hex("2701000000 0000000c 419a0000aabbccddeeff0011");
    return p;
}

inline MediaPacket audio(std::int64_t dtsMs) {
    MediaPacket p;
    p.kind = TrackKind::Audio;
    p.dts = std::chrono::milliseconds(dtsMs);
    p.payload = hex("af01 21100500a01c");
    return p;
}

} // namespace stagecast::test::hls
