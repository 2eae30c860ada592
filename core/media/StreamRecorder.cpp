#include "StreamRecorder.h"

#include <algorithm>
#include <system_error>
#include <vector>

#include "base/Log.h"
#include "media/record/FileNameTemplate.h"
#include "media/record/Mp4Finaliser.h"
#include "media/record/RecordingFile.h"
#include "media/record/TaskQueue.h"
#include "media/record/TrackConfig.h"

namespace stagecast::media {

namespace fs = std::filesystem;
using record::RecordingEvent;
using record::RecordingEventType;
using record::RecordingState;

namespace {

/// Why `file` cannot be finalised beside itself (the copy would not fit, with a margin), or
/// nullopt when it can.
std::optional<std::string> noRoomToFinalise(const fs::path& file) {
    constexpr std::uint64_t kMargin = 16 * 1024 * 1024;
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    if (ec) {
        return std::nullopt; // the remux will name the problem
    }
    const auto space = fs::space(file.parent_path(), ec);
    if (ec || space.available >= size + kMargin) {
        return std::nullopt;
    }
    return "not enough free space to finalise (" + std::to_string(space.available / 1048576) +
           " MiB free, " + std::to_string(size / 1048576) + " MiB needed)";
}

// Drain in slices so stop() is noticed between them.
constexpr std::size_t kDrainBytes = 1024 * 1024;
constexpr int kMaxNameAttempts = 1000;

std::string extensionFor(record::Container container) {
    switch (container) {
    case record::Container::FragmentedMp4:
        return ".mp4";
    case record::Container::MpegTs:
        return ".ts";
    case record::Container::Flv:
        return ".flv";
    }
    return ".mp4";
}

record::RecordingFilePaths pathsFor(const fs::path& folder, const std::string& name,
                                    record::Container container) {
    if (container == record::Container::FragmentedMp4) {
        return {folder / (name + ".part.mp4"), folder / (name + ".mp4")};
    }
    const fs::path path = folder / (name + extensionFor(container));
    return {path, path};
}

bool taken(const record::RecordingFilePaths& paths) {
    std::error_code ec;
    return fs::exists(paths.writing, ec) || fs::exists(paths.final, ec) ||
           fs::exists(fs::path(paths.final.string() + ".tmp"), ec);
}

} // namespace

struct StreamRecorder::Publish {
    std::optional<record::VideoTrack> video;
    std::optional<record::AudioTrack> audio;
    /// This publish is being written into file_.
    bool inSegment = false;

    record::TrackSet tracks() const { return {video, audio}; }
};

StreamRecorder::StreamRecorder(stream::Hub& hub, stream::StreamKey key,
                               record::RecordingOptions options, record::RecordingCallback onEvent)
    : hub_(hub), key_(std::move(key)), options_(std::move(options)), onEvent_(std::move(onEvent)),
      finaliser_(std::make_unique<record::TaskQueue>()) {}

StreamRecorder::~StreamRecorder() {
    stop();
}

void StreamRecorder::start() {
    std::lock_guard lock(mutex_);
    if (worker_.joinable() || stop_) {
        return;
    }
    {
        std::lock_guard statusLock(statusMutex_);
        status_.running = true;
    }
    worker_ = std::thread([this] { run(); });
}

void StreamRecorder::stop() {
    halt(false);
}

void StreamRecorder::abandon() {
    halt(true);
}

void StreamRecorder::halt(bool abandonFile) {
    std::thread worker;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
        abandon_ = abandon_ || abandonFile;
        worker = std::move(worker_);
    }
    cv_.notify_all();
    if (worker.joinable()) {
        worker.join();
    }
    finaliser_->finish(); // every closed MP4 finalised, every Finished event sent
    std::lock_guard statusLock(statusMutex_);
    status_.running = false;
}

StreamRecorderStatus StreamRecorder::status() const {
    std::lock_guard lock(statusMutex_);
    return status_;
}

void StreamRecorder::wake() {
    // Called by the reader with the hub's stream lock held: only flag and signal.
    {
        std::lock_guard lock(mutex_);
        wake_ = true;
    }
    cv_.notify_one();
}

void StreamRecorder::problem(const std::string& text) {
    {
        std::lock_guard lock(statusMutex_);
        status_.lastProblem = text;
    }
    // A broken stream repeats the same problem every packet: log each new text once.
    if (text != lastLogged_) {
        lastLogged_ = text;
        base::log(base::LogLevel::Warning, "recorder", key_.str() + ": " + text);
    }
}

void StreamRecorder::deliver(const RecordingEvent& event) {
    if (!onEvent_) {
        return;
    }
    std::lock_guard lock(eventMutex_);
    onEvent_(event);
}

