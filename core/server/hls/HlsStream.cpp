#include "HlsStream.h"

#include <boost/asio/post.hpp>

#include "base/Log.h"
#include "server/ServerContext.h"

namespace stagecast::server::hls {

namespace {

constexpr std::size_t kMaxBatchBytes = 1024 * 1024;

std::chrono::steady_clock::rep nowTicks() {
    return std::chrono::steady_clock::now().time_since_epoch().count();
}

} // namespace

HlsStream::HlsStream(ServerContext& ctx, boost::asio::io_context& io, stream::StreamKey key,
                     SegmenterOptions options)
    : ctx_(ctx), io_(io), key_(std::move(key)), segmenter_(options), lastRequest_(nowTicks()),
      lastLive_(nowTicks()) {}

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
    boost::asio::post(io_, [self = shared_from_this()] {
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
    {
        std::lock_guard lock(mutex_);
        if (live && !wasLive_) {
            segmenter_.markDiscontinuity(); // a new publisher on the same stream
        }
        for (const auto& p : batch_) {
            segmenter_.push(*p);
        }
        if (segmenter_.forcedCuts() != reportedForcedCuts_) {
            reportedForcedCuts_ = segmenter_.forcedCuts();
            base::log(base::LogLevel::Warning, "hls",
                      key_.str() + ": no keyframe for too long, segment cut without one");
        }
    }
    wasLive_ = live;
    if (state != stream::ReaderState::Open && batch_.empty()) {
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

std::optional<std::string> HlsStream::playlist(const std::string& uriPrefix,
                                               const std::string& uriSuffix) const {
    std::lock_guard lock(mutex_);
    return segmenter_.playlist(uriPrefix, uriSuffix);
}

std::shared_ptr<const HlsSegment> HlsStream::segment(std::uint64_t sequence) const {
    std::lock_guard lock(mutex_);
    return segmenter_.segment(sequence);
}

std::size_t HlsStream::completeSegments() const {
    std::lock_guard lock(mutex_);
    return segmenter_.completeSegments();
}

std::size_t HlsStream::bytes() const {
    std::lock_guard lock(mutex_);
    return segmenter_.bytes();
}

std::chrono::steady_clock::time_point HlsStream::lastRequest() const {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(lastRequest_));
}

std::chrono::steady_clock::time_point HlsStream::lastLive() const {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(lastLive_));
}

} // namespace stagecast::server::hls
