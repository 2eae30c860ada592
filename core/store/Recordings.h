#pragma once
/// Repository for `recordings`: the catalogue of recorded files.
///
/// A recording is named by its file path (unique), which the recorder knows from the start,
/// so start and finish can both be enqueued without waiting for a row id.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "store/Time.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

enum class RecordingState : std::uint8_t {
    Recording = 1, // being written
    Complete,
    Failed,      // the recorder stopped on an error (reason says which)
    Interrupted, // Stagecast stopped while recording; the file is playable up to that point
    Deleted,     // the file was removed; the row stays for history
    Recovered,   // left by a crash and made playable at the next start
};

const char* toString(RecordingState state);
std::optional<RecordingState> parseRecordingState(std::string_view text);

struct NewRecording {
    std::string stream; // "APP/STREAM"
    std::string path;
    Time startedAt;
    std::string codecs; // e.g. "h264,aac"
};

struct RecordingEnd {
    Time endedAt;
    std::chrono::milliseconds duration{0};
    std::int64_t sizeBytes = 0;
    RecordingState state = RecordingState::Complete;
    std::string reason;
    /// Where the file is now when it moved (NAME.part.mp4 finalised into NAME.mp4); empty:
    /// unchanged.
    std::string newPath;
};

/// Which rows list() returns: every condition given must hold.
struct RecordingFilter {
    std::optional<RecordingState> state;
    std::optional<std::string> stream; // "APP/STREAM"
    std::size_t limit = 100;
    std::size_t offset = 0;
};

struct Recording {
    std::int64_t id = 0;
    std::string stream;
    std::string path;
    Time startedAt;
    std::optional<Time> endedAt;
    std::optional<std::chrono::milliseconds> duration;
    std::optional<std::int64_t> sizeBytes;
    std::string codecs;
    RecordingState state = RecordingState::Recording;
    std::string reason;
};

class Recordings {
public:
    Recordings() = delete;

    /// Returns the new row's id; fails if the path is already catalogued.
    static base::Result<std::int64_t> insert(WriteContext& context, const NewRecording& recording);
    /// Returns the number of rows updated (0: the path is not catalogued).
    static base::Result<std::int64_t> finish(WriteContext& context, std::string_view path,
                                             const RecordingEnd& end);
    /// Sets state (and reason) only, e.g. Deleted; returns rows updated.
    static base::Result<std::int64_t> setState(WriteContext& context, std::string_view path,
                                               RecordingState state, std::string_view reason);
    /// Rows still Recording after a restart become Interrupted; returns how many.
    static base::Result<std::int64_t> markInterrupted(WriteContext& context, Time at);
    /// Newest first; nullopt state: all.
    static base::Result<std::vector<Recording>> list(StoreReader& reader,
                                                     std::optional<RecordingState> state,
                                                     std::size_t limit = 100,
                                                     std::size_t offset = 0);
    static base::Result<std::vector<Recording>> list(StoreReader& reader,
                                                     const RecordingFilter& filter);
    /// One row by id; nullopt when there is none.
    static base::Result<std::optional<Recording>> get(StoreReader& reader, std::int64_t id);
};

} // namespace stagecast::store