RecordingEvent StreamRecorder::eventFor(RecordingEventType type) const {
    RecordingEvent event;
    event.type = type;
    event.stream = key_.str();
    event.file = fileNumber_;
    event.container = record::toString(options_.container);
    event.startedAt = fileStartedAt_;
    if (file_) {
        event.path = file_->paths().writing;
        event.codecs = record::describe(file_->tracks());
        event.duration = file_->duration();
        event.bytes = file_->bytes();
    }
    return event;
}

std::chrono::milliseconds StreamRecorder::nextTimeout() const {
    if (!file_) {
        return std::chrono::milliseconds{0}; // nothing to time: sleep until woken
    }
    auto timeout = options_.progressInterval;
    if (publisherGoneAt_) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            *publisherGoneAt_ + options_.resumeWindow - hub_.now());
        timeout =
            std::clamp(left + std::chrono::milliseconds(1), std::chrono::milliseconds(1), timeout);
    }
    return timeout;
}

void StreamRecorder::run() {
    Publish publish;
    std::unique_ptr<stream::Subscription> subscription;
    std::vector<stream::PacketPtr> batch;
    std::chrono::milliseconds retry{0};

    while (true) {
        {
            std::unique_lock lock(mutex_);
            const auto timeout = retry.count() > 0 ? retry : nextTimeout();
            auto ready = [this] { return stop_ || wake_; };
            if (timeout.count() > 0) {
                cv_.wait_for(lock, timeout, ready);
            } else {
                cv_.wait(lock, ready);
            }
            wake_ = false;
            if (stop_) {
                break;
            }
        }
        retry = std::chrono::milliseconds{0};
        if (!subscription) {
            // Ends with the publisher, so each publish starts on a fresh subscription: the
            // boundary between two publishers is exact.
            auto subscribed = hub_.subscribe({.key = key_,
                                              .who = {0, "recorder", "internal"},
                                              .waitForPublisher = true,
                                              .endWithPublisher = true,
                                              .notify = [this] { wake(); }},
                                             options_.readerPolicy);
            if (!subscribed) {
                problem(subscribed.error().message());
                retry = options_.retryAfter;
                continue;
            }
            subscription = std::move(*subscribed);
            publish = {};
            std::lock_guard lock(statusMutex_);
            ++status_.subscriptions;
            status_.reader = {};
        }

        bool ended = false;
        while (!failed_) {
            batch.clear();
            const auto state = subscription->reader().drain(batch, kDrainBytes, hub_.now());
            for (const auto& packet : batch) {
                handle(publish, packet);
                if (failed_) {
                    break;
                }
            }
            if (batch.empty()) {
                ended = state != stream::ReaderState::Open;
                if (ended) {
                    base::log(base::LogLevel::Info, "recorder",
                              key_.str() + ": reader ended (" + stream::toString(state) + ")");
                }
                break;
            }
            std::lock_guard lock(mutex_);
            if (stop_) {
                break;
            }
        }
        {
            std::lock_guard lock(statusMutex_);
            const auto counters = subscription->reader().counters();
            status_.packets += counters.deliveredPackets - status_.reader.deliveredPackets;
            status_.reader = counters;
        }
        if (failed_) {
            break;
        }
        if (ended) {
            subscription.reset();
            publish = {};
            if (file_ && !publisherGoneAt_) {
                publisherGoneAt_ = hub_.now();
            }
            std::lock_guard lock(mutex_);
            wake_ = true; // subscribe again at once, waiting for the next publisher
        }
        housekeeping();
        if (failed_) {
            break;
        }
    }

    subscription.reset();
    bool abandonFile = false;
    {
        std::lock_guard lock(mutex_);
        abandonFile = abandon_;
    }
    if (file_ && abandonFile) {
        base::log(base::LogLevel::Warning, "recorder",
                  key_.str() + ": abandoning " + file_->paths().writing.string() +
                      " without finalising it");
        file_->abandon();
        file_.reset();
    } else if (file_) {
        closeFile("recorder stopped");
    }
    std::lock_guard lock(statusMutex_);
    status_.running = false;
    status_.currentFile.reset();
}

void StreamRecorder::housekeeping() {
    const auto now = hub_.now();
    if (file_ && publisherGoneAt_ && now - *publisherGoneAt_ >= options_.resumeWindow) {
        closeFile("publisher left");
    }
    if (file_ && now - lastProgress_ >= options_.progressInterval) {
        lastProgress_ = now;
        deliver(eventFor(RecordingEventType::Progress));
    }
    std::lock_guard lock(statusMutex_);
    if (file_) {
        status_.currentFile = file_->paths().writing;
    } else {
        status_.currentFile.reset();
    }
}

