#pragma once
/// Viewer accounting from the hub's ClientJoined/ClientLeft events: concurrent and peak
/// viewers per stream and per protocol, unique viewers, average watch time of ended sessions.
/// Since Stagecast started; the history is in the store's viewer_sessions.
///
/// A viewer is one player session (an RTMP or HTTP-FLV connection; an HLS session once HLS
/// reports sessions): relays (client id 0) are not viewers. Unique viewers are distinct
/// (address, user agent) pairs.
///
/// Bounds: streams remembered at most kMaxStreams (streams with nobody watching are forgotten
/// first); unique viewers are counted up to kMaxUnique distinct pairs, then reported as capped.
///
/// Threads: onHubEvent runs on network threads: it only updates counters under a short lock.
/// report() and viewersByProtocol() from any thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "stream/HubEvent.h"

namespace stagecast::monitor {

struct ViewerCount {
    std::size_t current = 0;
    std::size_t peak = 0;
};

struct StreamViewers {
    std::string stream;
    ViewerCount viewers;
    std::map<std::string, ViewerCount> byProtocol;
    std::uint64_t unique = 0;
    std::uint64_t sessionsEnded = 0;
    std::chrono::milliseconds averageWatch{0}; // over ended sessions
};

struct ViewersReport {
    ViewerCount viewers; // all streams together
    std::map<std::string, ViewerCount> byProtocol;
    std::uint64_t unique = 0;
    bool uniqueCapped = false; // more distinct viewers than counted
    std::uint64_t sessionsEnded = 0;
    std::chrono::milliseconds averageWatch{0};
    std::vector<StreamViewers> streams; // by name
};

class ViewerStats : public stream::HubEventListener {
public:
    static constexpr std::size_t kMaxStreams = 4096;
    static constexpr std::size_t kMaxUnique = 1'000'000;

    void onHubEvent(const stream::HubEvent& event) override;

    ViewersReport report() const;
    /// Current viewers of `stream` by protocol (empty if none).
    std::map<std::string, std::size_t> viewersByProtocol(const std::string& stream) const;

private:
    struct Totals {
        ViewerCount viewers;
        std::map<std::string, ViewerCount> byProtocol;
        std::unordered_set<std::uint64_t> unique;
        std::uint64_t sessionsEnded = 0;
        std::chrono::milliseconds watched{0};
    };
    struct Session {
        std::string stream;
        std::string protocol;
        std::chrono::system_clock::time_point joinedAt;
    };
    void joinLocked(const stream::HubEvent& event);
    void leaveLocked(const stream::HubEvent& event);
    Totals& streamLocked(const std::string& stream);
    static void up(ViewerCount& count);
    static void down(ViewerCount& count);

    mutable std::mutex mutex_;
    Totals all_;
    bool uniqueCapped_ = false;
    std::map<std::string, Totals> streams_;
    std::unordered_map<std::uint64_t, Session> sessions_; // by client id, while watching
};

} // namespace stagecast::monitor
