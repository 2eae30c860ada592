#pragma once
/// One stream's DVR window kept on disk: DVR_FOLDER/APP/STREAM/ID/SEQ.ts, ID being this
/// window's id (UTC milliseconds when it was opened, unique in the process), SEQ the window's
/// own contiguous sequence number (DvrWindow). The app and stream names come from a validated
/// StreamKey (A-Z a-z 0-9 - _ ., never starting with '.'), so no path leaves the folder.
///
/// Threads: add()/sourceRestarted() are called by the packager (a network thread) and only
/// lock briefly and post; every file is written (temporary file + rename) and deleted on a
/// strand of the server's worker pool, in the order the window decided; reads run on the
/// worker pool. The HTTP side reads the playlist under the lock.
///
/// Failure: the first write error (full disk, no permission), or a write backlog past
/// kMaxUnwrittenBytes (a disk that does not keep up), stops DVR for this stream: logged once,
/// the reason kept for the API, the window emptied and its folder deleted. Live HLS is not
/// affected. A stopped window stays stopped until it expires (DvrService).

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "server/hls/DvrWindow.h"
#include "server/hls/HlsSegmenter.h"
#include "stream/StreamKey.h"

namespace stagecast::server::hls {

/// What the API shows for one DVR window.
struct DvrStatus {
    std::string stream; // APP/STREAM
    std::string id;
    bool recording = true; // false: stopped, see reason
    std::string reason;
    std::size_t segments = 0;
    std::size_t bytes = 0;
    double seconds = 0;
    std::uint64_t firstSequence = 0;
    std::uint64_t nextSequence = 0;
    std::uint64_t written = 0;      // files written
    std::uint64_t evicted = 0;      // segments that left the window
    std::size_t readsQueued = 0;    // disk reads waiting or running now
    std::uint64_t readsRefused = 0; // requests answered 503: too many reads queued
    std::string folder;
};

class DvrStream : public std::enable_shared_from_this<DvrStream> {
public:
    static constexpr std::size_t kMaxUnwrittenBytes = 64 * 1024 * 1024;
    /// Disk reads of one window waiting or running at once (each holds a segment in memory
    /// and a worker): past it a request is refused at once (the viewer retries).
    static constexpr std::size_t kMaxQueuedReads = 32;

    DvrStream(stream::StreamKey key, const std::filesystem::path& root, std::string id,
              DvrLimits limits, boost::asio::thread_pool& workers);

    /// A segment the packager cut (never encrypted: DVR is off with hls.encrypt).
    void add(const HlsSegment& segment);
    /// A new packager feeds this window: its first segment is a discontinuity.
    void sourceRestarted();

    std::optional<std::string> playlist(const std::string& uriPrefix,
                                        const std::string& uriSuffix) const;
    /// Calls `done` with segment `sequence`'s bytes (null: not in the window, or its file is
    /// gone): at once from memory, else from disk on the worker pool. False (and `done` not
    /// called) when kMaxQueuedReads disk reads are queued already.
    bool read(std::uint64_t sequence,
              std::function<void(std::shared_ptr<const std::vector<std::uint8_t>>)> done);
    /// Stops recording and deletes the window's folder (on the strand).
    void remove(const std::string& why);

    const stream::StreamKey& key() const { return key_; }
    const std::string& id() const { return id_; }
    const std::filesystem::path& folder() const { return dir_; }
    bool recording() const;
    std::chrono::steady_clock::time_point lastAdded() const;
    DvrStatus status() const;

private:
    std::filesystem::path file(std::uint64_t sequence) const;
    /// Under mutex_: stops, empties the window, queues the folder's deletion.
    void stopLocked(const std::string& reason, bool log);

    const stream::StreamKey key_;
    const std::string id_;
    const std::filesystem::path dir_;
    boost::asio::thread_pool& workers_;
    boost::asio::strand<boost::asio::thread_pool::executor_type> strand_;

    mutable std::mutex mutex_;
    DvrWindow window_;
    bool recording_ = true;
    std::string reason_;
    std::chrono::steady_clock::time_point lastAdded_;
    std::atomic<std::uint64_t> written_{0};
    std::shared_ptr<std::atomic<std::size_t>> readsQueued_ =
        std::make_shared<std::atomic<std::size_t>>(0); // shared with reads in flight
    std::atomic<std::uint64_t> readsRefused_{0};
};

} // namespace stagecast::server::hls