void StreamRecorder::handle(Publish& publish, const stream::PacketPtr& packet) {
    if (packet->kind == stream::TrackKind::Data) {
        return; // metadata: the container describes the tracks itself
    }
    if (packet->config) {
        handleConfig(publish, *packet);
        return;
    }
    auto payload = record::codedPayload(*packet);
    if (!payload) {
        problem(payload.error().message());
        std::lock_guard lock(statusMutex_);
        ++status_.skippedPackets;
        return;
    }
    if (!payload->present) {
        return;
    }
    const bool video = packet->kind == stream::TrackKind::Video;
    if ((video && !publish.video) || (!video && !publish.audio)) {
        std::lock_guard lock(statusMutex_);
        ++status_.skippedPackets; // no (supported) configuration for this track
        return;
    }
    if (!publish.inSegment) {
        if (!startSegment(publish, *packet)) {
            return;
        }
    } else {
        const bool cut = video ? packet->keyframe : !file_->tracks().video.has_value();
        if (cut) {
            const char* reason = nullptr;
            if (options_.maxDuration.count() > 0 &&
                file_->position(packet->dts) >= options_.maxDuration) {
                reason = "split: max duration";
            } else if (options_.maxBytes > 0 && file_->bytes() >= options_.maxBytes) {
                reason = "split: max size";
            }
            if (reason != nullptr) {
                closeFile(reason);
                if (failed_ || !openFile(publish.tracks())) {
                    return;
                }
                file_->beginSegment(packet->dts);
            }
        }
    }
    const auto fixesBefore = file_->timestampFixes();
    if (auto ok = file_->write(*packet, payload->data); !ok) {
        failFile(ok.error().message(), file_->paths().writing);
        return;
    }
    if (file_->timestampFixes() != fixesBefore) {
        std::lock_guard lock(statusMutex_);
        status_.timestampFixes += file_->timestampFixes() - fixesBefore;
    }
}

void StreamRecorder::handleConfig(Publish& publish, const stream::MediaPacket& packet) {
    if (packet.kind == stream::TrackKind::Video) {
        auto track = record::videoTrackFrom(packet);
        if (track) {
            publish.video = std::move(*track);
        } else {
            publish.video.reset();
            problem(track.error().message());
        }
    } else {
        auto track = record::audioTrackFrom(packet);
        if (track) {
            publish.audio = std::move(*track);
        } else {
            publish.audio.reset();
            problem(track.error().message());
        }
    }
    if (publish.inSegment && file_ && !(publish.tracks() == file_->tracks())) {
        // A track appeared, went or changed its configuration: the container's header
        // cannot follow, so the next keyframe starts a new file.
        closeFile("codecs changed");
        publish.inSegment = false;
    }
}

bool StreamRecorder::startSegment(Publish& publish, const stream::MediaPacket& packet) {
    const auto tracks = publish.tracks();
    const bool video = packet.kind == stream::TrackKind::Video;
    if (tracks.video && !(video && packet.keyframe)) {
        std::lock_guard lock(statusMutex_);
        ++status_.skippedPackets; // a file (or segment) starts on a video keyframe
        return false;
    }
    if (file_) {
        const bool inWindow =
            publisherGoneAt_ && hub_.now() - *publisherGoneAt_ < options_.resumeWindow;
        if (inWindow && file_->tracks() == tracks) {
            file_->beginSegment(packet.dts);
            publisherGoneAt_.reset();
            publish.inSegment = true;
            base::log(base::LogLevel::Info, "recorder",
                      key_.str() + ": publisher back, continuing " +
                          file_->paths().writing.string());
            std::lock_guard lock(statusMutex_);
            ++status_.resumes;
            return true;
        }
        closeFile(file_->tracks() == tracks ? "publisher left" : "codecs changed");
        if (failed_) {
            return false;
        }
    }
    if (!openFile(tracks)) {
        return false;
    }
    file_->beginSegment(packet.dts);
    publish.inSegment = true;
    return true;
}

