#include "DemuxPes.h"

#include <string>

namespace stagecast::protocol::mpegts::demux {
namespace {

// stream_id values without the optional PES header (13818-1 2.4.3.7, the first branch of
// PES_packet()): program_stream_map, padding, private_stream_2, ECM, EMM,
// program_stream_directory, DSMCC, H.222.1 type E.
bool hasOptionalHeader(std::uint8_t streamId) {
    switch (streamId) {
    case 0xBC:
    case 0xBE:
    case 0xBF:
    case 0xF0:
    case 0xF1:
    case 0xF2:
    case 0xF8:
    case 0xFF:
        return false;
    default:
        return true;
    }
}

// '0010'/'0011'/'0001' PTS[32..30] marker PTS[29..15] marker PTS[14..0] marker. Marker bits
// are not checked: some muxers get them wrong and the value is still right.
std::uint64_t readTimestamp(std::span<const std::uint8_t> p) {
    return (std::uint64_t{p[0] & 0x0EU} << 29) | (std::uint64_t{p[1]} << 22) |
           (std::uint64_t{p[2] & 0xFEU} << 14) | (std::uint64_t{p[3]} << 7) |
           (std::uint64_t{p[4]} >> 1);
}

} // namespace

base::Result<PesHeader> parsePesStart(std::span<const std::uint8_t> data) {
    if (data.size() < kPesFixedHeaderSize) {
        return base::fail("pes: header truncated: " + std::to_string(data.size()) +
                          " bytes, need 6");
    }
    if (data[0] != 0 || data[1] != 0 || data[2] != 1) {
        return base::fail("pes: packet_start_code_prefix missing, need 00 00 01");
    }
    PesHeader h;
    h.streamId = data[3];
    h.packetLength = static_cast<std::uint16_t>((data[4] << 8) | data[5]);
    h.payloadOffset = kPesFixedHeaderSize;
    return h;
}

base::Result<PesHeader> parsePesHeader(std::span<const std::uint8_t> data) {
    auto h = parsePesStart(data);
    if (!h || !hasOptionalHeader(h->streamId)) {
        return h;
    }
    constexpr std::size_t kOptionalStart = kPesFixedHeaderSize + 3;
    if (data.size() < kOptionalStart) {
        return base::fail("pes: optional header truncated: " + std::to_string(data.size()) +
                          " bytes, need 9");
    }
    if ((data[6] & 0xC0) != 0x80) {
        return base::fail("pes: optional header marker '10' missing (stream_id " +
                          std::to_string(h->streamId) + ")");
    }
    const unsigned ptsDtsFlags = data[7] >> 6;
    const std::size_t headerDataLength = data[8];
    h->payloadOffset = kOptionalStart + headerDataLength;
    if (h->payloadOffset > data.size()) {
        return base::fail("pes: PES_header_data_length " + std::to_string(headerDataLength) +
                          " runs past the " + std::to_string(data.size()) + "-byte packet");
    }
    if (ptsDtsFlags == 1) {
        return base::fail("pes: PTS_DTS_flags '01' invalid, allowed '00', '10', '11'");
    }
    const std::size_t needed = ptsDtsFlags == 3 ? 10 : ptsDtsFlags == 2 ? 5 : 0;
    if (headerDataLength < needed) {
        return base::fail("pes: PES_header_data_length " + std::to_string(headerDataLength) +
                          " too small for the timestamps, need " + std::to_string(needed));
    }
    if (ptsDtsFlags & 2) {
        h->pts = readTimestamp(data.subspan(kOptionalStart, 5));
    }
    if (ptsDtsFlags == 3) {
        h->dts = readTimestamp(data.subspan(kOptionalStart + 5, 5));
    }
    return h;
}

} // namespace stagecast::protocol::mpegts::demux
