#pragma once
/// Turns a fragmented MP4 (what the recorder writes while live, or what a killed process left
/// behind) into a normal MP4 with its index in front (faststart), by stream copy.
///
/// A file cut off in the middle of a fragment is read up to the last whole one. The output
/// is written beside it as a temporary file and renamed into place, so an interrupted run
/// never leaves a half-written NAME.mp4.
///
/// Thread: any; blocking disk work (call it on a worker thread, never a network thread).

#include <chrono>
#include <cstdint>
#include <filesystem>

#include "base/Result.h"

namespace stagecast::media::record {

struct FinalisedFile {
    std::filesystem::path path;
    std::chrono::milliseconds duration{0};
    std::uint64_t bytes = 0;
};

/// Remuxes `source` into `target`. Fails naming the file and the problem (unreadable, no
/// media in it, cannot write the target). Leaves `source` in place.
base::Result<FinalisedFile> remuxToMp4(const std::filesystem::path& source,
                                       const std::filesystem::path& target);

/// For NAME.part.mp4 left by a crash: writes NAME.mp4 and, once that succeeded, deletes the
/// part file. Fails (keeping the part file) when the name does not end in ".part.mp4" or
/// the file holds no readable media.
base::Result<FinalisedFile> recoverFragmented(const std::filesystem::path& partFile);

/// Reads every packet of a recording in any container (MPEG-TS or FLV left by a crash play as
/// they are) and returns its media duration and size. Fails naming the file when it cannot
/// be read or holds no media.
base::Result<FinalisedFile> measureFile(const std::filesystem::path& file);

/// "NAME.part.mp4" -> "NAME.mp4"; empty when `partFile` does not end in ".part.mp4".
std::filesystem::path finalPathFor(const std::filesystem::path& partFile);

} // namespace stagecast::media::record
