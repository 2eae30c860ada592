#pragma once
/// PES packet header parsing (ISO/IEC 13818-1 2.4.3.6 and 2.4.3.7).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "base/Result.h"

namespace stagecast::protocol::mpegts::demux {

inline constexpr std::size_t kPesFixedHeaderSize = 6; // start code, stream_id, length

struct PesHeader {
    std::uint8_t streamId = 0;
    /// PES_packet_length: bytes after the field; 0 = unbounded (video only).
    std::uint16_t packetLength = 0;
    std::optional<std::uint64_t> pts; // 33-bit, 90 kHz
    std::optional<std::uint64_t> dts;
    /// Offset of the elementary stream data from the start of the PES packet.
    std::size_t payloadOffset = 0;
};

/// Reads the 6 fixed bytes (packet_start_code_prefix, stream_id, PES_packet_length).
base::Result<PesHeader> parsePesStart(std::span<const std::uint8_t> data);

/// Parses the header of a whole PES packet: the fixed part, then for stream ids that have it
/// the optional header with PTS/DTS. A DTS without PTS, or a header longer than the packet,
/// is an error.
base::Result<PesHeader> parsePesHeader(std::span<const std::uint8_t> data);

} // namespace stagecast::protocol::mpegts::demux
