#pragma once
/// The DVR windows of every stream (hls.dvr_window_seconds > 0): opens one per stream when
/// its packager starts, keeps it across packager and publisher restarts, expires it once it
/// has had no new segment for the window's length and no packager feeds it, and bounds how
/// many exist. At start it deletes the windows a previous run left (a crash); at stop it
/// deletes every window: DVR is a time-shift buffer, not a recording.
///
/// Paths: /APP/STREAM_dvr.m3u8 is the DVR playlist of APP/STREAM, its segments
/// /APP/STREAM/dvr/ID/SEQ.ts (ID: the window's id, so a URL never names two contents).
///
/// Thread-safe: packagers open windows from network threads; the reaper and the API call the
/// rest.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "server/hls/DvrStream.h"

namespace stagecast::server::hls {

/// APP/STREAM of a DVR playlist path "/APP/STREAM_dvr.m3u8", or nullopt.
std::optional<stream::StreamKey> dvrPlaylistSource(std::string_view path);

/// A DVR segment path "/APP/STREAM/dvr/ID/SEQ.ts", parsed.
struct DvrSegmentPath {
    stream::StreamKey key;
    std::string id;
    std::uint64_t sequence = 0;
};
std::optional<DvrSegmentPath> parseDvrSegmentPath(std::string_view path);

class DvrService {
public:
    DvrService(std::filesystem::path root, DvrLimits limits, std::size_t maxWindows,
               boost::asio::thread_pool& workers);

    /// Deletes DVR_FOLDER/APP/STREAM/ID/ folders (only names this service makes).
    void removeLeftovers();
    /// The window a packager of `key` feeds (existing or new); null when maxWindows exist.
    std::shared_ptr<DvrStream> open(const stream::StreamKey& key);
    std::shared_ptr<DvrStream> find(const stream::StreamKey& key) const;
    /// Expires windows without a new segment for the window's length that no packager holds.
    void reap();
    /// Deletes every window.
    void stop();
    std::vector<DvrStatus> statuses() const;
    const std::filesystem::path& root() const { return root_; }

private:
    const std::filesystem::path root_;
    const DvrLimits limits_;
    const std::size_t maxWindows_;
    boost::asio::thread_pool& workers_;
    mutable std::mutex mutex_;
    std::map<stream::StreamKey, std::shared_ptr<DvrStream>> windows_;
    std::int64_t lastId_ = 0;
    bool warnedFull_ = false;
};

} // namespace stagecast::server::hls
