#pragma once
/// Records one hub stream to files by stream copy (no decode, no encode), on a worker thread
/// of its own.
///
/// The recorder subscribes like an internal reader (client id 0, protocol "recorder"),
/// waits for a publisher, and starts a file at the first video keyframe (the first audio
/// frame for an audio-only stream) with the tracks whose configurations it has seen:
/// H.264/HEVC video, AAC audio; other codecs are left out and reported in status().
///
/// Files (see record::RecordingOptions): fragmented MP4 written as NAME.part.mp4 and, when
/// the file ends normally, remuxed on a background thread into NAME.mp4 with the index in
/// front; or MPEG-TS / FLV written directly. A new file starts at a keyframe once the
/// current one reaches the maximum duration or size, and when the codec configuration
/// changes. When the publisher leaves, the file stays open for `resumeWindow`: a publisher
/// that comes back in time with identical configurations continues it, its timestamps
/// following on from the last ones written; otherwise the file is closed.
///
/// Slowness never reaches the publisher: the hub's bounded reader skips by GOP when the
/// disk is slow (`readerPolicy`; never disconnected for it). Disk and muxer work happen on
/// the worker, never on the publisher's network thread.
///
/// A failure to create or write a file (folder not writable, disk full) ends that file
/// with a Finished event in state Failed naming the path and the system's reason, and the
/// recorder stops: it unsubscribes and status() reports the failure. The hub and other
/// readers are not affected.
///
/// Threads: start(), stop(), abandon() and status() from any thread, but not from the
/// event callback. Events come from the worker and the finaliser thread, never two at once
/// (record::RecordingCallback).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "media/record/RecordingEvent.h"
#include "media/record/RecordingOptions.h"
#include "stream/Hub.h"

namespace stagecast::media {

namespace record {
class RecordingFile;
class TaskQueue;
struct TrackSet;
} // namespace record

struct StreamRecorderStatus {
    bool running = false;
    /// Set when the recorder stopped because a file could not be created or written.
    std::string failure;
    std::optional<std::filesystem::path> currentFile;
    std::uint64_t filesStarted = 0;
    std::uint64_t filesCompleted = 0;
    std::uint64_t filesFailed = 0;
    std::uint64_t resumes = 0;        // publishers that continued an open file
    std::uint64_t subscriptions = 0;  // one per publish followed
    std::uint64_t packets = 0;        // taken from the hub, over all subscriptions
    std::uint64_t skippedPackets = 0; // not recordable: unsupported codec, before a keyframe
    std::uint64_t timestampFixes = 0; // dts moved to stay increasing
    stream::ReaderCounters reader;    // of the current subscription
    std::string lastProblem;          // the latest non-fatal problem, also logged
};

class StreamRecorder {
public:
    /// `options` must have passed validate().
    StreamRecorder(stream::Hub& hub, stream::StreamKey key, record::RecordingOptions options,
                   record::RecordingCallback onEvent);
    ~StreamRecorder();
    StreamRecorder(const StreamRecorder&) = delete;
    StreamRecorder& operator=(const StreamRecorder&) = delete;

    /// Starts the worker (once).
    void start();
    /// Stops recording: the open file is closed normally (finalised: may take a while for a
    /// long MP4) and every Finished event has been sent when this returns. Idempotent.
    void stop();
    /// Stops like a killed process would: the open file is closed without its trailer or
    /// finalisation and gets no Finished event (NAME.part.mp4 stays, playable up to its
    /// last fragment). For crash-recovery tests and emergency shutdown.
    void abandon();

    const stream::StreamKey& key() const { return key_; }
    StreamRecorderStatus status() const;

private:
    struct Publish;
    void halt(bool abandonFile);
    void run();
    void wake();
    std::chrono::milliseconds nextTimeout() const;
    void handle(Publish& publish, const stream::PacketPtr& packet);
    void handleConfig(Publish& publish, const stream::MediaPacket& packet);
    bool startSegment(Publish& publish, const stream::MediaPacket& packet);
    bool openFile(const record::TrackSet& tracks);
    void closeFile(const std::string& reason);
    void failFile(const std::string& reason, const std::filesystem::path& path);
    void housekeeping();
    void deliver(const record::RecordingEvent& event);
    record::RecordingEvent eventFor(record::RecordingEventType type) const;
    void problem(const std::string& text);

    stream::Hub& hub_;
    const stream::StreamKey key_;
    const record::RecordingOptions options_;
    const record::RecordingCallback onEvent_;

    std::mutex mutex_; // guards wake_, stop_, abandon_; never held while calling the hub
    std::condition_variable cv_;
    bool wake_ = true;
    bool stop_ = false;
    bool abandon_ = false;
    std::thread worker_;

    // Worker only.
    std::unique_ptr<record::RecordingFile> file_;
    std::uint64_t fileNumber_ = 0;
    std::chrono::system_clock::time_point fileStartedAt_{};
    std::optional<stream::SteadyTime> publisherGoneAt_;
    stream::SteadyTime lastProgress_{};
    bool failed_ = false;
    std::string lastLogged_;

    std::unique_ptr<record::TaskQueue> finaliser_;
    std::mutex eventMutex_; // one event at a time

    mutable std::mutex statusMutex_;
    StreamRecorderStatus status_;
};

} // namespace stagecast::media
