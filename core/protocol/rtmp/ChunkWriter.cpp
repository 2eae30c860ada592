#include "ChunkWriter.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace stagecast::protocol::rtmp {

namespace {

constexpr std::uint32_t kExtendedMarker = 0xFFFFFF;
constexpr std::size_t kMaxHeader = 3 + 11 + 4; // basic + type-0 message header + extended

struct HeaderBytes {
    std::array<std::uint8_t, kMaxHeader> bytes{};
    std::size_t size = 0;
    void u8(std::uint32_t v) { bytes[size++] = static_cast<std::uint8_t>(v); }
    void u24be(std::uint32_t v) {
        u8(v >> 16);
        u8(v >> 8);
        u8(v);
    }
    void u32be(std::uint32_t v) {
        u8(v >> 24);
        u24be(v);
    }
};

// Section 5.3.1.1: ids 2..63 fit the 1-byte form, 64..319 the 2-byte form (id - 64), and
// 64..65599 the 3-byte form (id - 64, little-endian).
void basicHeader(HeaderBytes& h, std::uint32_t fmt, std::uint32_t chunkStreamId) {
    assert(chunkStreamId >= 2 && chunkStreamId <= 65599);
    if (chunkStreamId < 64) {
        h.u8((fmt << 6) | chunkStreamId);
    } else if (chunkStreamId < 320) {
        h.u8(fmt << 6);
        h.u8(chunkStreamId - 64);
    } else {
        h.u8((fmt << 6) | 1);
        h.u8((chunkStreamId - 64) & 0xFF);
        h.u8((chunkStreamId - 64) >> 8);
    }
}

// Section 5.3.1.2.1: type-0 header with the absolute timestamp; 0xFFFFFF in the 24-bit field
// announces the 4-byte extended timestamp (section 5.3.1.3).
HeaderBytes firstHeader(std::uint32_t chunkStreamId, const MessageHeader& header,
                        std::size_t payloadSize) {
    HeaderBytes h;
    basicHeader(h, 0, chunkStreamId);
    const bool extended = header.timestamp >= kExtendedMarker;
    h.u24be(extended ? kExtendedMarker : header.timestamp);
    h.u24be(static_cast<std::uint32_t>(payloadSize));
    h.u8(header.typeId);
    // The message stream id is the one little-endian field of the header.
    h.u8(header.streamId);
    h.u8(header.streamId >> 8);
    h.u8(header.streamId >> 16);
    h.u8(header.streamId >> 24);
    if (extended) {
        h.u32be(header.timestamp);
    }
    return h;
}

// Type-3 header; FMS and ffmpeg repeat the extended timestamp here, and so do we, because
// readers built on them expect it.
HeaderBytes continuationHeader(std::uint32_t chunkStreamId, const MessageHeader& header) {
    HeaderBytes h;
    basicHeader(h, 3, chunkStreamId);
    if (header.timestamp >= kExtendedMarker) {
        h.u32be(header.timestamp);
    }
    return h;
}

std::size_t chunkCount(std::size_t payloadSize, std::uint32_t chunkSize) {
    return payloadSize == 0 ? 1 : (payloadSize + chunkSize - 1) / chunkSize;
}

} // namespace

void ChunkWriter::write(std::vector<std::uint8_t>& out, std::uint32_t chunkStreamId,
                        const MessageHeader& header, std::span<const std::uint8_t> payload) const {
    const std::uint32_t chunkSize = std::max<std::uint32_t>(chunkSize_, 1);
    const HeaderBytes first = firstHeader(chunkStreamId, header, payload.size());
    const HeaderBytes next = continuationHeader(chunkStreamId, header);
    out.reserve(out.size() + first.size + payload.size() +
                (chunkCount(payload.size(), chunkSize) - 1) * next.size);

    out.insert(out.end(), first.bytes.begin(), first.bytes.begin() + first.size);
    std::size_t offset = 0;
    while (true) {
        const std::size_t n = std::min<std::size_t>(chunkSize, payload.size() - offset);
        out.insert(out.end(), payload.begin() + offset, payload.begin() + offset + n);
        offset += n;
        if (offset >= payload.size()) {
            break;
        }
        out.insert(out.end(), next.bytes.begin(), next.bytes.begin() + next.size);
    }
}

void ChunkWriter::plan(std::vector<std::uint8_t>& headers, std::vector<Piece>& pieces,
                       std::uint32_t chunkStreamId, const MessageHeader& header,
                       std::size_t payloadSize) const {
    const std::uint32_t chunkSize = std::max<std::uint32_t>(chunkSize_, 1);
    const HeaderBytes first = firstHeader(chunkStreamId, header, payloadSize);
    const HeaderBytes next = continuationHeader(chunkStreamId, header);
    const std::size_t chunks = chunkCount(payloadSize, chunkSize);
    headers.reserve(headers.size() + first.size + (chunks - 1) * next.size);
    pieces.reserve(pieces.size() + chunks);

    std::size_t offset = 0;
    for (std::size_t i = 0; i < chunks; ++i) {
        const HeaderBytes& h = i == 0 ? first : next;
        Piece p;
        p.headerOffset = static_cast<std::uint32_t>(headers.size());
        p.headerLength = static_cast<std::uint32_t>(h.size);
        p.payloadOffset = static_cast<std::uint32_t>(offset);
        p.payloadLength =
            static_cast<std::uint32_t>(std::min<std::size_t>(chunkSize, payloadSize - offset));
        headers.insert(headers.end(), h.bytes.begin(), h.bytes.begin() + h.size);
        pieces.push_back(p);
        offset += p.payloadLength;
    }
}

} // namespace stagecast::protocol::rtmp
