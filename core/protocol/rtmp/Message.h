#pragma once
/// RTMP message types and headers (Adobe RTMP specification 1.0, sections 5.4 and 7.1).

#include <cstdint>
#include <vector>

namespace stagecast::protocol::rtmp {

enum class MessageType : std::uint8_t {
    SetChunkSize = 1,
    Abort = 2,
    Acknowledgement = 3,
    UserControl = 4,
    WindowAckSize = 5,
    SetPeerBandwidth = 6,
    Audio = 8,
    Video = 9,
    DataAmf3 = 15,
    SharedObjectAmf3 = 16,
    CommandAmf3 = 17,
    DataAmf0 = 18,
    SharedObjectAmf0 = 19,
    CommandAmf0 = 20,
    Aggregate = 22,
};

struct MessageHeader {
    std::uint8_t typeId = 0; // a MessageType value; unknown types are passed through
    std::uint32_t streamId = 0;
    /// Absolute timestamp in milliseconds, modulo 2^32 (RTMP timestamps wrap; see
    /// TimestampUnwrapper for a 64-bit timeline).
    std::uint32_t timestamp = 0;
    std::uint32_t length = 0;
};

struct Message {
    std::uint32_t chunkStreamId = 0;
    MessageHeader header;
    std::vector<std::uint8_t> payload;
};

/// Turns wrapping 32-bit RTMP timestamps into a monotonic-ish 64-bit millisecond timeline.
/// A backwards step of more than half the range is taken as a wrap (section 5.3.1.1 / 6.1).
class TimestampUnwrapper {
public:
    std::int64_t unwrap(std::uint32_t ts);

private:
    bool started_ = false;
    std::uint32_t last_ = 0;
    std::int64_t epoch_ = 0;
};

} // namespace stagecast::protocol::rtmp
