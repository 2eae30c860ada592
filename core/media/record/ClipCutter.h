#pragma once
/// Cuts a recording (MP4, fragmented .part.mp4, MPEG-TS, FLV: anything libavformat reads)
/// between two source times into a new file whose container follows the output's extension
/// (.mp4, .mov, .mkv, .ts, .flv).
///
/// Copy mode stream-copies every video and audio track from the last keyframe at or before
/// `from` up to `to`: no decoding, so the clip starts up to one GOP early. Accurate mode
/// decodes the video from that keyframe, drops pictures before `from` and re-encodes
/// [from, to) with libx264; audio packets in [from, to) are copied. Both shift the clip to
/// start at 0.
///
/// cutClip() is synchronous; ClipExporter runs it on a thread. It never leaves a partial
/// output: on failure or cancel the file it created is deleted.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "base/Result.h"

namespace stagecast::media::record {

enum class ClipMode : std::uint8_t { Copy = 1, Accurate };

/// "copy" or "accurate"; the error names the allowed values.
base::Result<ClipMode> parseClipMode(std::string_view text);
std::string_view toString(ClipMode mode);

struct ClipRequest {
    std::filesystem::path input;
    std::filesystem::path output;
    std::chrono::duration<double> from{0}; // source time, seconds
    std::chrono::duration<double> to{0};
    ClipMode mode = ClipMode::Copy;
};

struct ClipOutcome {
    /// Source time of the clip's first picture (copy mode: the keyframe at or before `from`).
    std::chrono::duration<double> startsAt{0};
    /// Media time written (the last packet's end, from the clip's start).
    std::chrono::duration<double> duration{0};
    std::uintmax_t bytes = 0;
};

/// Receives the share of the clip written so far, 0..1, by output media time; 1 only once the
/// file is complete. Runs on the cutting thread.
using ClipProgressFn = std::function<void(double)>;

/// Errors: "recording not found: PATH", "clip start 10 s must be before its end 5 s",
/// "clip start 30 s is past the end of the recording (20.0 s)", "cannot write clip PATH:
/// Permission denied", "clip export cancelled", and FFmpeg's reasons with the file named.
base::Result<ClipOutcome> cutClip(const ClipRequest& request, const ClipProgressFn& progress,
                                  const std::atomic<bool>& cancelled);

} // namespace stagecast::media::record
