#pragma once
// Packet builders shared by the hub tests.

#include <memory>

#include "stream/MediaPacket.h"

namespace stagecast::stream::test {

inline PacketPtr packet(TrackKind kind, int ms, bool key = false, bool config = false,
                        std::size_t size = 100) {
    auto p = std::make_shared<MediaPacket>();
    p->kind = kind;
    p->dts = std::chrono::milliseconds(ms);
    p->keyframe = key;
    p->config = config;
    p->payload.assign(size, static_cast<std::uint8_t>(ms & 0xFF));
    return p;
}

inline PacketPtr video(int ms, bool key = false, std::size_t size = 1000) {
    return packet(TrackKind::Video, ms, key, false, size);
}
inline PacketPtr audio(int ms) {
    return packet(TrackKind::Audio, ms, false, false, 200);
}
inline PacketPtr videoConfig() {
    return packet(TrackKind::Video, 0, true, true, 40);
}
inline PacketPtr audioConfig() {
    return packet(TrackKind::Audio, 0, false, true, 2);
}
inline PacketPtr metadata() {
    return packet(TrackKind::Data, 0, false, false, 300);
}

} // namespace stagecast::stream::test
