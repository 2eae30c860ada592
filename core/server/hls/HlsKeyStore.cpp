#include "HlsKeyStore.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>

#include <boost/asio/post.hpp>

#include "base/Log.h"

namespace stagecast::server::hls {

namespace fs = std::filesystem;

namespace {

constexpr auto kFolderMode = fs::perms::owner_all;
constexpr auto kFileMode = fs::perms::owner_read | fs::perms::owner_write;

/// Creates `dir` and the folders between `root` and it (root included), each mode 0700.
std::string makePrivateFolders(const fs::path& root, const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return "cannot create " + dir.string() + ": " + ec.message();
    }
    for (auto p = dir;; p = p.parent_path()) {
        fs::permissions(p, kFolderMode, fs::perm_options::replace, ec);
        if (ec) {
            return "cannot restrict " + p.string() + " to its owner: " + ec.message();
        }
        if (p == root || p == p.parent_path()) {
            break;
        }
    }
    return {};
}

/// The file is made (empty) and restricted to its owner before the key goes in, and appears
/// under its name complete (rename).
std::string writeKeyFile(const fs::path& path, const HlsKey& key) {
    const auto tmp = fs::path(path.string() + ".tmp");
    std::error_code ec;
    fs::remove(tmp, ec);
    {
        std::ofstream create(tmp, std::ios::binary);
        if (!create) {
            return "cannot create " + tmp.string();
        }
    }
    fs::permissions(tmp, kFileMode, fs::perm_options::replace, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return "cannot restrict " + tmp.string() + " to its owner: " + ec.message();
    }
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(key.bytes.data()),
                  static_cast<std::streamsize>(key.bytes.size()));
        out.close();
        if (!out) {
            fs::remove(tmp, ec);
            return "cannot write " + tmp.string();
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return "cannot rename " + tmp.string() + ": " + ec.message();
    }
    return {};
}

/// ID.key or ID.key.tmp with a 16-hex-digit id: only what this store writes is removed.
bool isKeyFileName(const fs::path& path) {
    auto name = path.filename().string();
    if (name.ends_with(".tmp")) {
        name.resize(name.size() - 4);
    }
    return name.size() == 20 && name.ends_with(".key") &&
           std::all_of(name.begin(), name.begin() + 16,
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

} // namespace

struct HlsKeyStore::Reporter {
    std::mutex mutex;
    std::map<std::string, std::string> last; // per stream

    void failed(const std::string& stream, const std::string& message) {
        std::lock_guard lock(mutex);
        auto& previous = last[stream];
        if (previous != message) {
            previous = message;
            base::log(base::LogLevel::Error, "hls",
                      stream + ": HLS key not stored, its segments are not served: " + message);
        }
    }
    void succeeded(const std::string& stream) {
        std::lock_guard lock(mutex);
        last.erase(stream);
    }
};

HlsKeyStore::HlsKeyStore(fs::path root, boost::asio::thread_pool& workers)
    : root_(std::move(root)), strand_(boost::asio::make_strand(workers.get_executor())),
      reporter_(std::make_shared<Reporter>()) {}

void HlsKeyStore::removeStale() {
    boost::asio::post(strand_, [root = root_] {
        std::error_code ec;
        std::size_t removed = 0;
        for (auto it = fs::recursive_directory_iterator(root, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it.depth() == 2 && it->is_regular_file(ec) && isKeyFileName(it->path())) {
                std::error_code ignored;
                removed += fs::remove(it->path(), ignored) ? 1 : 0;
            }
        }
        if (removed > 0) {
            base::log(base::LogLevel::Info, "hls",
                      "removed " + std::to_string(removed) +
                          " HLS keys left by a previous run in " + root.string());
        }
    });
}

void HlsKeyStore::store(const std::string& app, const std::string& name,
                        std::shared_ptr<HlsKey> key) {
    boost::asio::post(strand_,
                      [root = root_, app, name, key = std::move(key), reporter = reporter_] {
                          const auto stream = app + "/" + name;
                          const auto dir = root / app / name;
                          auto error = makePrivateFolders(root, dir);
                          if (error.empty()) {
                              error = writeKeyFile(dir / (key->id + ".key"), *key);
                          }
                          if (!error.empty()) {
                              reporter->failed(stream, error);
                              return;
                          }
                          reporter->succeeded(stream);
                          key->stored = true;
                      });
}

void HlsKeyStore::remove(const std::string& app, const std::string& name, const std::string& id) {
    boost::asio::post(strand_, [path = root_ / app / name / (id + ".key")] {
        std::error_code ignored;
        fs::remove(path, ignored);
    });
}

} // namespace stagecast::server::hls
