#include "monitor/ViewerStats.h"

#include <algorithm>
#include <functional>

namespace stagecast::monitor {

namespace {

std::uint64_t viewerHash(const stream::HubEvent& event) {
    // Address and user agent, separated by a byte neither can hold.
    std::string id = event.address;
    id += '\n';
    id += event.userAgent;
    return std::hash<std::string>{}(id);
}

std::chrono::milliseconds average(std::chrono::milliseconds total, std::uint64_t count) {
    return count == 0 ? std::chrono::milliseconds{0}
                      : total / static_cast<std::chrono::milliseconds::rep>(count);
}

} // namespace

void ViewerStats::up(ViewerCount& count) {
    ++count.current;
    count.peak = std::max(count.peak, count.current);
}

void ViewerStats::down(ViewerCount& count) {
    if (count.current > 0) {
        --count.current;
    }
}

void ViewerStats::onHubEvent(const stream::HubEvent& event) {
    if (event.clientId == 0) {
        return; // relays and internal readers are not viewers
    }
    if (event.type == stream::HubEventType::ClientJoined) {
        std::lock_guard lock(mutex_);
        joinLocked(event);
    } else if (event.type == stream::HubEventType::ClientLeft) {
        std::lock_guard lock(mutex_);
        leaveLocked(event);
    }
}

ViewerStats::Totals& ViewerStats::streamLocked(const std::string& stream) {
    auto it = streams_.find(stream);
    if (it != streams_.end()) {
        return it->second;
    }
    if (streams_.size() >= kMaxStreams) {
        std::erase_if(streams_,
                      [](const auto& entry) { return entry.second.viewers.current == 0; });
    }
    return streams_[stream];
}

void ViewerStats::joinLocked(const stream::HubEvent& event) {
    if (!sessions_.emplace(event.clientId, Session{event.stream, event.protocol, event.time})
             .second) {
        return; // a second join of one client: counted once
    }
    auto& totals = streamLocked(event.stream);
    up(all_.viewers);
    up(all_.byProtocol[event.protocol]);
    up(totals.viewers);
    up(totals.byProtocol[event.protocol]);
    const auto id = viewerHash(event);
    if (all_.unique.size() < kMaxUnique) {
        all_.unique.insert(id);
        if (totals.unique.size() < kMaxUnique / 10) {
            totals.unique.insert(id);
        }
    } else if (!all_.unique.contains(id)) {
        uniqueCapped_ = true;
    }
}

void ViewerStats::leaveLocked(const stream::HubEvent& event) {
    auto it = sessions_.find(event.clientId);
    if (it == sessions_.end()) {
        return;
    }
    Session session = std::move(it->second);
    sessions_.erase(it);
    auto watched = std::max(
        std::chrono::milliseconds{0},
        std::chrono::duration_cast<std::chrono::milliseconds>(event.time - session.joinedAt));
    down(all_.viewers);
    down(all_.byProtocol[session.protocol]);
    ++all_.sessionsEnded;
    all_.watched += watched;
    auto stream = streams_.find(session.stream);
    if (stream != streams_.end()) {
        down(stream->second.viewers);
        down(stream->second.byProtocol[session.protocol]);
        ++stream->second.sessionsEnded;
        stream->second.watched += watched;
    }
}

ViewersReport ViewerStats::report() const {
    std::lock_guard lock(mutex_);
    ViewersReport r;
    r.viewers = all_.viewers;
    r.byProtocol = all_.byProtocol;
    r.unique = all_.unique.size();
    r.uniqueCapped = uniqueCapped_;
    r.sessionsEnded = all_.sessionsEnded;
    r.averageWatch = average(all_.watched, all_.sessionsEnded);
    for (const auto& [name, totals] : streams_) {
        StreamViewers s;
        s.stream = name;
        s.viewers = totals.viewers;
        s.byProtocol = totals.byProtocol;
        s.unique = totals.unique.size();
        s.sessionsEnded = totals.sessionsEnded;
        s.averageWatch = average(totals.watched, totals.sessionsEnded);
        r.streams.push_back(std::move(s));
    }
    return r;
}

std::map<std::string, std::size_t> ViewerStats::viewersByProtocol(const std::string& stream) const {
    std::map<std::string, std::size_t> out;
    std::lock_guard lock(mutex_);
    auto it = streams_.find(stream);
    if (it != streams_.end()) {
        for (const auto& [protocol, count] : it->second.byProtocol) {
            if (count.current > 0) {
                out[protocol] = count.current;
            }
        }
    }
    return out;
}

} // namespace stagecast::monitor
