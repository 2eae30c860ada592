#include "Control.h"

#include <string>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"

namespace stagecast::protocol::rtmp {

namespace {

// Protocol control messages travel on chunk stream 2, message stream 0 (section 5.4).
constexpr std::uint32_t kControlChunkStream = 2;

Message controlMessage(MessageType type, std::vector<std::uint8_t> payload) {
    Message m;
    m.chunkStreamId = kControlChunkStream;
    m.header.typeId = static_cast<std::uint8_t>(type);
    m.header.streamId = 0;
    m.header.timestamp = 0;
    m.header.length = static_cast<std::uint32_t>(payload.size());
    m.payload = std::move(payload);
    return m;
}

Message u32Message(MessageType type, std::uint32_t value) {
    std::vector<std::uint8_t> payload;
    payload.reserve(4);
    base::ByteWriter(payload).u32be(value);
    return controlMessage(type, std::move(payload));
}

bool isKnownEvent(std::uint16_t event) {
    switch (static_cast<UserControlEvent>(event)) {
    case UserControlEvent::StreamBegin:
    case UserControlEvent::StreamEof:
    case UserControlEvent::StreamDry:
    case UserControlEvent::SetBufferLength:
    case UserControlEvent::StreamIsRecorded:
    case UserControlEvent::PingRequest:
    case UserControlEvent::PingResponse:
        return true;
    }
    return false;
}

} // namespace

Message makeSetChunkSize(std::uint32_t size) {
    // Section 5.4.1: the top bit is reserved and must be zero.
    return u32Message(MessageType::SetChunkSize, size & 0x7FFFFFFFu);
}

Message makeAbort(std::uint32_t chunkStreamId) {
    return u32Message(MessageType::Abort, chunkStreamId);
}

Message makeAcknowledgement(std::uint32_t sequenceNumber) {
    return u32Message(MessageType::Acknowledgement, sequenceNumber);
}

Message makeWindowAckSize(std::uint32_t size) {
    return u32Message(MessageType::WindowAckSize, size);
}

Message makeSetPeerBandwidth(std::uint32_t size, std::uint8_t limitType) {
    // Section 5.4.5: 4-byte window size, 1-byte limit type.
    std::vector<std::uint8_t> payload;
    payload.reserve(5);
    base::ByteWriter w(payload);
    w.u32be(size);
    w.u8(limitType);
    return controlMessage(MessageType::SetPeerBandwidth, std::move(payload));
}

Message makeUserControl(const UserControl& uc) {
    // Section 6.2 / 7.1.7: 2-byte event type, then event data (4 bytes; SetBufferLength
    // carries the stream id and then the buffer length in ms).
    std::vector<std::uint8_t> payload;
    payload.reserve(10);
    base::ByteWriter w(payload);
    w.u16be(static_cast<std::uint16_t>(uc.event));
    w.u32be(uc.value);
    if (uc.event == UserControlEvent::SetBufferLength) {
        w.u32be(uc.bufferLength);
    }
    return controlMessage(MessageType::UserControl, std::move(payload));
}

// The reserved top bit of Set Chunk Size is not checked here because this parser serves four
// message types: ChunkReader already rejects a Set Chunk Size with the top bit set (the value
// then exceeds its maxChunkSize limit) before the message reaches a session. Extra trailing
// bytes are tolerated.
base::Result<std::uint32_t> parseU32Control(std::span<const std::uint8_t> payload) {
    base::ByteReader r(payload);
    auto v = r.u32be();
    if (!v) {
        return base::fail("rtmp: control message payload of " + std::to_string(payload.size()) +
                          " bytes, expected 4");
    }
    return *v;
}

base::Result<UserControl> parseUserControl(std::span<const std::uint8_t> payload) {
    base::ByteReader r(payload);
    auto event = r.u16be();
    if (!event) {
        return base::fail("rtmp: user control payload of " + std::to_string(payload.size()) +
                          " bytes, expected at least 6");
    }
    UserControl uc;
    uc.event = static_cast<UserControlEvent>(*event);
    auto value = r.u32be();
    if (!value) {
        // Events outside the specification (Flash's SWF verification request, for one) may
        // carry no data; the known events always carry 4 bytes.
        if (isKnownEvent(*event)) {
            return base::fail("rtmp: user control event " + std::to_string(*event) +
                              " payload of " + std::to_string(payload.size()) +
                              " bytes, expected at least 6");
        }
        return uc;
    }
    uc.value = *value;
    if (uc.event == UserControlEvent::SetBufferLength) {
        auto length = r.u32be();
        if (!length) {
            return base::fail("rtmp: SetBufferLength payload of " + std::to_string(payload.size()) +
                              " bytes, expected 10");
        }
        uc.bufferLength = *length;
    }
    return uc;
}

// Aggregate messages (section 7.1.6) hold FLV tags: type u8, data size u24, timestamp u24
// plus extension u8 (upper 8 bits), stream id u24, data, then a u32 back pointer. The tags'
// timestamps are relative to the first tag's; that one maps to the aggregate's timestamp.
base::Result<std::vector<Message>> splitAggregate(const Message& aggregate) {
    constexpr std::size_t kTagHeader = 11;
    std::vector<Message> out;
    base::ByteReader r(aggregate.payload);
    bool first = true;
    std::uint32_t firstTimestamp = 0;
    while (!r.empty()) {
        const std::size_t offset = r.position();
        if (r.remaining() < kTagHeader) {
            return base::fail("rtmp: aggregate sub-message at offset " + std::to_string(offset) +
                              " truncated: header needs 11 bytes, " +
                              std::to_string(r.remaining()) + " left");
        }
        const std::uint8_t type = *r.u8();
        const std::uint32_t size = *r.u24be();
        const std::uint32_t tsLow = *r.u24be();
        const std::uint32_t tsHigh = *r.u8();
        r.skip(3); // stream id: always 0 in FLV; the aggregate's message stream id applies
        const std::uint32_t ts = (tsHigh << 24) | tsLow;
        auto data = r.bytes(size);
        if (!data) {
            return base::fail("rtmp: aggregate sub-message at offset " + std::to_string(offset) +
                              " declares " + std::to_string(size) + " data bytes, " +
                              std::to_string(r.remaining()) + " left");
        }
        // Tolerate a missing back pointer after the last tag; anywhere else it must be there.
        if (!r.empty() && !r.skip(4)) {
            return base::fail("rtmp: aggregate sub-message at offset " + std::to_string(offset) +
                              " truncated: back pointer needs 4 bytes, " +
                              std::to_string(r.remaining()) + " left");
        }
        if (first) {
            firstTimestamp = ts;
            first = false;
        }
        Message m;
        m.chunkStreamId = aggregate.chunkStreamId;
        m.header.typeId = type;
        m.header.streamId = aggregate.header.streamId;
        // Unsigned arithmetic: offsets survive the 32-bit wrap.
        m.header.timestamp = aggregate.header.timestamp + (ts - firstTimestamp);
        m.header.length = size;
        m.payload.assign(data->begin(), data->end());
        out.push_back(std::move(m));
    }
    return out;
}

} // namespace stagecast::protocol::rtmp
