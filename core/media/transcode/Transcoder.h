#pragma once
/// Transcodes one hub stream into its renditions: subscribes like a relay, decodes the
/// source's video once (VideoDecoder) on a thread of its own, and hands each picture to one
/// RenditionWorker per rendition (scale + x264 on the worker's thread, published as
/// APP/STREAM_NAME). The source's AAC audio goes to every rendition unchanged.
///
/// The ladder is planned from the first decoded picture: a template taller than the source is
/// skipped (never upscaled) and reported. Keyframes of every rendition fall on the same source
/// pictures: the first of each kKeyframeInterval of source pts.
///
/// Never blocks the hub: the subscription's bounded reader drops by GOP when decoding falls
/// behind, and each rendition's queue drops to its next grid keyframe when encoding does.
/// Drops are counted; when they keep happening the transcoder reports "transcode_behind"
/// (and "transcode_caught_up" once none happened for `caughtUpAfter`).
///
/// Lifetime: `untilUnpublished` (a rule's transcode) ends when the source has not been
/// published again within `rejoinWindow` and then reports finished(); otherwise (on demand)
/// it waits for the next publish as long as it takes.
///
/// Threads: start(), stop(), status() from any thread except the callbacks. Events are
/// delivered on the decoding thread and must not block.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "media/transcode/Ladder.h"
#include "media/transcode/RenditionWorker.h"
#include "stream/Hub.h"

namespace stagecast::media::transcode {

struct TranscoderOptions {
    std::string preset = "veryfast"; // x264 preset for every rendition
    int threads = 1;                 // x264 threads per rendition
    /// Pictures a rendition may have waiting, as media time (at the source's frame rate).
    std::chrono::milliseconds queue{1000};
    /// Behind the source: skip to keyframes sooner than players, never disconnect.
    stream::ReaderPolicy readerPolicy{std::chrono::milliseconds(2000), 32 * 1024 * 1024,
                                      std::chrono::hours(24)};
    std::chrono::milliseconds caughtUpAfter{10000};
    std::chrono::milliseconds retryAfter{1000};
    /// A rule's transcode waits this long for its source to be published again (a publisher
    /// reconnecting) before it ends.
    std::chrono::milliseconds rejoinWindow{10000};
};

struct TranscodeSpec {
    stream::StreamKey source;
    std::vector<RenditionTemplate> renditions;
    RateMode mode = RateMode::Fixed;
    bool untilUnpublished = false;
    std::string origin; // "rule live/*" or "api"
};

/// "transcode_started", "transcode_skipped", "transcode_behind", "transcode_caught_up",
/// "transcode_ended".
struct TranscodeEvent {
    std::string type;
    std::string stream; // the source
    std::string detail;
};
using TranscodeEventSink = std::function<void(const TranscodeEvent&)>;

struct TranscoderStatus {
    std::string source;
    std::string origin;
    RateMode mode = RateMode::Fixed;
    std::string state; // "waiting", "transcoding", "finished"
    std::uint32_t sourceWidth = 0;
    std::uint32_t sourceHeight = 0;
    double sourceFrameRate = 0;
    std::string sourceCodecs; // "avc1.640028" from the source's SPS
    std::vector<std::string> requested;
    std::vector<RenditionStatus> renditions;
    std::vector<SkippedRendition> skipped;
    std::uint64_t decodedFrames = 0;
    std::uint64_t decodeErrors = 0;
    std::uint64_t sourceSkips = 0; // the hub reader skipped to a keyframe
    bool behind = false;
    std::uint64_t behindEvents = 0;
    std::string lastError;
};

class Transcoder {
public:
    Transcoder(stream::Hub& hub, TranscodeSpec spec, TranscoderOptions options,
               TranscodeEventSink onEvent);
    ~Transcoder();
    Transcoder(const Transcoder&) = delete;
    Transcoder& operator=(const Transcoder&) = delete;

    void start();
    /// Ends the renditions (unpublishing them) and joins. Idempotent.
    void stop();
    /// The thread has ended (a rule's transcode whose source unpublished): joining is quick.
    bool finished() const { return finished_.load(); }

    const TranscodeSpec& spec() const { return spec_; }
    TranscoderStatus status() const;

private:
    struct Session; // one publish of the source: decoder, workers

    void run();
    enum class Outcome : std::uint8_t { Ended = 1, Stopped, NotRepublished };
    Outcome runSubscription(stream::Subscription& subscription, bool rejoining);
    void checkBehind(Session& session, stream::Subscription& subscription);
    void report(std::string type, std::string detail);

    stream::Hub& hub_;
    const TranscodeSpec spec_;
    const TranscoderOptions options_;
    const TranscodeEventSink onEvent_;

    std::mutex mutex_; // guards wake_ and stop_
    std::condition_variable cv_;
    bool wake_ = false;
    bool stop_ = false;
    std::thread thread_;
    std::atomic<bool> finished_{false};

    mutable std::mutex statusMutex_;
    TranscoderStatus status_;
    std::vector<std::shared_ptr<RenditionWorker>> workers_; // for status(); under statusMutex_
};

} // namespace stagecast::media::transcode
