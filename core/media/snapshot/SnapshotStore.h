#pragma once
/// Where snapshots live on disk: FOLDER/APP/STREAM/latest.jpg (replaced atomically: written
/// to a temporary file in the same folder, then renamed over the old one, so a reader never
/// sees half a picture) and FOLDER/APP/STREAM/evidence/TIMESTAMP.jpg (copies kept because a
/// moderation item refers to them; never replaced, and deleted only by pruneEvidence() once
/// older than the retention).
///
/// No FFmpeg here: bytes in, files out. Errors name the path and the system's reason.
/// Thread-safe: every member only touches the file system (a rename is atomic).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/Result.h"
#include "stream/StreamKey.h"

namespace stagecast::media::snapshot {

struct SnapshotFile {
    std::string stream; // "APP/STREAM"
    std::filesystem::path path;
    std::chrono::system_clock::time_point takenAt; // the file's modification time
    std::uintmax_t bytes = 0;
};

class SnapshotStore {
public:
    explicit SnapshotStore(std::filesystem::path folder);

    const std::filesystem::path& folder() const { return folder_; }
    /// FOLDER/APP/STREAM/latest.jpg (whether it exists or not).
    std::filesystem::path latestPath(const stream::StreamKey& key) const;

    /// Replaces latest.jpg of `key` with `jpeg`, creating the folders as needed.
    /// "cannot write snapshot FOLDER/live/a/latest.jpg: Permission denied".
    base::Status writeLatest(const stream::StreamKey& key, std::span<const std::uint8_t> jpeg);

    /// The latest snapshot of `key`, if one was written.
    std::optional<SnapshotFile> latest(const stream::StreamKey& key) const;
    /// Every stream's latest snapshot, sorted by stream.
    std::vector<SnapshotFile> list() const;
    /// The bytes of latest.jpg; an error when there is none or it cannot be read.
    base::Result<std::vector<std::uint8_t>> readLatest(const stream::StreamKey& key) const;

    /// Copies latest.jpg to FOLDER/APP/STREAM/evidence/TIMESTAMP.jpg (UTC,
    /// 20261204T081500.123Z, a suffix when taken twice in a millisecond) and returns that path.
    /// "no snapshot of live/a yet" when there is nothing to keep.
    base::Result<std::filesystem::path>
    keep(const stream::StreamKey& key,
         std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

    /// Deletes every stream's evidence copies modified before `cutoff`; returns how many.
    /// Files that cannot be deleted are skipped (and left for the next prune).
    std::size_t pruneEvidence(std::chrono::system_clock::time_point cutoff) const;
    /// The same for one stream.
    std::size_t pruneEvidence(const stream::StreamKey& key,
                              std::chrono::system_clock::time_point cutoff) const;

private:
    std::size_t pruneFolder(const std::filesystem::path& evidence,
                            std::chrono::system_clock::time_point cutoff) const;

    std::filesystem::path folder_;
};

/// "20261204T081500.123Z".
std::string evidenceStamp(std::chrono::system_clock::time_point t);

} // namespace stagecast::media::snapshot