bool StreamRecorder::openFile(const record::TrackSet& tracks) {
    fileNumber_ += 1;
    fileStartedAt_ = std::chrono::system_clock::now();
    const fs::path folder(options_.folder);
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        failFile("cannot create the recording folder " + folder.string() + ": " + ec.message(),
                 folder);
        return false;
    }
    auto nameTemplate = record::FileNameTemplate::parse(options_.fileTemplate);
    if (!nameTemplate) {
        failFile(nameTemplate.error().message(), folder);
        return false;
    }
    const std::string base = nameTemplate->render(
        {.app = key_.app(), .stream = key_.name(), .time = fileStartedAt_, .seq = fileNumber_});
    record::RecordingFilePaths paths;
    int attempt = 1;
    for (; attempt <= kMaxNameAttempts; ++attempt) {
        const std::string name = attempt == 1 ? base : base + "-" + std::to_string(attempt);
        paths = pathsFor(folder, name, options_.container);
        if (!taken(paths)) {
            break;
        }
    }
    if (attempt > kMaxNameAttempts) {
        failFile("cannot find a free file name for " + (folder / base).string() + " after " +
                     std::to_string(kMaxNameAttempts) + " tries",
                 folder / base);
        return false;
    }
    record::MuxerSetup setup;
    setup.container = options_.container;
    setup.tracks = tracks;
    setup.fragmentDuration = options_.fragmentDuration;
    auto file = record::RecordingFile::open(paths, setup);
    if (!file) {
        failFile(file.error().message(), paths.writing);
        return false;
    }
    file_ = std::move(*file);
    publisherGoneAt_.reset();
    lastProgress_ = hub_.now();
    base::log(base::LogLevel::Info, "recorder",
              key_.str() + ": recording " + paths.writing.string() + " (" +
                  record::describe(tracks) + ")");
    {
        std::lock_guard lock(statusMutex_);
        ++status_.filesStarted;
        status_.currentFile = paths.writing;
    }
    deliver(eventFor(RecordingEventType::Started));
    return true;
}

void StreamRecorder::closeFile(const std::string& reason) {
    if (!file_) {
        return;
    }
    RecordingEvent event = eventFor(RecordingEventType::Finished);
    event.reason = reason;
    const auto paths = file_->paths();
    const auto container = file_->container();
    if (auto ok = file_->finish(); !ok) {
        failFile(ok.error().message(), paths.writing);
        return;
    }
    file_.reset();
    publisherGoneAt_.reset();
    {
        std::lock_guard lock(statusMutex_);
        status_.currentFile.reset();
    }
    base::log(base::LogLevel::Info, "recorder",
              key_.str() + ": closed " + paths.writing.string() + " (" + reason + ")");
    if (container != record::Container::FragmentedMp4) {
        std::error_code ec;
        const auto size = fs::file_size(paths.final, ec);
        event.bytes = ec ? event.bytes : size;
        event.path = paths.final;
        event.state = RecordingState::Complete;
        {
            std::lock_guard lock(statusMutex_);
            ++status_.filesCompleted;
        }
        deliver(event);
        return;
    }
    // The remux reads and writes the whole file: off the worker, which keeps draining.
    finaliser_->post([this, event, paths]() mutable {
        if (auto why = noRoomToFinalise(paths.writing)) {
            // Finalising writes a second copy; without room for it the fragmented file, which
            // plays as it is, is the recording.
            event.path = paths.writing;
            event.state = RecordingState::Complete;
            event.reason += "; kept as fragmented MP4: " + *why;
            base::log(base::LogLevel::Warning, "recorder", event.stream + ": " + event.reason);
            {
                std::lock_guard lock(statusMutex_);
                ++status_.filesCompleted;
            }
            deliver(event);
            return;
        }
        auto done = record::remuxToMp4(paths.writing, paths.final);
        std::error_code ec;
        if (done) {
            fs::remove(paths.writing, ec);
            event.path = done->path;
            event.duration = done->duration;
            event.bytes = done->bytes;
            event.state = RecordingState::Complete;
            if (ec) {
                base::log(base::LogLevel::Warning, "recorder",
                          "cannot delete " + paths.writing.string() + ": " + ec.message());
            }
        } else {
            // The fragmented file is whole and plays; only its index is missing.
            event.state = RecordingState::Failed;
            event.reason = "cannot finalise: " + done.error().message() +
                           "; the fragmented recording " + paths.writing.string() +
                           " is kept and plays";
            base::log(base::LogLevel::Error, "recorder", event.stream + ": " + event.reason);
        }
        {
            std::lock_guard lock(statusMutex_);
            ++(done ? status_.filesCompleted : status_.filesFailed);
        }
        deliver(event);
    });
}

void StreamRecorder::failFile(const std::string& reason, const fs::path& path) {
    RecordingEvent event = eventFor(RecordingEventType::Finished);
    event.path = path;
    if (file_) {
        file_->abandon();
        event.bytes = file_->bytes();
        file_.reset();
    }
    event.state = RecordingState::Failed;
    event.reason = reason;
    failed_ = true;
    publisherGoneAt_.reset();
    base::log(base::LogLevel::Error, "recorder", key_.str() + ": " + reason + "; stopping");
    {
        std::lock_guard lock(statusMutex_);
        ++status_.filesFailed;
        status_.failure = reason;
        status_.currentFile.reset();
    }
    deliver(event);
}

} // namespace stagecast::media
