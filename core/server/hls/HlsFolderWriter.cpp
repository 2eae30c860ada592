#include "HlsFolderWriter.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "base/Log.h"

namespace stagecast::server::hls {

namespace fs = std::filesystem;

namespace {

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

HlsFolderWriter::HlsFolderWriter(fs::path root, Limits limits)
    : HlsOutput("folder", root.string(), limits), root_(std::move(root)) {
    startThread();
}

HlsFolderWriter::~HlsFolderWriter() {
    stop();
}

fs::path HlsFolderWriter::streamDir(const HlsOutputJob& job, std::string& error) const {
    auto dir = root_ / job.app / job.name;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        error = "cannot create " + dir.string() + ": " + ec.message();
        return {};
    }
    return dir;
}

HlsOutput::Attempt HlsFolderWriter::storeSegment(const HlsOutputJob& job) {
    std::string error;
    auto dir = streamDir(job, error);
    if (!error.empty()) {
        return {error};
    }
    return {writeFile(dir / (std::to_string(job.sequence) + ".ts"), job.segment->data(),
                      job.segment->size())};
}

HlsOutput::Attempt HlsFolderWriter::storePlaylist(const HlsOutputJob& job,
                                                  const std::string& text) {
    std::string error;
    auto dir = streamDir(job, error);
    if (!error.empty()) {
        return {error};
    }
    return {writeFile(dir / "index.m3u8", text.data(), text.size())};
}

void HlsFolderWriter::removeExpired(const HlsOutputJob& job, const std::vector<std::uint64_t>&) {
    // Every SEQ.ts below keepFrom, also those a previous run left behind.
    const auto dir = root_ / job.app / job.name;
    std::error_code ec;
    std::uint64_t removed = 0;
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
            removed += fs::remove(entry.path(), ignored) ? 1 : 0;
        }
    }
    if (removed > 0) {
        countRemoved(job.app + "/" + job.name, removed);
    }
}

std::optional<std::chrono::milliseconds> HlsFolderWriter::retryDelay(unsigned) const {
    return std::nullopt; // a full disk or a missing permission does not heal in a second
}

void HlsFolderWriter::logFailure(const std::string& stream, const std::string& message) {
    base::log(base::LogLevel::Warning, "hls", stream + ": HLS folder: " + message);
}

} // namespace stagecast::server::hls
