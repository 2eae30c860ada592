#pragma once
/// One stream's DVR (time-shift) window: the list of MPEG-TS segments a player may seek back
/// to, its bounds and its playlist. Sans-I/O and single-threaded: the owner (DvrStream) holds
/// the lock, writes and deletes the files, and tells the window what reached the disk.
///
/// Sequence numbers are the window's own, contiguous for its whole life: they run on across
/// packager and publisher restarts (each restart flags the next segment with a
/// discontinuity), unlike the live playlist's, which restart with the packager.
///
/// Bounds: after each add() the oldest segments leave while the media kept is longer than
/// `window` or larger than `maxBytes` (the newest always stays). What leaves is returned so
/// the owner deletes its file; deletes are queued before the new segment's write, so the
/// bytes on disk never exceed maxBytes plus the segment being written.
///
/// Memory: a segment's bytes stay in memory until written (so it is served before it reaches
/// the disk) and, after that, only while it is among the newest `memorySegments` (the live
/// window, whose bytes the live packager holds anyway); older ones are read from disk.
///
/// Program date-time: a segment that follows its predecessor without a discontinuity starts
/// where that one ended (EXT-X-PROGRAM-DATE-TIME then increases by exactly the durations);
/// otherwise at the wall clock of its cut minus its duration.

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stagecast::server::hls {

struct DvrLimits {
    std::chrono::seconds window{7200};
    std::size_t maxBytes = std::size_t{2} << 30;
    std::size_t memorySegments = 10;
    std::chrono::milliseconds target{2000}; // the configured segment target
};

struct DvrEntry {
    std::uint64_t sequence = 0;
    double duration = 0; // seconds
    bool discontinuity = false;
    std::int64_t programDateTimeMs = 0; // UTC ms of its first frame
    std::size_t bytes = 0;
    std::shared_ptr<const std::vector<std::uint8_t>> data; // null once only on disk
    bool onDisk = false;
};

class DvrWindow {
public:
    explicit DvrWindow(DvrLimits limits);

    struct Added {
        std::uint64_t sequence = 0;
        std::vector<std::uint64_t> evicted; // their files are to be deleted
    };
    /// Appends a segment whose first frame arrived at `programDateTimeMs` (UTC ms, the
    /// packager's ProgramClock). `discontinuity`: the packager flagged it (a new publisher or
    /// encoder setup).
    Added add(double duration, bool discontinuity, std::int64_t programDateTimeMs,
              std::shared_ptr<const std::vector<std::uint8_t>> data);
    /// The next segment comes from a new packager: it is flagged as a discontinuity.
    void sourceRestarted();
    /// Segment `sequence`'s file is complete on disk (false if it already left the window).
    bool written(std::uint64_t sequence);
    /// Every segment leaves; returns their sequences. Numbering runs on.
    std::vector<std::uint64_t> clear();

    /// The DVR media playlist: every segment of the window with EXT-X-PROGRAM-DATE-TIME;
    /// URIs `uriPrefix + SEQ + ".ts" + uriSuffix`. Nullopt while it is empty.
    std::optional<std::string> playlist(const std::string& uriPrefix,
                                        const std::string& uriSuffix) const;
    const DvrEntry* find(std::uint64_t sequence) const;

    std::size_t segments() const { return entries_.size(); }
    std::size_t bytes() const { return bytes_; }
    double seconds() const { return seconds_; }
    /// Bytes of segments held only in memory (written ones excluded): the write backlog.
    std::size_t unwrittenBytes() const { return unwrittenBytes_; }
    std::uint64_t firstSequence() const {
        return entries_.empty() ? next_ : entries_.front().sequence;
    }
    std::uint64_t nextSequence() const { return next_; }
    std::uint64_t evictedCount() const { return evicted_; }

private:
    void evict(std::vector<std::uint64_t>& out);
    void releaseOld();

    const DvrLimits limits_;
    std::deque<DvrEntry> entries_;
    std::uint64_t next_ = 0;
    std::size_t bytes_ = 0;
    double seconds_ = 0;
    std::size_t unwrittenBytes_ = 0;
    bool pendingDiscontinuity_ = false;
    std::uint64_t discontinuitiesEvicted_ = 0; // for EXT-X-DISCONTINUITY-SEQUENCE
    std::uint64_t evicted_ = 0;
    std::uint64_t maxDurationRounded_ = 0; // EXT-X-TARGETDURATION never goes down
};

} // namespace stagecast::server::hls
