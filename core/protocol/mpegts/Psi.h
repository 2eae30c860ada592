#pragma once
/// Program-specific information for a single-program transport stream: the program
/// association section (ISO/IEC 13818-1 2.4.4.3) and the TS program map section (2.4.4.8),
/// each sent in one transport packet of its own.

#include <cstdint>
#include <span>
#include <vector>

namespace stagecast::protocol::mpegts {

inline constexpr std::uint16_t kPidPat = 0x0000;
inline constexpr std::uint16_t kPidNull = 0x1FFF;
inline constexpr std::uint16_t kProgramNumber = 1;
inline constexpr std::uint16_t kTransportStreamId = 1;

// stream_type values, table 2-34 (0x24: HEVC, added by amendment 3 of the 2013 edition).
inline constexpr std::uint8_t kStreamTypeAacAdts = 0x0F;
inline constexpr std::uint8_t kStreamTypeH264 = 0x1B;
inline constexpr std::uint8_t kStreamTypeHevc = 0x24;

struct PmtStream {
    std::uint8_t streamType = 0;
    std::uint16_t pid = 0;
};

/// The PAT section (CRC included) listing program 1 on `pmtPid`.
std::vector<std::uint8_t> patSection(std::uint16_t pmtPid);
/// The PMT section (CRC included) of program 1; `pcrPid` kPidNull when the program has no PCR.
std::vector<std::uint8_t> pmtSection(std::uint16_t pcrPid, std::span<const PmtStream> streams,
                                     std::uint8_t version);

/// One transport packet on `pid` carrying `section` (at most 183 bytes) after a zero
/// pointer_field, padded with 0xFF (2.4.4.2: stuffing after the last section).
void writeSectionPacket(std::vector<std::uint8_t>& out, std::uint16_t pid,
                        std::span<const std::uint8_t> section, std::uint8_t& continuityCounter);

} // namespace stagecast::protocol::mpegts
