#pragma once
/// Which streams are live, as a hub listener sees them: kept up to date from Published and
/// Unpublished events and corrected from the hub's snapshot (so a missed or reordered event
/// cannot leave a stream behind), with the time each stream that was seen live ended.
/// Used by the managers that keep one worker per live stream (probes, recorders).
///
/// Not thread-safe: the owner guards it with its own lock.

#include <chrono>
#include <map>
#include <set>

#include "stream/HubEvent.h"
#include "stream/StreamKey.h"

namespace stagecast::stream {

class Hub;

class LiveStreams {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    /// Applies a Published or Unpublished event; false for any other event or a bad name.
    bool apply(const HubEvent& event, TimePoint now);
    /// Makes the set equal to the hub's live streams; streams no longer live get `now` as
    /// their end unless they already have one.
    void reconcile(const Hub& hub, TimePoint now);

    const std::set<StreamKey>& live() const { return live_; }
    bool isLive(const StreamKey& key) const { return live_.contains(key); }
    /// Streams that ended and when (until forgotten by the owner).
    std::map<StreamKey, TimePoint>& ended() { return ended_; }
    const std::map<StreamKey, TimePoint>& ended() const { return ended_; }

private:
    std::set<StreamKey> live_;
    std::map<StreamKey, TimePoint> ended_;
};

} // namespace stagecast::stream
