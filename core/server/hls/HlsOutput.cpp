#include "HlsOutput.h"

#include <algorithm>

#include "base/Log.h"

namespace stagecast::server::hls {

namespace phls = protocol::hls;

namespace {

std::string streamOf(const HlsOutputJob& job) {
    return job.app + "/" + job.name;
}

/// The playlist rule (see the header): the run of stored segments ending at the newest.
std::optional<std::string> renderStored(phls::MediaPlaylist m,
                                        const std::set<std::uint64_t>& stored) {
    std::size_t end = m.segments.size();
    std::size_t first = end;
    while (first > 0 && stored.contains(m.mediaSequence + first - 1)) {
        --first;
    }
    if (first == end) {
        return std::nullopt; // the newest segment is not stored
    }
    for (std::size_t i = 0; i < first; ++i) {
        m.discontinuitySequence += m.segments[i].discontinuity ? 1 : 0;
    }
    m.mediaSequence += first;
    m.segments.erase(m.segments.begin(), m.segments.begin() + static_cast<std::ptrdiff_t>(first));
    return m.render();
}

} // namespace

const char* toString(HlsOutputState state) {
    switch (state) {
    case HlsOutputState::Idle:
        return "idle";
    case HlsOutputState::Ok:
        return "ok";
    case HlsOutputState::Retrying:
        return "retrying";
    case HlsOutputState::Failing:
        return "failing";
    }
    return "unknown";
}

HlsOutput::HlsOutput(std::string kind, std::string target, Limits limits)
    : kind_(std::move(kind)), target_(std::move(target)), limits_(limits) {}

HlsOutput::~HlsOutput() {
    stop(); // normally done by the subclass already, while its hooks still exist
}

void HlsOutput::startThread() {
    thread_ = std::thread([this] { run(); });
}

std::size_t HlsOutput::jobBytes(const HlsOutputJob& job) const {
    return job.segment ? job.segment->size() : 0;
}

void HlsOutput::enqueue(HlsOutputJob job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        const auto stream = streamOf(job);
        auto& st = streams_[stream];
        if (st.stats.output.empty()) {
            st.stats.output = kind_;
            st.stats.target = target_;
        }
        queuedBytes_ += jobBytes(job);
        ++st.queued;
        jobs_.push_back(std::move(job));
        // Over the stream's bound: its oldest job goes. Over the byte bound: the oldest of all.
        auto dropAt = [this](std::deque<HlsOutputJob>::iterator it) {
            auto& owner = streams_[streamOf(*it)];
            --owner.queued;
            owner.stats.dropped += it->segment ? 1 : 0;
            queuedBytes_ -= jobBytes(*it);
            jobs_.erase(it);
        };
        if (st.queued > limits_.maxJobsPerStream) {
            dropAt(std::find_if(jobs_.begin(), jobs_.end(),
                                [&](const HlsOutputJob& j) { return streamOf(j) == stream; }));
        }
        while (jobs_.size() > 1 && queuedBytes_ > limits_.maxQueuedBytes) {
            dropAt(jobs_.begin());
        }
    }
    cv_.notify_one();
}

void HlsOutput::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::optional<HlsOutputStats> HlsOutput::stats(const std::string& stream) const {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(stream);
    if (it == streams_.end()) {
        return std::nullopt;
    }
    return it->second.stats;
}

void HlsOutput::countReconnect(const std::string& stream) {
    std::lock_guard lock(mutex_);
    ++streams_[stream].stats.reconnects;
}

void HlsOutput::countRemoved(const std::string& stream, std::uint64_t n) {
    std::lock_guard lock(mutex_);
    streams_[stream].stats.removed += n;
}

void HlsOutput::run() {
    for (;;) {
        HlsOutputJob job;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) {
                return; // stopping, and everything queued had its attempt
            }
            job = std::move(jobs_.front());
            jobs_.pop_front();
            queuedBytes_ -= jobBytes(job);
            --streams_[streamOf(job)].queued;
        }
        process(job);
    }
}

template <typename F>
bool HlsOutput::attemptWithRetries(const std::string& stream, F&& attempt) {
    for (unsigned retry = 1;; ++retry) {
        auto result = attempt();
        if (result.error.empty()) {
            return true;
        }
        auto delay = result.retry ? retryDelay(retry) : std::nullopt;
        noteFailure(stream, result.error, delay.has_value());
        if (!delay) {
            return false;
        }
        std::unique_lock lock(mutex_);
        const bool giveWay = cv_.wait_for(lock, *delay, [&] {
            return stopping_ || streams_[stream].queued >= limits_.maxJobsPerStream;
        });
        if (giveWay) {
            streams_[stream].stats.state = HlsOutputState::Failing;
            return false;
        }
    }
}

void HlsOutput::process(const HlsOutputJob& job) {
    const auto stream = streamOf(job);
    {
        std::lock_guard lock(mutex_);
        auto& st = streams_[stream];
        if (st.packager != job.packager) {
            st.packager = job.packager; // a new packager: its numbers start again
            st.stored.clear();
        }
    }
    if (job.segment) {
        const bool ok = attemptWithRetries(stream, [&] { return storeSegment(job); });
        std::lock_guard lock(mutex_);
        auto& st = streams_[stream];
        if (ok) {
            st.stored.insert(job.sequence);
            ++st.stats.segments;
            st.stats.bytes += job.segment->size();
            st.stats.state = HlsOutputState::Ok;
        } else {
            ++st.stats.dropped;
        }
    }
    if (!job.playlist) {
        return; // a newer job of the same batch carries the playlist
    }
    std::optional<std::string> text;
    {
        std::lock_guard lock(mutex_);
        text = renderStored(*job.playlist, streams_[stream].stored);
    }
    if (text && attemptWithRetries(stream, [&] { return storePlaylist(job, *text); })) {
        {
            std::lock_guard lock(mutex_);
            auto& st = streams_[stream];
            ++st.stats.playlists;
            st.stats.bytes += text->size();
            st.stats.state = HlsOutputState::Ok;
        }
        if (lastLogged_.erase(stream) > 0) {
            base::log(base::LogLevel::Info, "hls",
                      stream + ": HLS " + kind_ + ": storing again to " + target_);
        }
    }
    std::vector<std::uint64_t> expired;
    {
        std::lock_guard lock(mutex_);
        auto& stored = streams_[stream].stored;
        for (auto it = stored.begin(); it != stored.end() && *it < job.keepFrom;) {
            expired.push_back(*it);
            it = stored.erase(it);
        }
    }
    removeExpired(job, expired);
}

void HlsOutput::noteFailure(const std::string& stream, const std::string& message, bool retrying) {
    {
        std::lock_guard lock(mutex_);
        auto& st = streams_[stream].stats;
        ++st.errors;
        st.lastError = message;
        st.state = retrying ? HlsOutputState::Retrying : HlsOutputState::Failing;
    }
    auto& last = lastLogged_[stream];
    if (last != message) {
        last = message;
        logFailure(stream, message);
    }
}

} // namespace stagecast::server::hls
