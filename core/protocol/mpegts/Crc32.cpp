#include "Crc32.h"

#include <array>

namespace stagecast::protocol::mpegts {
namespace {

constexpr std::array<std::uint32_t, 256> makeTable() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t crc = i << 24;
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
        }
        table[i] = crc;
    }
    return table;
}

constexpr auto kTable = makeTable();

} // namespace

std::uint32_t crc32Mpeg2(std::span<const std::uint8_t> data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (auto byte : data) {
        crc = (crc << 8) ^ kTable[((crc >> 24) ^ byte) & 0xFF];
    }
    return crc;
}

} // namespace stagecast::protocol::mpegts
