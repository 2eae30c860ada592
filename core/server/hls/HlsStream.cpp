#include "HlsStream.h"

#include <boost/asio/post.hpp>

#include "base/Log.h"
#include "server/ServerContext.h"

namespace stagecast::server::hls {

namespace {

constexpr std::size_t kMaxBatchBytes = 1024 * 1024;

std::atomic<std::uint64_t> nextPackagerId{1};

std::chrono::steady_clock::rep nowTicks() {
    return std::chrono::steady_clock::now().time_since_epoch().count();
}

} // namespace

HlsStream::HlsStream(ServerContext& ctx, boost::asio::io_context& io, stream::StreamKey key,
                     SegmenterOptions options, std::optional<LlOptions> ll,
                     std::vector<HlsOutput*> outputs, HlsKeyStore* keys)
    : ctx_(ctx), io_(io), key_(std::move(key)), segmenter_(options), lowLatency_(ll.has_value()),
      outputs_(std::move(outputs)), packagerId_(nextPackagerId++),
      keepSegments_(options.windowSegments + options.extraSegments), keyStore_(keys),
      lastRequest_(nowTicks()), lastLive_(nowTicks()) {
    if (ll) {
        ll_.emplace(*ll);
    }
}

base::Status HlsStream::start() {
    std::weak_ptr<HlsStream> weak = weak_from_this();
    wakeup_.emplace(io_.get_executor(), [weak] {
        if (auto self = weak.lock()) {
            self->drain();
        }
    });
    auto subscribed =
        ctx_.hub.subscribe({key_, {0, "hls-packager", "hls"}, false, false, wakeup_->notifier()});
    if (!subscribed) {
        return base::fail(subscribed.error());
    }
    subscription_ = std::move(*subscribed);
    base::log(base::LogLevel::Info, "hls", key_.str() + ": packaging started");
    boost::asio::post(io_, [self = shared_from_this()] { self->drain(); });
    return {};
}

void HlsStream::stop() {
    ended_ = true;
    {
        // Its segments go with the packager: so do its keys (now, while the store's workers
        // run; again on the packager's thread for a key made meanwhile).
        std::lock_guard lock(mutex_);
        syncKeys(true);
    }
    boost::asio::post(io_, [self = shared_from_this()] {
        {
            std::lock_guard lock(self->mutex_);
            self->syncKeys(true);
        }
        if (self->subscription_) {
            self->subscription_.reset();
            self->wakeup_.reset();
            base::log(base::LogLevel::Info, "hls", self->key_.str() + ": packaging stopped");
        }
    });
}

void HlsStream::drain() {
    if (wakeup_) {
        wakeup_->clear();
    }
    if (!subscription_ || ended_) {
        return;
    }
    bool live = subscription_->live();
    if (live) {
        lastLive_ = nowTicks();
    }
    batch_.clear();
    auto state = subscription_->reader().drain(batch_, kMaxBatchBytes, ctx_.hub.now());
    std::vector<std::function<void()>> wake;
    {
        std::lock_guard lock(mutex_);
        if (live && !wasLive_) {
            segmenter_.markDiscontinuity(); // a new publisher on the same stream
            if (ll_) {
                ll_->markDiscontinuity();
            }
        }
        const auto before = ll_ ? ll_->version() : 0;
        const auto arrivedMs = ProgramClock::nowMs(); // the batch left the hub just now
        for (const auto& p : batch_) {
            segmenter_.push(*p, arrivedMs);
            if (ll_) {
                ll_->push(*p, arrivedMs);
            }
        }
        if (ll_ && ll_->version() != before) {
            wake.swap(waiters_);
        }
        syncKeys(false);
        // New complete segments go to the outputs, the newest with the playlist that lists
        // it (and every segment before it). Key URIs point at the studio.
        while (!outputs_.empty() && outputNext_ < segmenter_.nextSequence()) {
            const bool newest = outputNext_ + 1 == segmenter_.nextSequence();
            auto segment = segmenter_.segment(outputNext_);
            auto keyPrefix = keyStore_ != nullptr ? std::optional(studioKeyPrefix()) : std::nullopt;
            if (segment) {
                HlsOutputJob job{
                    key_.app(),
                    key_.name(),
                    packagerId_,
                    outputNext_,
                    segment->data,
                    newest ? segmenter_.playlistModel("", "", keyPrefix) : std::nullopt,
                    outputNext_ >= keepSegments_ ? outputNext_ - keepSegments_ + 1 : 0};
                for (std::size_t i = 0; i + 1 < outputs_.size(); ++i) {
                    outputs_[i]->enqueue(job);
                }
                outputs_.back()->enqueue(std::move(job));
            }
            ++outputNext_;
        }
        for (; dvr_ != nullptr && dvrNext_ < segmenter_.nextSequence(); ++dvrNext_) {
            if (auto segment = segmenter_.segment(dvrNext_)) {
                dvr_->add(*segment); // only queues the write
            }
        }
        if (segmenter_.forcedCuts() != reportedForcedCuts_) {
            reportedForcedCuts_ = segmenter_.forcedCuts();
            base::log(base::LogLevel::Warning, "hls",
                      key_.str() + ": no keyframe for too long, segment cut without one");
        }
        if (segmenter_.cipherFailures() != reportedCipherFailures_) {
            reportedCipherFailures_ = segmenter_.cipherFailures();
            base::log(base::LogLevel::Error, "hls",
                      key_.str() + ": a segment could not be encrypted and was dropped");
        }
    }
    for (const auto& w : wake) {
        w();
    }
    wasLive_ = live;
    if (state != stream::ReaderState::Open && batch_.empty()) {
        {
            std::lock_guard lock(mutex_);
            wake.swap(waiters_);
        }
        for (const auto& w : wake) {
            w();
        }
        base::log(base::LogLevel::Info, "hls",
                  key_.str() + ": reader ended: " + stream::toString(state));
        ended_ = true;
        subscription_.reset();
        wakeup_.reset();
        return;
    }
    if (!batch_.empty()) {
        // More may be queued than one batch: come back without waiting for a new packet.
        boost::asio::post(io_, [self = shared_from_this()] { self->drain(); });
    }
}

std::shared_ptr<const PlaylistTemplate> HlsStream::playlist(const std::string& uriPrefix) const {
    const std::string marker(1, PlaylistTemplate::kMarker);
    std::lock_guard lock(mutex_);
    auto render = [&]() -> std::shared_ptr<const PlaylistTemplate> {
        auto text = segmenter_.playlist(uriPrefix, marker);
        return text ? std::make_shared<const PlaylistTemplate>(std::move(*text)) : nullptr;
    };
    if (keyStore_ != nullptr) {
        return render();
    }
    const auto next = segmenter_.nextSequence();
    const auto count = segmenter_.completeSegments();
    if (!rendered_ || rendered_->uriPrefix != uriPrefix || rendered_->nextSequence != next ||
        rendered_->segments != count) {
        rendered_ = RenderedPlaylist{uriPrefix, next, count, render()};
    }
    return rendered_->text;
}

std::shared_ptr<const HlsSegment> HlsStream::segment(std::uint64_t sequence) const {
    std::lock_guard lock(mutex_);
    return segmenter_.segment(sequence);
}

std::shared_ptr<const HlsKey> HlsStream::key(std::string_view id) const {
    std::lock_guard lock(mutex_);
    return segmenter_.key(id);
}

std::string HlsStream::studioKeyPrefix() const {
    // The port the HTTP listener got (options.httpPort is updated once it listens).
    return "http://" + ctx_.options.hls.keyUriHost + ":" + std::to_string(ctx_.options.httpPort) +
           "/" + key_.app() + "/" + key_.name() + "/key/";
}

void HlsStream::syncKeys(bool all) {
    if (keyStore_ == nullptr) {
        return;
    }
    for (auto& k : segmenter_.takeNewKeys()) {
        keyStore_->store(key_.app(), key_.name(), std::move(k));
    }
    auto gone = segmenter_.takeRetiredKeys();
    if (all) {
        for (auto& k : segmenter_.keys()) {
            gone.push_back(std::move(k));
        }
    }
    for (const auto& k : gone) {
        keyStore_->remove(key_.app(), key_.name(), k->id);
    }
}

std::size_t HlsStream::completeSegments() const {
    std::lock_guard lock(mutex_);
    return segmenter_.completeSegments();
}

std::size_t HlsStream::bytes() const {
    std::lock_guard lock(mutex_);
    return segmenter_.bytes() + (ll_ ? ll_->bytes() : 0);
}

std::optional<std::string> HlsStream::llPlaylist(const std::string& prefix,
                                                 const std::string& suffix) const {
    std::lock_guard lock(mutex_);
    return ll_ ? ll_->playlist(prefix, suffix) : std::nullopt;
}

std::shared_ptr<const std::vector<std::uint8_t>> HlsStream::llInit(std::uint32_t version) const {
    std::lock_guard lock(mutex_);
    return ll_ ? ll_->init(version) : nullptr;
}

std::shared_ptr<const LlPart> HlsStream::llPart(std::uint64_t msn, std::uint32_t index) const {
    std::lock_guard lock(mutex_);
    return ll_ ? ll_->part(msn, index) : nullptr;
}

std::shared_ptr<const std::vector<std::uint8_t>> HlsStream::llSegment(std::uint64_t msn) const {
    std::lock_guard lock(mutex_);
    return ll_ ? ll_->segment(msn) : nullptr;
}

bool HlsStream::llHas(std::uint64_t msn, std::optional<std::uint32_t> index) const {
    std::lock_guard lock(mutex_);
    return ll_ && ll_->has(msn, index);
}

std::uint64_t HlsStream::llLiveMsn() const {
    std::lock_guard lock(mutex_);
    return ll_ ? ll_->liveMsn() : 0;
}

std::uint32_t HlsStream::llNextPart() const {
    std::lock_guard lock(mutex_);
    if (!ll_) {
        return 0;
    }
    std::uint32_t next = 0;
    while (ll_->has(ll_->liveMsn(), next)) {
        ++next;
    }
    return next;
}

void HlsStream::whenChanged(std::function<void()> wake) {
    {
        std::lock_guard lock(mutex_);
        if (!ended_) {
            waiters_.push_back(std::move(wake));
            return;
        }
    }
    wake();
}

std::chrono::steady_clock::time_point HlsStream::lastRequest() const {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(lastRequest_));
}

std::chrono::steady_clock::time_point HlsStream::lastLive() const {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(lastLive_));
}

} // namespace stagecast::server::hls
