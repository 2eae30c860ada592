#include "DemuxPsi.h"

#include <string>

#include "Crc32.h"
#include "base/ByteReader.h"

namespace stagecast::protocol::mpegts::demux {
namespace {

constexpr std::size_t kSectionHeaderSize = 3; // table_id, flags + section_length
constexpr std::size_t kCrcSize = 4;
constexpr std::size_t kMaxSectionLength = 1021; // 2.4.4.3 / 2.4.4.8: top 2 bits '00'
constexpr std::uint8_t kStuffing = 0xFF;

std::size_t sectionLength(std::span<const std::uint8_t> s) {
    return (std::size_t{s[1] & 0x0FU} << 8) | s[2];
}

/// The fields common to long-form sections up to last_section_number, checked; returns the
/// bytes between them and the CRC.
struct LongHeader {
    std::uint16_t idExtension = 0; // transport_stream_id / program_number
    std::uint8_t version = 0;
    bool currentNext = false;
    std::span<const std::uint8_t> body;
};

base::Result<LongHeader> readLongHeader(std::span<const std::uint8_t> s, std::uint8_t tableId,
                                        const char* name) {
    constexpr std::size_t kLongHeaderSize = 8;
    const std::string what = std::string("psi: ") + name;
    if (s.size() < kLongHeaderSize + kCrcSize) {
        return base::fail(what + " section of " + std::to_string(s.size()) +
                          " bytes too short, need 12");
    }
    if (s[0] != tableId) {
        return base::fail(what + " table_id " + std::to_string(s[0]) + " invalid, allowed " +
                          std::to_string(tableId));
    }
    if ((s[1] & 0x80) == 0) {
        return base::fail(what + " section_syntax_indicator 0 invalid, allowed 1");
    }
    const std::size_t length = sectionLength(s);
    if (length > kMaxSectionLength || kSectionHeaderSize + length != s.size()) {
        return base::fail(what + " section_length " + std::to_string(length) +
                          " invalid, allowed up to 1021 and matching the " +
                          std::to_string(s.size()) + "-byte section");
    }
    if (!sectionCrcOk(s)) {
        return base::fail(what + " CRC_32 mismatch");
    }
    LongHeader h;
    h.idExtension = static_cast<std::uint16_t>((s[3] << 8) | s[4]);
    h.version = static_cast<std::uint8_t>((s[5] >> 1) & 0x1F);
    h.currentNext = (s[5] & 0x01) != 0;
    h.body = s.subspan(kLongHeaderSize, s.size() - kLongHeaderSize - kCrcSize);
    return h;
}

} // namespace

void DemuxSectionAssembler::push(std::span<const std::uint8_t> payload, bool unitStart,
                                 std::vector<std::vector<std::uint8_t>>& sections) {
    if (unitStart) {
        if (payload.empty()) {
            reset();
            return;
        }
        const std::size_t pointer = payload[0];
        if (1 + pointer > payload.size()) {
            reset(); // pointer_field beyond the packet: nothing in it can be trusted
            return;
        }
        // The bytes before the pointed-to section end the previous one.
        if (started_) {
            buffer_.insert(buffer_.end(), payload.begin() + 1,
                           payload.begin() + static_cast<std::ptrdiff_t>(1 + pointer));
            drain(sections);
        }
        buffer_.assign(payload.begin() + static_cast<std::ptrdiff_t>(1 + pointer), payload.end());
        started_ = true;
        drain(sections);
        return;
    }
    if (!started_) {
        return; // joined in the middle of a section
    }
    buffer_.insert(buffer_.end(), payload.begin(), payload.end());
    drain(sections);
}

void DemuxSectionAssembler::drain(std::vector<std::vector<std::uint8_t>>& sections) {
    std::size_t pos = 0;
    while (started_) {
        if (pos < buffer_.size() && buffer_[pos] == kStuffing) {
            started_ = false; // the rest of the packet is stuffing
            break;
        }
        if (buffer_.size() - pos < kSectionHeaderSize) {
            break;
        }
        const std::size_t total =
            kSectionHeaderSize + sectionLength(std::span(buffer_).subspan(pos));
        if (total > kSectionHeaderSize + 4093) {
            started_ = false;
            break;
        }
        if (buffer_.size() - pos < total) {
            break;
        }
        sections.emplace_back(buffer_.begin() + static_cast<std::ptrdiff_t>(pos),
                              buffer_.begin() + static_cast<std::ptrdiff_t>(pos + total));
        pos += total;
    }
    if (!started_) {
        buffer_.clear();
    } else {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(pos));
    }
}

bool sectionCrcOk(std::span<const std::uint8_t> section) {
    return section.size() >= kCrcSize && crc32Mpeg2(section) == 0;
}

base::Result<Pat> parsePat(std::span<const std::uint8_t> section, std::size_t maxPrograms) {
    auto h = readLongHeader(section, 0x00, "program_association_section");
    if (!h) {
        return base::fail(h.error());
    }
    if (h->body.size() % 4 != 0) {
        return base::fail("psi: program_association_section program loop of " +
                          std::to_string(h->body.size()) + " bytes invalid, need a multiple of 4");
    }
    Pat pat;
    pat.transportStreamId = h->idExtension;
    pat.version = h->version;
    pat.current = h->currentNext;
    base::ByteReader r(h->body);
    while (!r.empty() && pat.programs.size() < maxPrograms) {
        const auto number = r.u16be();
        const auto pid = r.u16be();
        pat.programs.push_back({*number, static_cast<std::uint16_t>(*pid & 0x1FFF)});
    }
    return pat;
}

base::Result<Pmt> parsePmt(std::span<const std::uint8_t> section, std::size_t maxStreams) {
    auto h = readLongHeader(section, 0x02, "TS_program_map_section");
    if (!h) {
        return base::fail(h.error());
    }
    Pmt pmt;
    pmt.programNumber = h->idExtension;
    pmt.version = h->version;
    pmt.current = h->currentNext;
    base::ByteReader r(h->body);
    const auto pcrPid = r.u16be();
    const auto programInfoLength = r.u16be();
    if (!pcrPid || !programInfoLength || !r.skip(*programInfoLength & 0x0FFFU)) {
        return base::fail("psi: TS_program_map_section program_info runs past the section");
    }
    pmt.pcrPid = static_cast<std::uint16_t>(*pcrPid & 0x1FFF);
    while (!r.empty()) {
        const auto streamType = r.u8();
        const auto pid = r.u16be();
        const auto esInfoLength = r.u16be();
        if (!streamType || !pid || !esInfoLength || !r.skip(*esInfoLength & 0x0FFFU)) {
            return base::fail("psi: TS_program_map_section elementary stream entry " +
                              std::to_string(pmt.streams.size()) + " runs past the section");
        }
        if (pmt.streams.size() < maxStreams) {
            pmt.streams.push_back({*streamType, static_cast<std::uint16_t>(*pid & 0x1FFF)});
        }
    }
    return pmt;
}

} // namespace stagecast::protocol::mpegts::demux
