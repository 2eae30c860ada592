#include "media/snapshot/SnapshotStore.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>

namespace stagecast::media::snapshot {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLatest = "latest.jpg";

std::string reasonOf(const std::error_code& ec) {
    return ec.message();
}

std::chrono::system_clock::time_point toSystem(fs::file_time_type t) {
    return std::chrono::time_point_cast<std::chrono::system_clock::duration>(
        fs::file_time_type::clock::to_sys(t));
}

// Unique within the process, so two writers of one stream never share a temporary file.
std::string tempSuffix() {
    static std::atomic<std::uint64_t> counter{0};
    return ".tmp" + std::to_string(++counter);
}

} // namespace

std::string evidenceStamp(std::chrono::system_clock::time_point t) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const auto n = std::strftime(text, sizeof text, "%Y%m%dT%H%M%S", &utc);
    std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
    return text;
}

SnapshotStore::SnapshotStore(fs::path folder) : folder_(std::move(folder)) {}

fs::path SnapshotStore::latestPath(const stream::StreamKey& key) const {
    return folder_ / key.app() / key.name() / kLatest;
}

base::Status SnapshotStore::writeLatest(const stream::StreamKey& key,
                                        std::span<const std::uint8_t> jpeg) {
    const auto target = latestPath(key);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
        return base::fail("cannot write snapshot " + target.string() +
                          ": cannot create its folder: " + reasonOf(ec));
    }
    auto temp = target;
    temp += tempSuffix();
    std::FILE* file = std::fopen(temp.c_str(), "wb");
    if (file == nullptr) {
        return base::fail("cannot write snapshot " + target.string() + ": " + std::strerror(errno));
    }
    const bool written = std::fwrite(jpeg.data(), 1, jpeg.size(), file) == jpeg.size();
    const int writeErrno = errno;
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed) {
        const int err = !written ? writeErrno : errno;
        fs::remove(temp, ec);
        return base::fail("cannot write snapshot " + target.string() + ": " + std::strerror(err));
    }
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        return base::fail("cannot write snapshot " + target.string() + ": " + reasonOf(ec));
    }
    return {};
}

std::optional<SnapshotFile> SnapshotStore::latest(const stream::StreamKey& key) const {
    const auto path = latestPath(key);
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::is_regular_file(status)) {
        return std::nullopt;
    }
    SnapshotFile out;
    out.stream = key.str();
    out.path = path;
    out.bytes = fs::file_size(path, ec);
    if (ec) {
        return std::nullopt;
    }
    const auto mtime = fs::last_write_time(path, ec);
    if (ec) {
        return std::nullopt;
    }
    out.takenAt = toSystem(mtime);
    return out;
}

std::vector<SnapshotFile> SnapshotStore::list() const {
    std::vector<SnapshotFile> out;
    std::error_code ec;
    for (fs::directory_iterator app(folder_, ec), end; !ec && app != end; app.increment(ec)) {
        if (!app->is_directory(ec)) {
            continue;
        }
        std::error_code inner;
        for (fs::directory_iterator name(app->path(), inner); !inner && name != end;
             name.increment(inner)) {
            auto key = stream::StreamKey::make(app->path().filename().string(),
                                               name->path().filename().string());
            if (!key) {
                continue;
            }
            if (auto file = latest(*key)) {
                out.push_back(std::move(*file));
            }
        }
    }
    std::sort(out.begin(), out.end(),
              [](const SnapshotFile& a, const SnapshotFile& b) { return a.stream < b.stream; });
    return out;
}

base::Result<std::vector<std::uint8_t>>
SnapshotStore::readLatest(const stream::StreamKey& key) const {
    const auto path = latestPath(key);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            return base::fail("no snapshot of " + key.str() + " yet");
        }
        return base::fail("cannot read snapshot " + path.string() + ": " + std::strerror(errno));
    }
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    if (in.bad()) {
        return base::fail("cannot read snapshot " + path.string());
    }
    return bytes;
}

base::Result<fs::path> SnapshotStore::keep(const stream::StreamKey& key,
                                           std::chrono::system_clock::time_point now) const {
    const auto source = latestPath(key);
    std::error_code ec;
    if (!fs::is_regular_file(source, ec)) {
        return base::fail("no snapshot of " + key.str() + " yet");
    }
    const auto folder = source.parent_path() / "evidence";
    fs::create_directories(folder, ec);
    if (ec) {
        return base::fail("cannot keep snapshot in " + folder.string() + ": " + reasonOf(ec));
    }
    const auto stamp = evidenceStamp(now);
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto target =
            folder / (stamp + (attempt == 0 ? "" : "-" + std::to_string(attempt)) + ".jpg");
        // latest.jpg is only ever replaced by rename, so this copies one whole picture.
        if (fs::copy_file(source, target, fs::copy_options::none, ec)) {
            return target;
        }
        if (ec != std::errc::file_exists) {
            return base::fail("cannot keep snapshot as " + target.string() + ": " + reasonOf(ec));
        }
    }
    return base::fail("cannot keep snapshot in " + folder.string() +
                      ": too many snapshots in one millisecond");
}

std::size_t SnapshotStore::pruneEvidence(std::chrono::system_clock::time_point cutoff) const {
    std::size_t removed = 0;
    std::error_code ec;
    // FOLDER/APP/STREAM/evidence: two levels of names, then the evidence folder.
    for (const auto& app : fs::directory_iterator(folder_, ec)) {
        std::error_code appEc;
        for (const auto& stream : fs::directory_iterator(app.path(), appEc)) {
            removed += pruneFolder(stream.path() / "evidence", cutoff);
        }
    }
    return removed;
}

std::size_t SnapshotStore::pruneEvidence(const stream::StreamKey& key,
                                         std::chrono::system_clock::time_point cutoff) const {
    return pruneFolder(latestPath(key).parent_path() / "evidence", cutoff);
}

std::size_t SnapshotStore::pruneFolder(const fs::path& evidence,
                                       std::chrono::system_clock::time_point cutoff) const {
    std::size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(evidence, ec)) {
        std::error_code fileEc;
        if (!entry.is_regular_file(fileEc) || entry.path().extension() != ".jpg") {
            continue;
        }
        const auto modified = entry.last_write_time(fileEc);
        if (fileEc) {
            continue;
        }
        const auto when = toSystem(modified);
        if (when < cutoff && fs::remove(entry.path(), fileEc)) {
            ++removed;
        }
    }
    return removed;
}

} // namespace stagecast::media::snapshot
