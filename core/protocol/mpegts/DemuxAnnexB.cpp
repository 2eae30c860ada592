#include "DemuxAnnexB.h"

namespace stagecast::protocol::mpegts::demux {
namespace {

/// Index of the next 00 00 01 at or after `from`, or data.size().
std::size_t findStartCode(std::span<const std::uint8_t> data, std::size_t from) {
    for (std::size_t i = from; i + 2 < data.size();) {
        if (data[i + 2] > 1) {
            i += 3; // no start code can end at i+2 or cover it
        } else if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
            return i;
        } else {
            ++i;
        }
    }
    return data.size();
}

} // namespace

std::vector<std::span<const std::uint8_t>> splitAnnexB(std::span<const std::uint8_t> data) {
    std::vector<std::span<const std::uint8_t>> nals;
    std::size_t start = findStartCode(data, 0);
    while (start < data.size()) {
        const std::size_t begin = start + 3;
        const std::size_t next = findStartCode(data, begin);
        std::size_t end = next;
        // The zero_byte of a 4-byte start code and trailing_zero_8bits belong to no NAL unit;
        // a NAL unit never ends in 0x00 (its rbsp_stop_one_bit or cabac_zero_word 03).
        while (end > begin && data[end - 1] == 0) {
            --end;
        }
        if (end > begin) {
            nals.push_back(data.subspan(begin, end - begin));
        }
        start = next;
    }
    return nals;
}

void appendLengthPrefixed(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> nal) {
    const auto size = static_cast<std::uint32_t>(nal.size());
    out.push_back(static_cast<std::uint8_t>(size >> 24));
    out.push_back(static_cast<std::uint8_t>(size >> 16));
    out.push_back(static_cast<std::uint8_t>(size >> 8));
    out.push_back(static_cast<std::uint8_t>(size));
    out.insert(out.end(), nal.begin(), nal.end());
}

} // namespace stagecast::protocol::mpegts::demux
