#pragma once
/// PES packets (ISO/IEC 13818-1 2.4.3.6) and their packetization into 188-byte transport
/// stream packets (2.4.3.2) with the adaptation field (2.4.3.4) for PCR, the random access
/// indicator and stuffing.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace stagecast::protocol::mpegts {

inline constexpr std::size_t kTsPacketSize = 188;
inline constexpr std::uint8_t kSyncByte = 0x47;
inline constexpr std::uint64_t kTimestampMask = (std::uint64_t{1} << 33) - 1;

inline constexpr std::uint8_t kStreamIdVideo = 0xE0; // first video stream, table 2-22
inline constexpr std::uint8_t kStreamIdAudio = 0xC0; // first MPEG audio stream

struct PesTiming {
    std::uint64_t pts = 0; // 90 kHz, taken modulo 2^33
    /// Written only when it differs from pts (PTS_DTS_flags '11'); else PTS only ('10').
    std::uint64_t dts = 0;
};

/// Appends the PES header: start code, stream_id, PES_packet_length, the flag bytes with
/// data_alignment_indicator set (each PES starts an access unit), PTS and maybe DTS.
/// PES_packet_length is `payloadSize` plus the header bytes after it, or 0 ("unbounded",
/// allowed for video only, 2.4.3.7) when `bounded` is false or the sum exceeds 65535.
void appendPesHeader(std::vector<std::uint8_t>& out, std::uint8_t streamId, const PesTiming& timing,
                     std::size_t payloadSize, bool bounded);

/// The 5-byte PTS or DTS field: 4-bit prefix, the 33 bits in 3/15/15 with marker bits.
void appendTimestamp(std::vector<std::uint8_t>& out, std::uint8_t prefix, std::uint64_t ts);

struct PacketOptions {
    std::optional<std::uint64_t> pcrBase; // 90 kHz; the 27 MHz extension is written as 0
    bool randomAccess = false;
};

/// Splits one PES packet (header included) into transport packets on `pid`: the first has
/// payload_unit_start_indicator and, when asked, an adaptation field with the random access
/// indicator and the PCR; the last is padded to 188 bytes with adaptation-field stuffing
/// (2.4.3.5: PES payload cannot be padded with 0xFF bytes). `continuityCounter` is the
/// value for the next packet and is advanced per packet, modulo 16.
void writePesPackets(std::vector<std::uint8_t>& out, std::uint16_t pid,
                     std::span<const std::uint8_t> pes, const PacketOptions& options,
                     std::uint8_t& continuityCounter);

/// One packet on `pid` with an adaptation field that only carries a PCR and no payload
/// (adaptation_field_control '10'), for a PCR PID whose own packets are too far apart.
/// Such packets repeat the last continuity_counter instead of advancing it (2.4.3.3).
void writePcrPacket(std::vector<std::uint8_t>& out, std::uint16_t pid, std::uint64_t pcrBase,
                    std::uint8_t continuityCounter);

} // namespace stagecast::protocol::mpegts
