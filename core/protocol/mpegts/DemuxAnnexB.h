#pragma once
/// Annex B byte stream splitting (ITU-T H.264 B.1.1, H.265 B.2.1) and the AVCC/HVCC sample
/// form that FLV carries (ISO/IEC 14496-15: 4-byte big-endian NAL unit lengths).

#include <cstdint>
#include <span>
#include <vector>

namespace stagecast::protocol::mpegts::demux {

/// Splits `data` at its 3- and 4-byte start codes into NAL units (without start codes or the
/// trailing_zero_8bits before the next start code). Bytes before the first start code are not
/// a NAL unit and are skipped; empty NAL units are left out. Views point into `data`.
std::vector<std::span<const std::uint8_t>> splitAnnexB(std::span<const std::uint8_t> data);

/// Appends `nal` with a 4-byte length prefix.
void appendLengthPrefixed(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> nal);

} // namespace stagecast::protocol::mpegts::demux
