#include "DvrWindow.h"

#include <algorithm>
#include <cmath>

#include "protocol/hls/MediaPlaylist.h"

namespace stagecast::server::hls {

namespace phls = protocol::hls;

DvrWindow::DvrWindow(DvrLimits limits) : limits_(limits) {}

DvrWindow::Added DvrWindow::add(double duration, bool discontinuity, std::int64_t programDateTimeMs,
                                std::shared_ptr<const std::vector<std::uint8_t>> data) {
    DvrEntry e;
    e.sequence = next_++;
    e.duration = duration;
    e.discontinuity = !entries_.empty() && (discontinuity || pendingDiscontinuity_);
    pendingDiscontinuity_ = false;
    e.programDateTimeMs = programDateTimeMs;
    e.bytes = data ? data->size() : 0;
    e.data = std::move(data);
    bytes_ += e.bytes;
    seconds_ += duration;
    unwrittenBytes_ += e.bytes;
    maxDurationRounded_ = std::max(maxDurationRounded_, phls::roundedDuration(duration));
    entries_.push_back(std::move(e));
    Added out;
    out.sequence = entries_.back().sequence;
    evict(out.evicted);
    releaseOld();
    return out;
}

void DvrWindow::sourceRestarted() {
    pendingDiscontinuity_ = true;
}

bool DvrWindow::written(std::uint64_t sequence) {
    if (entries_.empty() || sequence < entries_.front().sequence ||
        sequence > entries_.back().sequence) {
        return false;
    }
    auto& e = entries_[static_cast<std::size_t>(sequence - entries_.front().sequence)];
    if (!e.onDisk) {
        e.onDisk = true;
        unwrittenBytes_ -= e.bytes;
    }
    releaseOld();
    return true;
}

std::vector<std::uint64_t> DvrWindow::clear() {
    std::vector<std::uint64_t> out;
    for (const auto& e : entries_) {
        out.push_back(e.sequence);
        discontinuitiesEvicted_ += e.discontinuity ? 1 : 0;
    }
    evicted_ += entries_.size();
    entries_.clear();
    bytes_ = 0;
    seconds_ = 0;
    unwrittenBytes_ = 0;
    pendingDiscontinuity_ = true;
    return out;
}

void DvrWindow::evict(std::vector<std::uint64_t>& out) {
    const auto window = static_cast<double>(limits_.window.count());
    while (entries_.size() > 1 && (seconds_ > window || bytes_ > limits_.maxBytes)) {
        const auto& e = entries_.front();
        bytes_ -= e.bytes;
        seconds_ -= e.duration;
        if (!e.onDisk) {
            unwrittenBytes_ -= e.bytes;
        }
        discontinuitiesEvicted_ += e.discontinuity ? 1 : 0;
        out.push_back(e.sequence);
        ++evicted_;
        entries_.pop_front();
    }
    seconds_ = std::max(seconds_, 0.0);
}

void DvrWindow::releaseOld() {
    // Written segments older than the newest memorySegments are read from disk.
    if (entries_.size() <= limits_.memorySegments) {
        return;
    }
    const auto end = entries_.size() - limits_.memorySegments;
    for (std::size_t i = 0; i < end; ++i) {
        if (entries_[i].onDisk) {
            entries_[i].data.reset();
        }
    }
}

std::optional<std::string> DvrWindow::playlist(const std::string& uriPrefix,
                                               const std::string& uriSuffix) const {
    if (entries_.empty()) {
        return std::nullopt;
    }
    phls::MediaPlaylist m;
    m.version = 3;
    // Fixed for the window's life (it may only grow): the configured target, raised once a
    // segment ran longer.
    const auto target =
        static_cast<std::uint64_t>(std::ceil(static_cast<double>(limits_.target.count()) / 1000.0));
    m.targetDuration = std::max(target, maxDurationRounded_);
    m.mediaSequence = entries_.front().sequence;
    m.discontinuitySequence = discontinuitiesEvicted_;
    m.independentSegments = true;
    for (const auto& e : entries_) {
        phls::Segment s;
        s.duration = e.duration;
        s.uri = uriPrefix + std::to_string(e.sequence) + ".ts" + uriSuffix;
        s.discontinuity = e.discontinuity;
        s.programDateTimeMs = e.programDateTimeMs;
        m.segments.push_back(std::move(s));
    }
    return m.render();
}

const DvrEntry* DvrWindow::find(std::uint64_t sequence) const {
    if (entries_.empty() || sequence < entries_.front().sequence ||
        sequence > entries_.back().sequence) {
        return nullptr;
    }
    return &entries_[static_cast<std::size_t>(sequence - entries_.front().sequence)];
}

} // namespace stagecast::server::hls
