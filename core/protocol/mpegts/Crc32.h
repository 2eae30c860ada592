#pragma once
/// CRC-32/MPEG-2 (polynomial 0x04C11DB7, initial 0xFFFFFFFF, no reflection, no final xor),
/// the checksum of PSI sections (ISO/IEC 13818-1 annex A).

#include <cstdint>
#include <span>

namespace stagecast::protocol::mpegts {

std::uint32_t crc32Mpeg2(std::span<const std::uint8_t> data);

} // namespace stagecast::protocol::mpegts
