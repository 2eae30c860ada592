#pragma once
/// Chunks outgoing RTMP messages (RTMP specification 1.0 section 5.3). The first chunk of a
/// message always carries a type-0 header (absolute timestamp), continuation chunks a type-3
/// header (with the extended timestamp repeated when the timestamp needs it). Sans-I/O.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/rtmp/Message.h"

namespace stagecast::protocol::rtmp {

/// Chunk stream ids Stagecast uses when sending.
enum class ChunkStreamId : std::uint32_t {
    Control = 2,
    Command = 3,
    Audio = 4,
    Video = 6,
    Data = 5,
};

class ChunkWriter {
public:
    /// One chunk of the zero-copy plan: `headerLength` bytes at `headerOffset` in the header
    /// buffer, then `payloadLength` bytes at `payloadOffset` in the caller's payload.
    struct Piece {
        std::uint32_t headerOffset = 0;
        std::uint32_t headerLength = 0;
        std::uint32_t payloadOffset = 0;
        std::uint32_t payloadLength = 0;
    };

    std::uint32_t chunkSize() const { return chunkSize_; }
    /// The caller must also send a Set Chunk Size message (sent with the old size) first.
    void setChunkSize(std::uint32_t size) { chunkSize_ = size; }

    /// Appends the complete chunked form (headers interleaved with payload) to `out`.
    void write(std::vector<std::uint8_t>& out, std::uint32_t chunkStreamId,
               const MessageHeader& header, std::span<const std::uint8_t> payload) const;

    /// Zero-copy form: appends only chunk headers to `headers` and one Piece per chunk to
    /// `pieces`, so the caller can gather-write them around a shared payload.
    void plan(std::vector<std::uint8_t>& headers, std::vector<Piece>& pieces,
              std::uint32_t chunkStreamId, const MessageHeader& header,
              std::size_t payloadSize) const;

private:
    std::uint32_t chunkSize_ = 128;
};

} // namespace stagecast::protocol::rtmp
