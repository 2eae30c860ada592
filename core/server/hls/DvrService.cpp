#include "DvrService.h"

#include <algorithm>
#include <charconv>

#include "base/Log.h"

namespace stagecast::server::hls {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPlaylistSuffix = "_dvr.m3u8";

bool allDigits(std::string_view s) {
    return !s.empty() && s.size() <= 20 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "SEQ.ts" or "SEQ.ts.tmp": the only files a window's folder holds.
bool isSegmentFileName(std::string name) {
    if (name.ends_with(".tmp")) {
        name.resize(name.size() - 4);
    }
    return name.ends_with(".ts") && allDigits(std::string_view(name).substr(0, name.size() - 3));
}

} // namespace

std::optional<stream::StreamKey> dvrPlaylistSource(std::string_view path) {
    if (!path.starts_with('/') || !path.ends_with(kPlaylistSuffix)) {
        return std::nullopt;
    }
    auto key = stream::StreamKey::parse(path.substr(1, path.size() - 1 - kPlaylistSuffix.size()));
    if (!key) {
        return std::nullopt;
    }
    return *key;
}

std::optional<DvrSegmentPath> parseDvrSegmentPath(std::string_view path) {
    // "" / APP / STREAM / "dvr" / ID / SEQ.ts
    std::vector<std::string_view> parts;
    std::size_t from = 0;
    for (auto at = path.find('/'); at != std::string_view::npos; at = path.find('/', from)) {
        parts.push_back(path.substr(from, at - from));
        from = at + 1;
    }
    parts.push_back(path.substr(from));
    if (parts.size() != 6 || !parts[0].empty() || parts[3] != "dvr" || !allDigits(parts[4]) ||
        !parts[5].ends_with(".ts")) {
        return std::nullopt;
    }
    auto key = stream::StreamKey::make(parts[1], parts[2]);
    auto digits = parts[5].substr(0, parts[5].size() - 3);
    std::uint64_t sequence = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
    if (!key || !allDigits(digits) || ec != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return DvrSegmentPath{*key, std::string(parts[4]), sequence};
}

DvrService::DvrService(fs::path root, DvrLimits limits, std::size_t maxWindows,
                       boost::asio::thread_pool& workers)
    : root_(std::move(root)), limits_(limits), maxWindows_(maxWindows), workers_(workers) {}

void DvrService::removeLeftovers() {
    std::error_code ec;
    std::size_t removed = 0;
    for (const auto& app : fs::directory_iterator(root_, ec)) {
        if (!app.is_directory(ec) ||
            !stream::StreamKey::make(app.path().filename().string(), "x")) {
            continue;
        }
        for (const auto& name : fs::directory_iterator(app.path(), ec)) {
            if (!name.is_directory(ec)) {
                continue;
            }
            for (const auto& window : fs::directory_iterator(name.path(), ec)) {
                if (!window.is_directory(ec) || !allDigits(window.path().filename().string())) {
                    continue;
                }
                for (const auto& f : fs::directory_iterator(window.path(), ec)) {
                    if (f.is_regular_file(ec) && isSegmentFileName(f.path().filename().string())) {
                        std::error_code ignored;
                        removed += fs::remove(f.path(), ignored) ? 1 : 0;
                    }
                }
                std::error_code ignored;
                fs::remove(window.path(), ignored); // only when empty
            }
            std::error_code ignored;
            fs::remove(name.path(), ignored);
        }
        std::error_code ignored;
        fs::remove(app.path(), ignored);
    }
    if (removed > 0) {
        base::log(base::LogLevel::Info, "hls",
                  "DVR: removed " + std::to_string(removed) +
                      " segment files a previous run left in " + root_.string());
    }
}

std::shared_ptr<DvrStream> DvrService::open(const stream::StreamKey& key) {
    std::lock_guard lock(mutex_);
    if (auto it = windows_.find(key); it != windows_.end()) {
        it->second->sourceRestarted();
        return it->second;
    }
    if (windows_.size() >= maxWindows_) {
        if (!warnedFull_) {
            warnedFull_ = true;
            base::log(base::LogLevel::Warning, "hls",
                      key.str() + ": no DVR window: " + std::to_string(maxWindows_) +
                          " exist (hls.max_streams)");
        }
        return nullptr;
    }
    warnedFull_ = false;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    lastId_ = std::max(lastId_ + 1, static_cast<std::int64_t>(now));
    auto window =
        std::make_shared<DvrStream>(key, root_, std::to_string(lastId_), limits_, workers_);
    windows_[key] = window;
    base::log(base::LogLevel::Info, "hls",
              key.str() + ": DVR window " + window->id() + " in " + window->folder().string());
    return window;
}

std::shared_ptr<DvrStream> DvrService::find(const stream::StreamKey& key) const {
    std::lock_guard lock(mutex_);
    auto it = windows_.find(key);
    return it == windows_.end() ? nullptr : it->second;
}

void DvrService::reap() {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    for (auto it = windows_.begin(); it != windows_.end();) {
        // use_count 1: no packager holds it any more.
        if (it->second.use_count() == 1 && now - it->second->lastAdded() > limits_.window) {
            base::log(base::LogLevel::Info, "hls",
                      it->first.str() + ": DVR window " + it->second->id() +
                          " expired (no new segment for " + std::to_string(limits_.window.count()) +
                          " s): deleted");
            it->second->remove("expired");
            it = windows_.erase(it);
        } else {
            ++it;
        }
    }
}

void DvrService::stop() {
    std::map<stream::StreamKey, std::shared_ptr<DvrStream>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(windows_);
    }
    for (auto& [key, window] : all) {
        window->remove("server shutting down");
    }
}

std::vector<DvrStatus> DvrService::statuses() const {
    std::lock_guard lock(mutex_);
    std::vector<DvrStatus> out;
    for (const auto& [key, window] : windows_) {
        out.push_back(window->status());
    }
    return out;
}

} // namespace stagecast::server::hls
