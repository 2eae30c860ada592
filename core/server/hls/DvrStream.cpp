#include "DvrStream.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <boost/asio/post.hpp>

#include "base/Log.h"

namespace stagecast::server::hls {

namespace fs = std::filesystem;

namespace {

/// Writes `bytes` to `path` through `path.tmp` and a rename; the error names the file.
std::string writeFile(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
        return "cannot create " + path.parent_path().string() + ": " + ec.message();
    }
    const auto tmp = fs::path(path.string() + ".tmp");
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) {
        return "cannot create " + tmp.string() + ": " + std::strerror(errno);
    }
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    const int writeErrno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) {
        const int error = ok ? errno : writeErrno;
        fs::remove(tmp, ec);
        return "cannot write " + tmp.string() + ": " + std::strerror(error);
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        const auto message = ec.message();
        fs::remove(tmp, ec);
        return "cannot rename " + tmp.string() + ": " + message;
    }
    return {};
}

std::shared_ptr<const std::vector<std::uint8_t>> readFile(const fs::path& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        return nullptr;
    }
    std::vector<std::uint8_t> out;
    std::uint8_t buffer[65536];
    for (;;) {
        const auto n = std::fread(buffer, 1, sizeof buffer, f);
        out.insert(out.end(), buffer, buffer + n);
        if (n < sizeof buffer) {
            break;
        }
    }
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    return failed ? nullptr : std::make_shared<const std::vector<std::uint8_t>>(std::move(out));
}

} // namespace

DvrStream::DvrStream(stream::StreamKey key, const fs::path& root, std::string id, DvrLimits limits,
                     boost::asio::thread_pool& workers)
    : key_(std::move(key)), id_(std::move(id)), dir_(root / key_.app() / key_.name() / id_),
      workers_(workers), strand_(boost::asio::make_strand(workers.get_executor())), window_(limits),
      lastAdded_(std::chrono::steady_clock::now()) {}

fs::path DvrStream::file(std::uint64_t sequence) const {
    return dir_ / (std::to_string(sequence) + ".ts");
}

void DvrStream::add(const HlsSegment& segment) {
    if (!segment.data || segment.key) {
        return;
    }
    std::lock_guard lock(mutex_);
    if (!recording_) {
        return;
    }
    lastAdded_ = std::chrono::steady_clock::now();
    auto added = window_.add(segment.duration, segment.discontinuity, segment.programDateTimeMs,
                             segment.data);
    if (window_.unwrittenBytes() > kMaxUnwrittenBytes) {
        stopLocked("the disk does not keep up: over " + std::to_string(kMaxUnwrittenBytes >> 20) +
                       " MiB of segments wait to be written",
                   true);
        return;
    }
    std::vector<fs::path> gone;
    for (auto seq : added.evicted) {
        gone.push_back(file(seq));
    }
    // Deletes first: the folder never holds more than the bound plus the segment in flight.
    boost::asio::post(strand_, [self = shared_from_this(), gone = std::move(gone),
                                seq = added.sequence, data = segment.data] {
        std::error_code ignored;
        for (const auto& path : gone) {
            fs::remove(path, ignored);
        }
        auto error = writeFile(self->file(seq), *data);
        std::lock_guard guard(self->mutex_);
        if (!error.empty()) {
            if (self->recording_) {
                self->stopLocked(error, true);
            }
            return;
        }
        ++self->written_;
        self->window_.written(seq);
    });
}

void DvrStream::sourceRestarted() {
    std::lock_guard lock(mutex_);
    window_.sourceRestarted();
}

std::optional<std::string> DvrStream::playlist(const std::string& uriPrefix,
                                               const std::string& uriSuffix) const {
    std::lock_guard lock(mutex_);
    return window_.playlist(uriPrefix, uriSuffix);
}

bool DvrStream::read(std::uint64_t sequence,
                     std::function<void(std::shared_ptr<const std::vector<std::uint8_t>>)> done) {
    std::shared_ptr<const std::vector<std::uint8_t>> data;
    {
        std::lock_guard lock(mutex_);
        const auto* entry = window_.find(sequence);
        if (entry == nullptr) {
            done(nullptr);
            return true;
        }
        data = entry->data;
    }
    if (data) {
        done(std::move(data));
        return true;
    }
    if (readsQueued_->fetch_add(1) >= kMaxQueuedReads) {
        readsQueued_->fetch_sub(1);
        ++readsRefused_;
        return false;
    }
    boost::asio::post(
        workers_, [path = file(sequence), done = std::move(done), queued = readsQueued_] {
            auto bytes = readFile(path);
            queued->fetch_sub(1); // before the answer: its viewer may ask again at once
            done(std::move(bytes));
        });
    return true;
}

void DvrStream::remove(const std::string& why) {
    std::lock_guard lock(mutex_);
    if (recording_) {
        stopLocked(why, false);
    } else {
        // Stopped already (its folder is being deleted): deleted again, harmless.
        boost::asio::post(strand_, [dir = dir_] {
            std::error_code ignored;
            fs::remove_all(dir, ignored);
        });
    }
}

void DvrStream::stopLocked(const std::string& reason, bool log) {
    recording_ = false;
    reason_ = reason;
    window_.clear();
    if (log) {
        base::log(base::LogLevel::Error, "hls",
                  key_.str() + ": DVR stopped (live HLS carries on): " + reason);
    }
    boost::asio::post(strand_, [dir = dir_] {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
        // The stream's and app's folders go when this was their last window.
        fs::remove(dir.parent_path(), ignored);
        fs::remove(dir.parent_path().parent_path(), ignored);
    });
}

bool DvrStream::recording() const {
    std::lock_guard lock(mutex_);
    return recording_;
}

std::chrono::steady_clock::time_point DvrStream::lastAdded() const {
    std::lock_guard lock(mutex_);
    return lastAdded_;
}

DvrStatus DvrStream::status() const {
    std::lock_guard lock(mutex_);
    DvrStatus s;
    s.stream = key_.str();
    s.id = id_;
    s.recording = recording_;
    s.reason = reason_;
    s.segments = window_.segments();
    s.bytes = window_.bytes();
    s.seconds = window_.seconds();
    s.firstSequence = window_.firstSequence();
    s.nextSequence = window_.nextSequence();
    s.written = written_;
    s.evicted = window_.evictedCount();
    s.readsQueued = readsQueued_->load();
    s.readsRefused = readsRefused_;
    s.folder = dir_.string();
    return s;
}

} // namespace stagecast::server::hls
