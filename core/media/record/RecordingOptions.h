#pragma once
/// What the stream recorder writes and where: container, folder, file-name template, split
/// limits, the reconnect window and the reader policy. Plain values; validate() names the
/// first bad one and what is allowed.

#include <chrono>
#include <cstdint>
#include <string>

#include "base/Result.h"
#include "stream/Reader.h"

namespace stagecast::media::record {

enum class Container : std::uint8_t {
    /// Fragmented MP4 written to NAME.part.mp4 (a fragment at least every second, so a
    /// killed process leaves a playable file), remuxed on a clean close into NAME.mp4 with
    /// the index in front (faststart).
    FragmentedMp4 = 1,
    MpegTs, ///< NAME.ts, written directly
    Flv,    ///< NAME.flv, written directly
};

/// "mp4", "ts", "flv".
const char* toString(Container container);
/// Parses "mp4" / "ts" / "flv"; the error lists the allowed names.
base::Result<Container> parseContainer(const std::string& name);

struct RecordingOptions {
    Container container = Container::FragmentedMp4;
    /// Folder the files go into; created when missing. Trusted configuration (may be absolute).
    std::string folder;
    /// File name without extension. Placeholders: {app}, {stream}, {time} (UTC start of the
    /// file, YYYYMMDD-HHMMSS), {seq} (1, 2, ... per recorder). Literal characters allowed:
    /// letters, digits, '.', '_', '-'. A name already taken gets "-2", "-3", ... appended.
    std::string fileTemplate = "{app}_{stream}_{time}";
    /// Start a new file at the next keyframe once the current one is this long (media time).
    /// Zero: no limit.
    std::chrono::milliseconds maxDuration{0};
    /// Start a new file at the next keyframe once the current one holds this many bytes.
    /// Zero: no limit.
    std::uint64_t maxBytes = 0;
    /// A publisher that comes back within this time with the same codecs (identical decoder
    /// configurations) continues the same file, its timestamps following on. Zero: every
    /// publish gets a file of its own.
    std::chrono::milliseconds resumeWindow{10000};
    /// Longest fragment of the fragmented MP4 (what a killed process may lose).
    std::chrono::milliseconds fragmentDuration{1000};
    /// How often the progress event is sent (wall time).
    std::chrono::milliseconds progressInterval{1000};
    /// A recorder behind a slow disk skips by GOP, and is never disconnected for slowness.
    stream::ReaderPolicy readerPolicy{std::chrono::milliseconds(10000), 64 * 1024 * 1024,
                                      std::chrono::hours(24 * 365)};
    /// Wait before subscribing again after the hub refused.
    std::chrono::milliseconds retryAfter{1000};

    base::Status validate() const;
};

} // namespace stagecast::media::record
