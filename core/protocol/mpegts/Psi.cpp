#include "Psi.h"

#include "Crc32.h"
#include "PesWriter.h"

namespace stagecast::protocol::mpegts {
namespace {

constexpr std::uint8_t kTableIdPat = 0x00;
constexpr std::uint8_t kTableIdPmt = 0x02;

void push16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}

// Common long-form section start (2.4.4.3): table_id, section_syntax_indicator 1, '0',
// reserved '11', section_length (patched by finish()), the 16-bit id, reserved '11',
// version_number, current_next_indicator 1, section_number 0, last_section_number 0.
void beginSection(std::vector<std::uint8_t>& s, std::uint8_t tableId, std::uint16_t id,
                  std::uint8_t version) {
    s.push_back(tableId);
    s.push_back(0xB0);
    s.push_back(0x00);
    push16(s, id);
    s.push_back(static_cast<std::uint8_t>(0xC0 | ((version & 0x1F) << 1) | 0x01));
    s.push_back(0x00);
    s.push_back(0x00);
}

// section_length counts the bytes after it, CRC included; then the CRC over everything.
void finishSection(std::vector<std::uint8_t>& s) {
    const std::size_t length = s.size() - 3 + 4;
    s[1] = static_cast<std::uint8_t>(0xB0 | ((length >> 8) & 0x0F));
    s[2] = static_cast<std::uint8_t>(length & 0xFF);
    const std::uint32_t crc = crc32Mpeg2(s);
    s.push_back(static_cast<std::uint8_t>(crc >> 24));
    s.push_back(static_cast<std::uint8_t>(crc >> 16));
    s.push_back(static_cast<std::uint8_t>(crc >> 8));
    s.push_back(static_cast<std::uint8_t>(crc));
}

} // namespace

std::vector<std::uint8_t> patSection(std::uint16_t pmtPid) {
    std::vector<std::uint8_t> s;
    beginSection(s, kTableIdPat, kTransportStreamId, 0);
    push16(s, kProgramNumber);
    push16(s, static_cast<std::uint16_t>(0xE000 | (pmtPid & 0x1FFF))); // reserved '111'
    finishSection(s);
    return s;
}

std::vector<std::uint8_t> pmtSection(std::uint16_t pcrPid, std::span<const PmtStream> streams,
                                     std::uint8_t version) {
    std::vector<std::uint8_t> s;
    beginSection(s, kTableIdPmt, kProgramNumber, version);
    push16(s, static_cast<std::uint16_t>(0xE000 | (pcrPid & 0x1FFF))); // reserved '111'
    push16(s, 0xF000); // reserved '1111', program_info_length 0
    for (const PmtStream& stream : streams) {
        s.push_back(stream.streamType);
        push16(s, static_cast<std::uint16_t>(0xE000 | (stream.pid & 0x1FFF)));
        push16(s, 0xF000); // reserved '1111', ES_info_length 0
    }
    finishSection(s);
    return s;
}

void writeSectionPacket(std::vector<std::uint8_t>& out, std::uint16_t pid,
                        std::span<const std::uint8_t> section, std::uint8_t& continuityCounter) {
    const std::size_t start = out.size();
    out.push_back(kSyncByte);
    out.push_back(static_cast<std::uint8_t>(0x40 | ((pid >> 8) & 0x1F))); // unit start
    out.push_back(static_cast<std::uint8_t>(pid & 0xFF));
    out.push_back(static_cast<std::uint8_t>(0x10 | (continuityCounter & 0x0F))); // payload only
    continuityCounter = static_cast<std::uint8_t>((continuityCounter + 1) & 0x0F);
    out.push_back(0x00); // pointer_field
    out.insert(out.end(), section.begin(), section.end());
    out.resize(start + kTsPacketSize, 0xFF);
}

} // namespace stagecast::protocol::mpegts
