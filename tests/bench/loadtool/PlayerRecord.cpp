#include "PlayerRecord.h"

#include <algorithm>

namespace stagecast::load {

const char* toString(Stage stage) {
    switch (stage) {
    case Stage::Idle:
        return "not started";
    case Stage::Connecting:
        return "tcp connect";
    case Stage::Handshake:
        return "rtmp handshake";
    case Stage::Connect:
        return "rtmp connect";
    case Stage::CreateStream:
        return "rtmp createStream";
    case Stage::Play:
        return "rtmp play";
    case Stage::Response:
        return "http response";
    case Stage::Playing:
        break;
    }
    return "playing";
}

VideoKind classifyVideo(const std::uint8_t* body, std::size_t size) {
    if (size == 0) {
        return VideoKind::Config;
    }
    const std::uint8_t first = body[0];
    if ((first & 0x80) != 0) {
        // ExVideoTagHeader: IsExHeader, 3-bit FrameType, 4-bit PacketType.
        const auto frameType = (first >> 4) & 0x07;
        const auto packetType = first & 0x0F;
        const bool frames = packetType == 1 || packetType == 3; // CodedFrames, CodedFramesX
        if (!frames || frameType == 5) {
            return VideoKind::Config;
        }
        return frameType == 1 ? VideoKind::KeyFrame : VideoKind::InterFrame;
    }
    const auto frameType = first >> 4;
    const auto codec = first & 0x0F;
    if (frameType == 5) {
        return VideoKind::Config; // video info / command frame
    }
    if (codec == 7 || codec == 12) {
        // AVC / legacy HEVC: AVCPacketType 0 = sequence header, 1 = NALUs, 2 = end.
        if (size < 2 || body[1] != 1) {
            return VideoKind::Config;
        }
    }
    return frameType == 1 ? VideoKind::KeyFrame : VideoKind::InterFrame;
}

void PlayerRecord::onPlayback(std::uint32_t timestampMs, std::int64_t shownNs,
                              const SendLog* sendLog, const MeasureWindow& window) {
    if (sendLog == nullptr || !window.contains(shownNs)) {
        return;
    }
    if (auto sent = sendLog->lookup(timestampMs)) {
        playbackUs.push_back(static_cast<std::int32_t>(std::clamp<std::int64_t>(
            (shownNs - *sent) / 1000, 0, std::numeric_limits<std::int32_t>::max())));
    }
}

void PlayerRecord::onVideo(VideoKind kind, std::uint32_t timestampMs, std::int64_t arrivalNs,
                           const SendLog* sendLog, const MeasureWindow& window) {
    if (kind == VideoKind::Config) {
        return;
    }
    if (firstFrameNs < 0) {
        firstFrameNs = arrivalNs;
    }
    if (kind == VideoKind::KeyFrame && firstKeyframeNs < 0) {
        firstKeyframeNs = arrivalNs;
    }
    lastFrameNs.store(arrivalNs, std::memory_order_relaxed);
    ++frames;
    if (sendLog == nullptr || !window.contains(arrivalNs)) {
        return;
    }
    auto sent = sendLog->lookup(timestampMs);
    if (!sent) {
        ++unmatched;
        return;
    }
    auto us = (arrivalNs - *sent) / 1000;
    latencyUs.push_back(static_cast<std::int32_t>(
        std::clamp<std::int64_t>(us, 0, std::numeric_limits<std::int32_t>::max())));
}

void PlayerRecord::fail(std::string why) {
    if (error.empty() && !closed) {
        error = std::move(why);
    }
    closed = true;
}

} // namespace stagecast::load
