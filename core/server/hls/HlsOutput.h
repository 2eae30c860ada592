#pragma once
/// An HLS output: somewhere the MPEG-TS segments and playlists of every packaged stream are
/// copied to as they are produced (a folder, an HTTP origin). The packagers hand each output
/// "segment cut" jobs; one thread per output does the slow part, so no network or hub
/// thread ever waits on a disk or an origin.
///
/// What this base does for every output: the bounded queue, retries, and the rule that a
/// playlist only lists what the output stored:
/// - Queue: at most `maxJobsPerStream` jobs per stream and `maxQueuedBytes` in all. Past
///   that the stream's oldest job (a segment not yet stored) is dropped and counted. A job
///   that keeps failing is given up when its stream's queue is full behind it.
/// - Playlist rule: the playlist sent lists the longest run of consecutive segments, ending
///   at the newest one, that this output stored. Segments dropped or failed are never
///   listed: after a gap the playlist restarts after it (EXT-X-MEDIA-SEQUENCE and
///   EXT-X-DISCONTINUITY-SEQUENCE moved on accordingly), and when the newest segment was not
///   stored, no playlist is sent for it (the next one that is stored brings one).
/// - Expiry: segments below a job's `keepFrom` are removed (when the output removes).
///
/// Threads: enqueue(), stats() and stop() from any thread; the store*/remove* hooks run on
/// the output's own thread only.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "protocol/hls/MediaPlaylist.h"

namespace stagecast::server::hls {

struct HlsOutputJob {
    std::string app;
    std::string name;
    /// Which packager made it: a restarted packager numbers its segments from 0 again.
    std::uint64_t packager = 0;
    std::uint64_t sequence = 0;
    std::shared_ptr<const std::vector<std::uint8_t>> segment;
    /// The window after this segment, segment URIs relative to the stream ("12.ts"); absent
    /// when a newer job of the same batch carries it.
    std::optional<protocol::hls::MediaPlaylist> playlist;
    std::uint64_t keepFrom = 0; // segments below this sequence are removed
};

enum class HlsOutputState : std::uint8_t {
    Idle = 1, // nothing sent yet
    Ok,       // the last attempt worked
    Retrying, // the last attempt failed and is being repeated
    Failing,  // a job was given up
};
const char* toString(HlsOutputState state);

/// One stream's figures in one output (the API shows them with the stream).
struct HlsOutputStats {
    std::string output; // "folder", "origin"
    std::string target; // the folder or origin URL
    HlsOutputState state = HlsOutputState::Idle;
    std::uint64_t segments = 0;  // segments stored
    std::uint64_t playlists = 0; // playlists stored
    std::uint64_t bytes = 0;     // segment and playlist bytes stored
    std::uint64_t removed = 0;   // expired segments removed
    std::uint64_t errors = 0;    // failed attempts
    std::uint64_t dropped = 0;   // segments never stored (queue full or given up)
    std::uint64_t reconnects = 0;
    std::string lastError;
};

class HlsOutput {
public:
    struct Limits {
        std::size_t maxJobsPerStream = 10;
        std::size_t maxQueuedBytes = 64 << 20;
    };

    virtual ~HlsOutput();
    HlsOutput(const HlsOutput&) = delete;
    HlsOutput& operator=(const HlsOutput&) = delete;

    void enqueue(HlsOutputJob job);
    /// Stores what is queued (one attempt each, no retries), then stops the thread.
    /// Idempotent; the subclass's destructor must call it.
    void stop();
    /// "APP/STREAM"'s figures, or nullopt if it never had a job.
    std::optional<HlsOutputStats> stats(const std::string& stream) const;

protected:
    /// The outcome of one attempt; `error` empty on success.
    struct Attempt {
        std::string error;
        bool retry = false; // worth repeating (no answer, 5xx...)
    };

    HlsOutput(std::string kind, std::string target, Limits limits);
    /// Starts the thread; the subclass's constructor calls it last.
    void startThread();

    /// `stream` is "APP/STREAM". Segments are SEQ.ts, the playlist index.m3u8.
    virtual Attempt storeSegment(const HlsOutputJob& job) = 0;
    virtual Attempt storePlaylist(const HlsOutputJob& job, const std::string& text) = 0;
    /// Removes expired segments: `stored` lists those this output stored below `keepFrom`.
    virtual void removeExpired(const HlsOutputJob& job,
                               const std::vector<std::uint64_t>& stored) = 0;
    /// Delay before retry number `retry` (1: the first); nullopt: do not retry at all.
    virtual std::optional<std::chrono::milliseconds> retryDelay(unsigned retry) const = 0;
    /// Logs a failure (the subclass decides the words); called once per new message.
    virtual void logFailure(const std::string& stream, const std::string& message) = 0;

    /// For the subclass: counts a reconnect, a removal, or extra bytes against `stream`.
    void countReconnect(const std::string& stream);
    void countRemoved(const std::string& stream, std::uint64_t n);

private:
    struct StreamState {
        std::uint64_t packager = 0;
        std::set<std::uint64_t> stored;
        HlsOutputStats stats;
        std::size_t queued = 0;
    };

    void run();
    void process(const HlsOutputJob& job);
    /// Repeats `attempt` until it works, is not retryable, or gives way (stop, full queue).
    template <typename F>
    bool attemptWithRetries(const std::string& stream, F&& attempt);
    void noteFailure(const std::string& stream, const std::string& message, bool retrying);
    std::size_t jobBytes(const HlsOutputJob& job) const;

    const std::string kind_;
    const std::string target_;
    const Limits limits_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<HlsOutputJob> jobs_;
    std::size_t queuedBytes_ = 0;
    bool stopping_ = false;
    std::map<std::string, StreamState> streams_;    // guarded by mutex_
    std::map<std::string, std::string> lastLogged_; // the output's thread only
    std::thread thread_;
};

} // namespace stagecast::server::hls
