#pragma once
/// One file being recorded: the muxer plus the file's timeline. A file holds one or more
/// segments, one per publish it records (a publisher that reconnects within the resume
/// window adds a segment); each segment maps its publisher's timestamps so that it follows
/// on from what the file already holds, and the file starts at 0.
///
/// Per track, decode timestamps stay increasing: a packet that would go backwards is moved
/// just past the previous one (and counted); audio from before the segment's first keyframe
/// is dropped, so a segment starts cleanly on its keyframe.
///
/// Thread: the recorder's worker.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>

#include "base/Result.h"
#include "media/record/MuxerWriter.h"
#include "stream/MediaPacket.h"

namespace stagecast::media::record {

struct RecordingFilePaths {
    std::filesystem::path writing; // NAME.part.mp4, NAME.ts, NAME.flv
    std::filesystem::path final;   // NAME.mp4 (MP4), else the same as `writing`
};

class RecordingFile {
public:
    static base::Result<std::unique_ptr<RecordingFile>> open(RecordingFilePaths paths,
                                                             const MuxerSetup& setup);

    const RecordingFilePaths& paths() const { return paths_; }
    const TrackSet& tracks() const { return tracks_; }
    Container container() const { return container_; }

    /// Starts a segment whose first packet has the publisher's decode time `firstDts`.
    void beginSegment(std::chrono::milliseconds firstDts);
    /// Where the publisher's `dts` falls in the file (valid once a segment began).
    std::chrono::milliseconds position(std::chrono::milliseconds dts) const;
    /// Writes one media packet's coded `data` (publisher timeline).
    base::Status write(const stream::MediaPacket& packet, std::span<const std::uint8_t> data);

    /// Media time the file holds so far.
    std::chrono::milliseconds duration() const;
    std::uint64_t bytes() const { return writer_->bytes(); }
    std::uint64_t segments() const { return segments_; }
    std::uint64_t timestampFixes() const { return timestampFixes_; }
    std::uint64_t droppedBeforeStart() const { return droppedBeforeStart_; }

    base::Status finish() { return writer_->finish(); }
    void abandon() { writer_->abandon(); }

private:
    struct TrackTime {
        std::optional<std::int64_t> lastDts;
        std::int64_t lastStep = 0;
        std::int64_t end = 0; // last pts + step: where the track's media ends
    };
    RecordingFile(RecordingFilePaths paths, std::unique_ptr<MuxerWriter> writer,
                  const MuxerSetup& setup);

    RecordingFilePaths paths_;
    std::unique_ptr<MuxerWriter> writer_;
    TrackSet tracks_;
    Container container_;
    std::int64_t offset_ = 0;       // publisher ms -> file ms for the current segment
    std::int64_t segmentStart_ = 0; // file ms where the current segment starts
    std::uint64_t segments_ = 0;
    TrackTime video_;
    TrackTime audio_;
    std::uint64_t timestampFixes_ = 0;
    std::uint64_t droppedBeforeStart_ = 0;
};

} // namespace stagecast::media::record
