#include "media/transcode/Transcoder.h"

extern "C" {
#include <libavutil/frame.h>
}

#include <cmath>

#include "base/Log.h"
#include "media/VideoDecoder.h"
#include "protocol/flv/Flv.h"

namespace stagecast::media::transcode {

namespace {

constexpr std::size_t kDrainBytes = 1024 * 1024;
constexpr auto kTick = std::chrono::milliseconds(500);

} // namespace

struct Transcoder::Session {
    VideoDecoder decoder{VideoDecoderOptions{}};
    bool planned = false;
    double frameRate = 30;
    std::vector<std::shared_ptr<RenditionWorker>> workers;
    stream::PacketPtr audioConfig;
    std::uint64_t lastDrops = 0;
    std::uint64_t lastSkips = 0;
    std::chrono::steady_clock::time_point lastDropAt{};
    std::string lastDecodeError;
};

Transcoder::Transcoder(stream::Hub& hub, TranscodeSpec spec, TranscoderOptions options,
                       TranscodeEventSink onEvent)
    : hub_(hub), spec_(std::move(spec)), options_(std::move(options)),
      onEvent_(std::move(onEvent)) {
    status_.source = spec_.source.str();
    status_.origin = spec_.origin;
    status_.mode = spec_.mode;
    status_.state = "waiting";
    for (const auto& t : spec_.renditions) {
        status_.requested.push_back(t.name);
    }
}

Transcoder::~Transcoder() {
    stop();
}

void Transcoder::start() {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable() && !stop_) {
        thread_ = std::thread([this] { run(); });
    }
}

void Transcoder::stop() {
    std::thread thread;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        thread = std::move(thread_);
    }
    cv_.notify_all();
    if (thread.joinable()) {
        thread.join();
    }
}

TranscoderStatus Transcoder::status() const {
    std::lock_guard lock(statusMutex_);
    auto s = status_;
    for (const auto& w : workers_) {
        s.renditions.push_back(w->status());
    }
    return s;
}

void Transcoder::report(std::string type, std::string detail) {
    base::log(type == "transcode_behind" ? base::LogLevel::Warning : base::LogLevel::Info,
              "transcode", spec_.source.str() + ": " + type + ": " + detail);
    if (onEvent_) {
        onEvent_({std::move(type), spec_.source.str(), std::move(detail)});
    }
}

void Transcoder::run() {
    bool rejoining = spec_.untilUnpublished;
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stop_) {
                break;
            }
        }
        auto subscribed = hub_.subscribe({.key = spec_.source,
                                          .who = {0, "transcode", "internal"},
                                          .waitForPublisher = true,
                                          .endWithPublisher = true,
                                          .notify =
                                              [this] {
                                                  {
                                                      std::lock_guard lock(mutex_);
                                                      wake_ = true;
                                                  }
                                                  cv_.notify_one();
                                              }},
                                         options_.readerPolicy);
        if (!subscribed) {
            {
                std::lock_guard lock(statusMutex_);
                status_.lastError = subscribed.error().message();
            }
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, options_.retryAfter, [this] { return stop_; });
            continue;
        }
        const auto outcome = runSubscription(**subscribed, rejoining);
        subscribed->reset();
        if (outcome != Outcome::Ended) {
            break;
        }
        rejoining = spec_.untilUnpublished;
        std::lock_guard lock(statusMutex_);
        status_.state = "waiting";
    }
    {
        std::lock_guard lock(statusMutex_);
        status_.state = "finished";
    }
    finished_ = true;
}

