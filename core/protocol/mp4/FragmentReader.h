#pragma once
/// Reads the sample timing of fragmented MP4 media (ISO/IEC 14496-12 8.8: moof > traf >
/// tfhd, tfdt, trun), the inverse of fragment() for what a player needs to place samples on
/// the timeline: track, decode time, composition offset, size, sync flag. Sample data and
/// mdat are skipped; boxes it does not know are skipped. Sans-I/O; for input from the
/// network (a benchmark player of LL-HLS parts), so every length is checked.

#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::mp4 {

struct FragmentSample {
    std::uint32_t trackId = 0;
    std::uint64_t decodeTime = 0; // in the track's timescale (Stagecast: ms)
    std::int32_t ctsOffset = 0;
    std::uint32_t size = 0;
    bool sync = false; // sample_is_non_sync_sample clear (no flags at all: true)
};

/// Every sample of every moof in `bytes` (one or more moof + mdat pairs, e.g. a part or a
/// segment), in order. Errors name the box that is malformed ("trun: 3 samples need 36 bytes,
/// 20 left"); a traf without tfdt is an error (its times would be guesses).
base::Result<std::vector<FragmentSample>> readFragmentSamples(std::span<const std::uint8_t> bytes);

} // namespace stagecast::protocol::mp4
