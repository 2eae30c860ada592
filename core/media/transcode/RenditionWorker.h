#pragma once
/// One rendition of a transcoded source, on a worker thread of its own: takes decoded source
/// pictures from a bounded queue, scales and encodes them (RenditionEncoder) and publishes the
/// result into the hub as APP/STREAM_NAME, with the source's audio passed through unchanged
/// (held back until the video has caught up with it, so the stream stays interleaved).
///
/// Overflow policy "drop to the next grid keyframe": when the queue holds `maxQueuedFrames`
/// pictures (the encoder is slower than real time), the new picture and every later one of
/// the same keyframe interval are dropped and counted; encoding resumes with the first
/// picture of the next interval, an IDR on the grid, so keyframes stay aligned with the other
/// renditions. The decoding thread is never blocked.
///
/// Threads: submit*() from the source's decoding thread; status() from any thread; finish()
/// from the owner (not the worker). The publisher lives on the worker thread.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "media/transcode/RenditionEncoder.h"
#include "stream/Hub.h"

namespace stagecast::media::transcode {

struct RenditionStatus {
    std::string name;   // "720p"
    std::string stream; // "live/foo_720p"
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    RenditionTemplate tmpl;
    std::string codecs; // "avc1.64001f", once the encoder is open
    bool live = false;  // published into the hub
    double fps = 0;     // pictures encoded per second of wall time, last second
    double speed = 0;   // fps / the source's frame rate (1.0 = keeping up in real time)
    std::uint64_t encodedFrames = 0;
    std::uint64_t droppedFrames = 0;
    std::uint64_t droppedGops = 0; // times the queue overflowed
    std::size_t queuedFrames = 0;
    std::string lastError;
};

class RenditionWorker {
public:
    RenditionWorker(stream::Hub& hub, stream::StreamKey key, EncoderSettings settings,
                    std::size_t maxQueuedFrames);
    ~RenditionWorker();
    RenditionWorker(const RenditionWorker&) = delete;
    RenditionWorker& operator=(const RenditionWorker&) = delete;

    void start();
    /// Queues a new reference to `frame` (pts in ms) of keyframe interval `grid`; false when
    /// the picture was dropped by the overflow policy.
    bool submitFrame(const AVFrame& frame, std::int64_t grid);
    /// Queues a source audio packet (AAC config or frame), passed through as it is.
    void submitAudio(const stream::PacketPtr& packet);
    /// Encodes what is queued, flushes the encoder, unpublishes and joins. Idempotent.
    void finish();

    RenditionStatus status() const;

private:
    struct Item {
        FramePtr frame; // null for audio
        std::int64_t grid = 0;
        stream::PacketPtr audio;
    };

    void run();
    void encodeFrame(RenditionEncoder& encoder, Item& item, std::vector<stream::PacketPtr>& out);
    void publishVideo(const std::vector<stream::PacketPtr>& packets);
    void publishAudio(const stream::PacketPtr& packet);
    void releaseAudio(std::optional<std::chrono::milliseconds> upTo);
    void setError(const std::string& message);

    stream::Hub& hub_;
    const stream::StreamKey key_;
    const EncoderSettings settings_;
    const std::size_t maxQueuedFrames_;

    std::mutex mutex_; // guards the queue and the drop state
    std::condition_variable cv_;
    std::deque<Item> queue_;
    std::size_t queuedFrames_ = 0;
    std::optional<std::int64_t> skipGrid_;
    bool finishing_ = false;
    std::thread thread_;

    // Worker thread only.
    std::unique_ptr<stream::Publisher> publisher_;
    std::deque<stream::PacketPtr> heldAudio_;
    std::optional<std::int64_t> lastGrid_;
    std::chrono::steady_clock::time_point windowStart_{};
    std::uint64_t windowFrames_ = 0;
    std::optional<std::int64_t> windowFirstPts_;
    std::int64_t lastPts_ = 0;

    mutable std::mutex statusMutex_;
    RenditionStatus status_;
};

} // namespace stagecast::media::transcode
