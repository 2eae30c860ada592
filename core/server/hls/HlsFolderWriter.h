#pragma once
/// Writes MPEG-TS HLS to a folder as it is produced, for a CDN or a web server that serves
/// files (nginx, an object-store sync): FOLDER/APP/STREAM/SEQ.ts and FOLDER/APP/STREAM/index.m3u8.
/// A segment is written before the playlist that lists it; both through a temporary file and
/// a rename, so a reader never sees a partial file. Segments that left the window (plus a few
/// for late readers) are deleted.
///
/// Threads: enqueue() from the packagers (network threads) only queues; one thread of its own
/// does all disk work. The queue is bounded (jobs and bytes): when the disk cannot keep up,
/// the oldest job is dropped and counted, and the next playlist still lists only segments
/// that were written. A write error (full disk, no permission) is logged once per stream and
/// per message; other streams and the in-memory HLS carry on.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stagecast::server::hls {

class HlsFolderWriter {
public:
    struct Job {
        std::string app;
        std::string name;
        std::uint64_t sequence = 0;
        std::shared_ptr<const std::vector<std::uint8_t>> segment;
        std::string playlist;       // URIs relative to the stream's folder ("12.ts"); empty: keep
        std::uint64_t keepFrom = 0; // segments below this sequence are deleted
    };

    explicit HlsFolderWriter(std::filesystem::path root, std::size_t maxQueuedBytes = 64 << 20);
    ~HlsFolderWriter();
    HlsFolderWriter(const HlsFolderWriter&) = delete;
    HlsFolderWriter& operator=(const HlsFolderWriter&) = delete;

    void enqueue(Job job);
    /// Writes what is queued, then stops the thread. Idempotent.
    void stop();

    const std::filesystem::path& root() const { return root_; }
    std::uint64_t written() const { return written_; }
    std::uint64_t dropped() const { return dropped_; }
    std::uint64_t failed() const { return failed_; }

private:
    void run();
    void write(const Job& job);
    void report(const std::string& stream, const std::string& message);

    const std::filesystem::path root_;
    const std::size_t maxQueuedBytes_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Job> jobs_;
    std::size_t queuedBytes_ = 0;
    bool stopping_ = false;
    std::map<std::string, std::string> lastError_; // per stream; the writer thread only
    std::atomic<std::uint64_t> written_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> failed_{0};
    std::thread thread_;
};

} // namespace stagecast::server::hls
