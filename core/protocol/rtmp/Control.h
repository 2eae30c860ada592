#pragma once
/// Protocol control and user control messages (RTMP specification 1.0 sections 5.4, 6.2,
/// 7.1.7): builders return complete messages ready for ChunkWriter; parsers read payloads.

#include <cstdint>
#include <optional>
#include <span>

#include "base/Result.h"
#include "protocol/rtmp/Message.h"

namespace stagecast::protocol::rtmp {

enum class UserControlEvent : std::uint16_t {
    StreamBegin = 0,
    StreamEof = 1,
    StreamDry = 2,
    SetBufferLength = 3,
    StreamIsRecorded = 4,
    PingRequest = 6,
    PingResponse = 7,
};

struct UserControl {
    UserControlEvent event = UserControlEvent::StreamBegin;
    std::uint32_t value = 0;        // stream id or timestamp
    std::uint32_t bufferLength = 0; // SetBufferLength only, in ms
};

Message makeSetChunkSize(std::uint32_t size);
Message makeAbort(std::uint32_t chunkStreamId);
Message makeAcknowledgement(std::uint32_t sequenceNumber);
Message makeWindowAckSize(std::uint32_t size);
/// limitType: 0 hard, 1 soft, 2 dynamic.
Message makeSetPeerBandwidth(std::uint32_t size, std::uint8_t limitType);
Message makeUserControl(const UserControl& uc);

/// 4-byte big-endian value of Set Chunk Size / Abort / Acknowledgement / Window Ack Size.
/// Set Chunk Size's top bit must be zero.
base::Result<std::uint32_t> parseU32Control(std::span<const std::uint8_t> payload);
base::Result<UserControl> parseUserControl(std::span<const std::uint8_t> payload);

/// Splits an Aggregate message (type 22) into its sub-messages (FLV-tag framed), with
/// timestamps rebased on the aggregate's own timestamp. Errors on malformed framing.
base::Result<std::vector<Message>> splitAggregate(const Message& aggregate);

} // namespace stagecast::protocol::rtmp
