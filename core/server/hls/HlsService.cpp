#include "HlsService.h"

#include <boost/asio/post.hpp>

#include "base/HttpUrl.h"
#include "base/Log.h"
#include "server/IoPool.h"
#include "server/ServerContext.h"
#include "server/hls/HlsFolderWriter.h"
#include "server/hls/HlsOriginWriter.h"

namespace stagecast::server::hls {

HlsService::HlsService(ServerContext& ctx, IoPool& pool, HlsOptions options)
    : ctx_(ctx), pool_(pool), options_(options),
      sessions_(ctx, options.maxSessions, options.sessionTimeout), reaperIo_(pool.next()),
      reaper_(reaperIo_) {
    // Per stream, as many jobs as segments a late reader may still ask for.
    const HlsOutput::Limits limits{options_.windowSegments + options_.extraSegments, 64 << 20};
    if (!options_.folder.empty()) {
        outputs_.push_back(std::make_unique<HlsFolderWriter>(options_.folder, limits));
    }
    if (!options_.originUrl.empty()) {
        // The config check refused a bad URL already; this one is the same text.
        if (auto url = base::parseHttpUrl(options_.originUrl)) {
            outputs_.push_back(std::make_unique<HlsOriginWriter>(
                OriginOptions{*url, options_.originDelete, options_.originHeader,
                              options_.originTimeout,
                              OriginTls{options_.originCaFile, options_.originTlsVerify}},
                limits));
        } else {
            base::log(base::LogLevel::Error, "hls",
                      "hls.origin_url: " + url.error().message() + ": no HLS origin output");
        }
    }
    if (options_.encrypt) {
        keys_ = std::make_unique<HlsKeyStore>(options_.keyFolder, ctx.workers);
    }
    if (options_.dvrWindow.count() > 0 && options_.encrypt) {
        // Keys leave with the memory window: stored segments could not be decrypted later,
        // and keeping keys for hours would widen what a leaked key opens.
        dvrRefusal_ = "DVR is not kept while hls.encrypt is on";
    } else if (options_.dvrWindow.count() > 0) {
        DvrLimits dvrLimits{options_.dvrWindow, options_.dvrMaxBytes,
                            options_.windowSegments + options_.extraSegments,
                            options_.segmentTarget};
        dvr_ = std::make_unique<DvrService>(options_.dvrFolder, dvrLimits, options_.maxStreams,
                                            ctx.workers);
    }
}

HlsService::~HlsService() = default;

void HlsService::start() {
    if (options_.mode == HlsMode::Off) {
        return;
    }
    if (keys_) {
        keys_->removeStale();
    }
    if (dvr_) {
        dvr_->removeLeftovers();
    }
    if (!dvrRefusal_.empty()) {
        base::log(base::LogLevel::Warning, "hls",
                  dvrRefusal_ + ": hls.dvr_window_seconds is ignored (encrypted segments are not "
                                "stored beyond the live window)");
    }
    boost::asio::post(reaperIo_, [this] { scheduleReap(); });
}

void HlsService::stop() {
    stopped_ = true;
    boost::asio::post(reaperIo_, [this] { reaper_.cancel(); });
    std::map<stream::StreamKey, std::shared_ptr<HlsStream>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(streams_);
    }
    for (auto& [key, s] : all) {
        s->stop();
    }
    sessions_.closeAll("server shutting down");
    for (auto& output : outputs_) {
        output->stop(); // after the packagers: what they queued gets its attempt
    }
    if (dvr_) {
        dvr_->stop(); // a time-shift buffer, not a recording: deleted (again at start)
    }
}

base::Result<std::shared_ptr<HlsStream>> HlsService::acquire(const stream::StreamKey& key) {
    if (options_.mode == HlsMode::Off) {
        return base::fail("HLS is turned off (hls.mode = \"off\")");
    }
    std::lock_guard lock(mutex_);
    if (auto it = streams_.find(key); it != streams_.end() && !it->second->ended()) {
        return it->second;
    }
    if (streams_.size() >= options_.maxStreams) {
        return base::fail("too many HLS streams: limit " + std::to_string(options_.maxStreams));
    }
    SegmenterOptions so{options_.segmentTarget, options_.windowSegments,
                        options_.extraSegments, options_.maxStreamBytes,
                        options_.encrypt,       options_.keyRotateSegments};
    std::optional<LlOptions> ll;
    // LL-HLS (fMP4) has no encryption yet: never served in the clear beside encrypted HLS.
    if (options_.lowLatency && !options_.encrypt) {
        ll = LlOptions{options_.segmentTarget, options_.partTarget, options_.windowSegments,
                       options_.extraSegments, options_.maxStreamBytes};
    }
    std::vector<HlsOutput*> outputs;
    for (auto& output : outputs_) {
        outputs.push_back(output.get());
    }
    auto stream = std::make_shared<HlsStream>(ctx_, pool_.next(), key, so, ll, std::move(outputs),
                                              keys_.get());
    if (dvr_) {
        stream->setDvr(dvr_->open(key));
    }
    if (auto ok = stream->start(); !ok) {
        return base::fail(ok.error());
    }
    streams_[key] = stream;
    return stream;
}

std::shared_ptr<HlsStream> HlsService::find(const stream::StreamKey& key) const {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(key);
    return it == streams_.end() ? nullptr : it->second;
}

std::size_t HlsService::packagers() const {
    std::lock_guard lock(mutex_);
    return streams_.size();
}

std::vector<HlsOutputStats> HlsService::outputStats(const std::string& stream) const {
    std::vector<HlsOutputStats> out;
    for (const auto& output : outputs_) {
        if (auto s = output->stats(stream)) {
            out.push_back(std::move(*s));
        }
    }
    return out;
}

void HlsService::onHubEvent(const stream::HubEvent& event) {
    // Hub locks are held here: only post.
    if (!packagesOnPublish() || event.type != stream::HubEventType::Published) {
        return;
    }
    boost::asio::post(reaperIo_, [this, name = event.stream] {
        if (stopped_) {
            return;
        }
        auto key = stream::StreamKey::parse(name);
        if (!key) {
            return;
        }
        if (auto started = acquire(*key); !started) {
            base::log(base::LogLevel::Warning, "hls",
                      name + ": packaging not started: " + started.error().message());
        }
    });
}

void HlsService::scheduleReap() {
    if (stopped_) {
        return;
    }
    reaper_.expires_after(std::chrono::seconds(1));
    reaper_.async_wait([this](const boost::system::error_code& ec) {
        if (ec || stopped_) {
            return;
        }
        reap();
        scheduleReap();
    });
}

void HlsService::reap() {
    sessions_.reap();
    auto now = std::chrono::steady_clock::now();
    std::vector<std::shared_ptr<HlsStream>> idle;
    {
        std::lock_guard lock(mutex_);
        for (auto it = streams_.begin(); it != streams_.end();) {
            auto& s = it->second;
            bool unused = !packagesOnPublish() ? now - s->lastRequest() > options_.idleStop
                                               : now - s->lastLive() > options_.idleStop;
            if (s->ended() || unused) {
                idle.push_back(s);
                it = streams_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& s : idle) {
        s->stop();
    }
    idle.clear(); // the packagers let go of their DVR windows
    if (dvr_) {
        dvr_->reap();
    }
}

bool HlsService::packagesOnPublish() const {
    // A DVR window records from the publish, not from the first viewer.
    return options_.mode == HlsMode::Always || (options_.mode != HlsMode::Off && dvr_);
}

} // namespace stagecast::server::hls
