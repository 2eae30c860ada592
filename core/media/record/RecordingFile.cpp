#include "RecordingFile.h"

#include <algorithm>

namespace stagecast::media::record {

namespace {
// Steps assumed before a track has two packets: about one video frame / one AAC frame.
constexpr std::int64_t kDefaultVideoStep = 33;
constexpr std::int64_t kDefaultAudioStep = 21;
} // namespace

base::Result<std::unique_ptr<RecordingFile>> RecordingFile::open(RecordingFilePaths paths,
                                                                 const MuxerSetup& setup) {
    auto writer = MuxerWriter::open(paths.writing, setup);
    if (!writer) {
        return base::fail(writer.error());
    }
    return std::unique_ptr<RecordingFile>(
        new RecordingFile(std::move(paths), std::move(*writer), setup));
}

RecordingFile::RecordingFile(RecordingFilePaths paths, std::unique_ptr<MuxerWriter> writer,
                             const MuxerSetup& setup)
    : paths_(std::move(paths)), writer_(std::move(writer)), tracks_(setup.tracks),
      container_(setup.container) {}

void RecordingFile::beginSegment(std::chrono::milliseconds firstDts) {
    // The new segment starts where the file's media ends (0 for a new file).
    segmentStart_ = segments_ == 0 ? 0 : duration().count();
    offset_ = segmentStart_ - firstDts.count();
    ++segments_;
}

std::chrono::milliseconds RecordingFile::position(std::chrono::milliseconds dts) const {
    return std::chrono::milliseconds(dts.count() + offset_);
}

std::chrono::milliseconds RecordingFile::duration() const {
    return std::chrono::milliseconds(std::max(video_.end, audio_.end));
}

base::Status RecordingFile::write(const stream::MediaPacket& packet,
                                  std::span<const std::uint8_t> data) {
    const bool video = packet.kind == stream::TrackKind::Video;
    TrackTime& time = video ? video_ : audio_;
    std::int64_t dts = packet.dts.count() + offset_;
    std::int64_t pts = dts + (video ? packet.cts.count() : 0);
    if (dts < segmentStart_ && !(video && packet.keyframe)) {
        // Interleaving put it after the segment's keyframe, but it belongs before.
        ++droppedBeforeStart_;
        return {};
    }
    if (time.lastDts && dts <= *time.lastDts) {
        const std::int64_t moved = *time.lastDts + 1;
        pts += moved - dts;
        dts = moved;
        ++timestampFixes_;
    }
    if (pts < dts) {
        pts = dts;
        ++timestampFixes_;
    }
    if (auto ok = writer_->write({packet.kind, data, std::chrono::milliseconds(dts),
                                  std::chrono::milliseconds(pts), packet.keyframe});
        !ok) {
        return ok;
    }
    if (time.lastDts) {
        time.lastStep = dts - *time.lastDts;
    }
    time.lastDts = dts;
    const std::int64_t step =
        time.lastStep > 0 ? time.lastStep : (video ? kDefaultVideoStep : kDefaultAudioStep);
    time.end = std::max(time.end, pts + step);
    return {};
}

} // namespace stagecast::media::record