Transcoder::Outcome Transcoder::runSubscription(stream::Subscription& subscription,
                                                bool rejoining) {
    Session session;
    const auto rejoinBy = std::chrono::steady_clock::now() + options_.rejoinWindow;
    const auto plan = [&](const AVFrame& frame) {
        session.planned = true;
        if (auto snap = hub_.snapshot(spec_.source)) {
            session.frameRate = snap->video.nominalFrameRate > 0 ? snap->video.nominalFrameRate
                                : snap->frameRate > 1            ? std::round(snap->frameRate)
                                                                 : 30.0;
        }
        const auto w = static_cast<std::uint32_t>(frame.width);
        const auto h = static_cast<std::uint32_t>(frame.height);
        auto ladder = planLadder(w, h, spec_.renditions);
        const auto queued = static_cast<std::size_t>(
            std::ceil(session.frameRate * static_cast<double>(options_.queue.count()) / 1000.0));
        std::string names;
        for (const auto& r : ladder.renditions) {
            auto key = stream::StreamKey::make(spec_.source.app(),
                                               spec_.source.name() + "_" + r.tmpl.name);
            if (!key) {
                ladder.skipped.push_back({r.tmpl.name, key.error().message()});
                continue;
            }
            EncoderSettings settings{r, spec_.mode, options_.preset, options_.threads,
                                     session.frameRate};
            auto worker = std::make_shared<RenditionWorker>(hub_, *key, settings, queued);
            worker->start();
            if (session.audioConfig) {
                worker->submitAudio(session.audioConfig);
            }
            session.workers.push_back(worker);
            names += (names.empty() ? "" : ", ") + key->str() + " " + std::to_string(r.width) +
                     "x" + std::to_string(r.height);
        }
        {
            std::lock_guard lock(statusMutex_);
            status_.state = "transcoding";
            status_.sourceWidth = w;
            status_.sourceHeight = h;
            status_.sourceFrameRate = session.frameRate;
            status_.skipped = ladder.skipped;
            workers_ = session.workers;
        }
        for (const auto& s : ladder.skipped) {
            report("transcode_skipped", s.reason);
        }
        report("transcode_started", std::to_string(w) + "x" + std::to_string(h) + " " +
                                        toString(spec_.mode) + " -> " +
                                        (names.empty() ? "no rendition" : names));
    };
    const FrameSink sink = [&](const AVFrame& frame) {
        if (!session.planned) {
            plan(frame);
        }
        const auto pts = frame.pts != AV_NOPTS_VALUE ? frame.pts : frame.best_effort_timestamp;
        const auto grid = gridIndex(std::chrono::milliseconds(pts));
        for (const auto& w : session.workers) {
            w->submitFrame(frame, grid);
        }
    };

    std::vector<stream::PacketPtr> batch;
    bool ended = false;
    auto nextCheck = std::chrono::steady_clock::now() + kTick;
    while (true) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, kTick, [this] { return stop_ || wake_; });
            wake_ = false;
            if (stop_) {
                break;
            }
        }
        while (true) {
            batch.clear();
            const auto state = subscription.reader().drain(batch, kDrainBytes, hub_.now());
            for (const auto& packet : batch) {
                if (packet->kind == stream::TrackKind::Audio) {
                    if (packet->config) {
                        session.audioConfig = packet;
                    }
                    for (const auto& w : session.workers) {
                        w->submitAudio(packet);
                    }
                    continue;
                }
                if (packet->kind != stream::TrackKind::Video) {
                    continue;
                }
                if (packet->config) {
                    if (auto tag = protocol::flv::parseVideoTag(packet->payload)) {
                        auto codecs =
                            avcCodecString(std::span(packet->payload).subspan(tag->payloadOffset));
                        std::lock_guard lock(statusMutex_);
                        status_.sourceCodecs = codecs.value_or("");
                    }
                }
                if (auto ok = session.decoder.decode(*packet, sink);
                    !ok && ok.error().message() != session.lastDecodeError) {
                    session.lastDecodeError = ok.error().message();
                    base::log(base::LogLevel::Warning, "transcode",
                              spec_.source.str() + ": " + session.lastDecodeError);
                }
            }
            if (batch.empty()) {
                ended = state != stream::ReaderState::Open;
                break;
            }
            std::lock_guard lock(mutex_);
            if (stop_) {
                break;
            }
        }
        if (std::chrono::steady_clock::now() >= nextCheck) {
            checkBehind(session, subscription);
            nextCheck = std::chrono::steady_clock::now() + kTick;
        }
        if (ended) {
            break;
        }
        if (rejoining && !session.planned && !subscription.live() &&
            std::chrono::steady_clock::now() > rejoinBy) {
            return Outcome::NotRepublished;
        }
    }
    if (ended) {
        (void)session.decoder.flush(sink);
    }
    for (const auto& w : session.workers) {
        w->finish();
    }
    checkBehind(session, subscription);
    {
        std::lock_guard lock(statusMutex_);
        status_.renditions.clear();
        for (const auto& w : session.workers) {
            status_.renditions.push_back(w->status()); // the last figures stay visible
        }
        workers_.clear();
        if (status_.behind) {
            status_.behind = false;
        }
    }
    if (session.planned) {
        report("transcode_ended", ended ? "the source's publish ended" : "stopped");
    }
    return ended ? Outcome::Ended : Outcome::Stopped;
}

void Transcoder::checkBehind(Session& session, stream::Subscription& subscription) {
    if (!session.planned) {
        return; // waiting for a publish: keep the figures of the last one
    }
    std::uint64_t drops = 0;
    std::string perRendition;
    for (const auto& w : session.workers) {
        const auto s = w->status();
        drops += s.droppedFrames;
        perRendition += (perRendition.empty() ? "" : ", ") + s.name + " " +
                        std::to_string(s.droppedFrames) + " (speed " +
                        std::to_string(static_cast<int>(s.speed * 100)) + "%)";
    }
    const auto skips = subscription.reader().counters().skips;
    const auto counters = session.decoder.counters();
    const auto now = std::chrono::steady_clock::now();
    bool raise = false;
    bool clear = false;
    {
        std::lock_guard lock(statusMutex_);
        status_.decodedFrames = counters.frames;
        status_.decodeErrors = counters.errors;
        status_.sourceSkips = skips;
        if (drops > session.lastDrops || skips > session.lastSkips) {
            session.lastDropAt = now;
            if (!status_.behind) {
                status_.behind = true;
                ++status_.behindEvents;
                raise = true;
            }
        } else if (status_.behind && now - session.lastDropAt >= options_.caughtUpAfter) {
            status_.behind = false;
            clear = true;
        }
    }
    if (raise) {
        report("transcode_behind", "encoding is slower than real time, pictures dropped: " +
                                       perRendition + "; source skips " + std::to_string(skips));
    } else if (clear) {
        report("transcode_caught_up",
               "no picture dropped for " + std::to_string(options_.caughtUpAfter.count()) + " ms");
    }
    session.lastDrops = drops;
    session.lastSkips = skips;
}

} // namespace stagecast::media::transcode
