#pragma once
/// What the stream recorder reports about each file it writes: Started once, Progress about
/// once a second while it grows, Finished once (complete or failed). A file abandoned by
/// StreamRecorder::abandon() (a simulated crash) gets no Finished event, like a killed
/// process; recoverFragmented() turns what it left into a normal MP4.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace stagecast::media::record {

enum class RecordingEventType : std::uint8_t { Started = 1, Progress, Finished };
enum class RecordingState : std::uint8_t { Complete = 1, Failed };

/// "started", "progress", "finished"; "complete", "failed".
const char* toString(RecordingEventType type);
const char* toString(RecordingState state);

struct RecordingEvent {
    RecordingEventType type = RecordingEventType::Started;
    std::string stream; // APP/STREAM
    /// Numbers the recorder's files 1, 2, ...: ties a file's events together (its path
    /// changes from NAME.part.mp4 to NAME.mp4 when it is finalised).
    std::uint64_t file = 0;
    /// Started/Progress: the file being written. Finished: where the recording is now (the
    /// finalised NAME.mp4; on failure the file as it was left, if any).
    std::filesystem::path path;
    /// Started: the tracks ("h264 320x240, aac 48000 Hz 2 ch") and the container ("mp4").
    std::string codecs;
    std::string container;
    std::chrono::system_clock::time_point startedAt{};
    /// Media time in the file and its size so far (Finished: final figures).
    std::chrono::milliseconds duration{0};
    std::uint64_t bytes = 0;
    /// Finished only.
    RecordingState state = RecordingState::Complete;
    /// Finished: why the file ended ("recorder stopped", "publisher left", "split: max
    /// duration", "codecs changed") or, when failed, the error naming the path and the
    /// system's reason.
    std::string reason;
};

/// Called on the recorder's threads (its worker, or its finaliser for MP4 files), never two
/// at once. Must return quickly (enqueue) and must not call the recorder's stop().
using RecordingCallback = std::function<void(const RecordingEvent&)>;

} // namespace stagecast::media::record
