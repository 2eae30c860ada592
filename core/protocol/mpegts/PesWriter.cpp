#include "PesWriter.h"

#include <algorithm>
#include <array>

namespace stagecast::protocol::mpegts {
namespace {

constexpr std::size_t kHeaderSize = 4;
constexpr std::size_t kPcrSize = 6;
constexpr std::uint8_t kAfRandomAccess = 0x40;
constexpr std::uint8_t kAfPcr = 0x10;
constexpr std::uint8_t kAfcPayloadOnly = 0x10;
constexpr std::uint8_t kAfcAdaptationOnly = 0x20;
constexpr std::uint8_t kAfcBoth = 0x30;

void appendPacketHeader(std::vector<std::uint8_t>& out, std::uint16_t pid, bool unitStart,
                        std::uint8_t adaptationFieldControl, std::uint8_t continuityCounter) {
    // transport_error_indicator 0, transport_priority 0, transport_scrambling_control 00
    out.push_back(kSyncByte);
    out.push_back(static_cast<std::uint8_t>((unitStart ? 0x40 : 0x00) | ((pid >> 8) & 0x1F)));
    out.push_back(static_cast<std::uint8_t>(pid & 0xFF));
    out.push_back(static_cast<std::uint8_t>(adaptationFieldControl | (continuityCounter & 0x0F)));
}

// program_clock_reference_base(33), reserved(6), program_clock_reference_extension(9).
void appendPcr(std::vector<std::uint8_t>& out, std::uint64_t base) {
    base &= kTimestampMask;
    constexpr std::uint32_t kExtension = 0;
    out.push_back(static_cast<std::uint8_t>(base >> 25));
    out.push_back(static_cast<std::uint8_t>(base >> 17));
    out.push_back(static_cast<std::uint8_t>(base >> 9));
    out.push_back(static_cast<std::uint8_t>(base >> 1));
    out.push_back(static_cast<std::uint8_t>(((base & 1) << 7) | 0x7E | (kExtension >> 8)));
    out.push_back(static_cast<std::uint8_t>(kExtension & 0xFF));
}

} // namespace

void appendTimestamp(std::vector<std::uint8_t>& out, std::uint8_t prefix, std::uint64_t ts) {
    ts &= kTimestampMask;
    out.push_back(static_cast<std::uint8_t>((prefix << 4) | (((ts >> 30) & 0x07) << 1) | 1));
    out.push_back(static_cast<std::uint8_t>(ts >> 22));
    out.push_back(static_cast<std::uint8_t>((((ts >> 15) & 0x7F) << 1) | 1));
    out.push_back(static_cast<std::uint8_t>(ts >> 7));
    out.push_back(static_cast<std::uint8_t>(((ts & 0x7F) << 1) | 1));
}

void appendPesHeader(std::vector<std::uint8_t>& out, std::uint8_t streamId, const PesTiming& timing,
                     std::size_t payloadSize, bool bounded) {
    const bool withDts = (timing.dts & kTimestampMask) != (timing.pts & kTimestampMask);
    const std::uint8_t headerDataLength = withDts ? 10 : 5;
    // Bytes after PES_packet_length: two flag bytes, PES_header_data_length, the data.
    const std::size_t length = 3 + std::size_t{headerDataLength} + payloadSize;
    const std::uint16_t lengthField =
        bounded && length <= 0xFFFF ? static_cast<std::uint16_t>(length) : 0;
    out.push_back(0x00); // packet_start_code_prefix 0x000001
    out.push_back(0x00);
    out.push_back(0x01);
    out.push_back(streamId);
    out.push_back(static_cast<std::uint8_t>(lengthField >> 8));
    out.push_back(static_cast<std::uint8_t>(lengthField & 0xFF));
    // '10', PES_scrambling_control 00, PES_priority 0, data_alignment_indicator 1,
    // copyright 0, original_or_copy 0
    out.push_back(0x84);
    // PTS_DTS_flags, ESCR/ES_rate/DSM_trick_mode/additional_copy_info/CRC/extension all 0
    out.push_back(withDts ? 0xC0 : 0x80);
    out.push_back(headerDataLength);
    appendTimestamp(out, withDts ? 0x3 : 0x2, timing.pts);
    if (withDts) {
        appendTimestamp(out, 0x1, timing.dts);
    }
}

void writePesPackets(std::vector<std::uint8_t>& out, std::uint16_t pid,
                     std::span<const std::uint8_t> pes, const PacketOptions& options,
                     std::uint8_t& continuityCounter) {
    std::size_t pos = 0;
    bool first = true;
    out.reserve(out.size() + (pes.size() / (kTsPacketSize - kHeaderSize) + 2) * kTsPacketSize);
    while (first || pos < pes.size()) {
        // Adaptation field content before stuffing: the flags byte and maybe a PCR.
        const bool pcr = first && options.pcrBase.has_value();
        const bool randomAccess = first && options.randomAccess;
        std::size_t afBody = 0; // bytes after adaptation_field_length
        if (pcr || randomAccess) {
            afBody = 1 + (pcr ? kPcrSize : 0);
        }
        std::size_t afTotal = afBody == 0 ? 0 : 1 + afBody;
        const std::size_t left = pes.size() - pos;
        std::size_t room = kTsPacketSize - kHeaderSize - afTotal;
        std::size_t stuffing = 0;
        if (left < room) {
            stuffing = room - left;
            if (afTotal == 0) {
                // A one-byte adaptation field (length 0) is itself one byte of stuffing.
                afTotal = stuffing;
                afBody = stuffing - 1;
                stuffing = afBody == 0 ? 0 : afBody - 1; // minus the flags byte
            } else {
                afTotal += stuffing;
                afBody += stuffing;
            }
            room = left;
        }
        appendPacketHeader(out, pid, first, afTotal == 0 ? kAfcPayloadOnly : kAfcBoth,
                           continuityCounter);
        continuityCounter = static_cast<std::uint8_t>((continuityCounter + 1) & 0x0F);
        if (afTotal > 0) {
            out.push_back(static_cast<std::uint8_t>(afBody));
            if (afBody > 0) {
                out.push_back(static_cast<std::uint8_t>((randomAccess ? kAfRandomAccess : 0) |
                                                        (pcr ? kAfPcr : 0)));
                if (pcr) {
                    appendPcr(out, *options.pcrBase);
                }
                out.insert(out.end(), stuffing, 0xFF);
            }
        }
        out.insert(out.end(), pes.begin() + static_cast<std::ptrdiff_t>(pos),
                   pes.begin() + static_cast<std::ptrdiff_t>(pos + room));
        pos += room;
        first = false;
    }
}

void writePcrPacket(std::vector<std::uint8_t>& out, std::uint16_t pid, std::uint64_t pcrBase,
                    std::uint8_t continuityCounter) {
    appendPacketHeader(out, pid, false, kAfcAdaptationOnly, continuityCounter);
    constexpr std::size_t kAfBody = kTsPacketSize - kHeaderSize - 1;
    out.push_back(static_cast<std::uint8_t>(kAfBody));
    out.push_back(kAfPcr);
    appendPcr(out, pcrBase);
    out.insert(out.end(), kAfBody - 1 - kPcrSize, 0xFF);
}

} // namespace stagecast::protocol::mpegts
