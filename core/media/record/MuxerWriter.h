#pragma once
/// Writes one recording file with libavformat, stream copy: the coded packets go into the
/// container as they came (no decode, no encode). H.264/HEVC video and AAC audio, timestamps
/// in milliseconds (time base 1/1000).
///
/// Each packet is held back until the next one of its track arrives, so its duration is
/// known exactly (the MP4 fragments carry sample durations); the last one takes the
/// duration of the one before it. The file is flushed to the operating system after every
/// packet (flush_packets): a killed process loses what the muxer still buffers (fragmented
/// MP4: the fragment being built, at most `fragmentDuration`), never what was written.
///
/// Errors name the file and the system's reason ("cannot write /rec/a.part.mp4: No space left
/// on device"). After an error the writer only accepts abandon() / destruction.
///
/// Thread: used from one thread (the recorder's worker). Destroying an unfinished writer
/// abandons it.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "base/Result.h"
#include "media/FfHandles.h"
#include "media/record/RecordingOptions.h"
#include "media/record/TrackConfig.h"
#include "stream/MediaPacket.h"

namespace stagecast::media::record {

struct MuxerSetup {
    Container container = Container::FragmentedMp4;
    TrackSet tracks;
    /// Fragmented MP4: the longest fragment (a new one also starts at each keyframe).
    std::chrono::milliseconds fragmentDuration{1000};
};

/// One coded unit in the file's timeline.
struct MuxerSample {
    stream::TrackKind kind = stream::TrackKind::Video;
    std::span<const std::uint8_t> data;
    std::chrono::milliseconds dts{0};
    std::chrono::milliseconds pts{0};
    bool keyframe = false;
};

class MuxerWriter {
public:
    /// Creates (truncates) `path` and writes the container header. Fails naming the path and
    /// the reason: a folder that cannot be written, a codec the container cannot hold.
    static base::Result<std::unique_ptr<MuxerWriter>> open(const std::filesystem::path& path,
                                                           const MuxerSetup& setup);
    ~MuxerWriter();
    MuxerWriter(const MuxerWriter&) = delete;
    MuxerWriter& operator=(const MuxerWriter&) = delete;

    /// Queues one sample. Per track, dts must increase (the caller keeps them monotonic).
    base::Status write(const MuxerSample& sample);
    /// Writes what is held back and the trailer, and closes the file.
    base::Status finish();
    /// Closes the file without the trailer, as a killed process would leave it.
    void abandon();

    const std::filesystem::path& path() const { return path_; }
    /// Bytes handed to the file so far.
    std::uint64_t bytes() const;

private:
    struct Track {
        int index = -1;
        AvPacketPtr held; // the previous packet, waiting for its duration
        std::int64_t lastDuration = 0;
    };
    MuxerWriter(std::filesystem::path path, OutputFormatPtr context);
    Track* trackFor(stream::TrackKind kind);
    base::Status release(Track& track, std::int64_t nextDts);
    base::Status ioError(const char* what, int code);

    std::filesystem::path path_;
    OutputFormatPtr context_;
    Track video_;
    Track audio_;
    bool failed_ = false;
    bool closed_ = false;
    std::uint64_t finalBytes_ = 0;
};

} // namespace stagecast::media::record
