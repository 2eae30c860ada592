#include "HlsFolderWriter.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "base/Log.h"

namespace stagecast::server::hls {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxJobs = 1024;

/// Writes `bytes` to `path` through `path.tmp` and a rename; the error names the file.
std::string writeFile(const fs::path& path, const void* bytes, std::size_t size) {
    const auto tmp = fs::path(path.string() + ".tmp");
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) {
        return "cannot create " + tmp.string() + ": " + std::strerror(errno);
    }
    const bool ok = std::fwrite(bytes, 1, size, f) == size;
    const int writeErrno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        return "cannot write " + tmp.string() + ": " + std::strerror(ok ? errno : writeErrno);
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return "cannot rename " + tmp.string() + ": " + ec.message();
    }
    return {};
}

} // namespace

HlsFolderWriter::HlsFolderWriter(fs::path root, std::size_t maxQueuedBytes)
    : root_(std::move(root)), maxQueuedBytes_(maxQueuedBytes), thread_([this] { run(); }) {}

HlsFolderWriter::~HlsFolderWriter() {
    stop();
}

void HlsFolderWriter::enqueue(Job job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        queuedBytes_ += job.segment ? job.segment->size() : 0;
        jobs_.push_back(std::move(job));
        while (jobs_.size() > 1 && (jobs_.size() > kMaxJobs || queuedBytes_ > maxQueuedBytes_)) {
            queuedBytes_ -= jobs_.front().segment ? jobs_.front().segment->size() : 0;
            jobs_.pop_front();
            ++dropped_;
        }
    }
    cv_.notify_one();
}

void HlsFolderWriter::stop() {
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

void HlsFolderWriter::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) {
                return; // stopping, and everything queued is written
            }
            job = std::move(jobs_.front());
            jobs_.pop_front();
            queuedBytes_ -= job.segment ? job.segment->size() : 0;
        }
        write(job);
    }
}

void HlsFolderWriter::write(const Job& job) {
    const auto stream = job.app + "/" + job.name;
    const auto dir = root_ / job.app / job.name;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        report(stream, "cannot create " + dir.string() + ": " + ec.message());
        return;
    }
    if (job.segment) {
        auto error = writeFile(dir / (std::to_string(job.sequence) + ".ts"), job.segment->data(),
                               job.segment->size());
        if (!error.empty()) {
            report(stream, error); // the playlist is not updated to list a missing segment
            return;
        }
    }
    if (job.playlist.empty()) {
        return; // a segment completed in the same batch as a newer one: that one lists it
    }
    auto error = writeFile(dir / "index.m3u8", job.playlist.data(), job.playlist.size());
    if (!error.empty()) {
        report(stream, error);
        return;
    }
    ++written_;
    lastError_.erase(stream);
    // Segments that slid out of the window (sequence numbers below keepFrom).
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (!name.ends_with(".ts")) {
            continue;
        }
        std::uint64_t seq = 0;
        const auto digits = name.size() - 3;
        auto [end, parsed] = std::from_chars(name.data(), name.data() + digits, seq);
        if (parsed == std::errc() && end == name.data() + digits && seq < job.keepFrom) {
            std::error_code ignored;
            fs::remove(entry.path(), ignored);
        }
    }
}

void HlsFolderWriter::report(const std::string& stream, const std::string& message) {
    ++failed_;
    auto& last = lastError_[stream];
    if (last != message) {
        last = message;
        base::log(base::LogLevel::Warning, "hls", stream + ": HLS folder: " + message);
    }
}

} // namespace stagecast::server::hls
