#pragma once
/// Keeps the HLS keys on disk: KEY_FOLDER/APP/STREAM/ID.key holding the 16 key bytes, file
/// mode 0600 in folders of mode 0700, written through a temporary file and a rename, then
/// marked stored (HlsKey::stored) so playlists may list the segments that use it. Deletes a
/// key's file when its segments are gone, and at start the keys a previous run left behind.
///
/// Threads: store()/remove() only post; the disk work runs serialised on a strand of the
/// server's worker pool (never a network thread). Errors are logged once per message and
/// never contain key bytes: a key that cannot be written is never marked stored, so the
/// segments that use it are never listed (HLS stops rather than serving what no player
/// could decrypt, or keys that are not on disk).

#include <filesystem>
#include <memory>
#include <string>

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "server/hls/HlsKeys.h"

namespace stagecast::server::hls {

class HlsKeyStore {
public:
    HlsKeyStore(std::filesystem::path root, boost::asio::thread_pool& workers);

    /// Deletes *.key files a previous run left under the root (their segments are gone).
    void removeStale();
    void store(const std::string& app, const std::string& name, std::shared_ptr<HlsKey> key);
    void remove(const std::string& app, const std::string& name, const std::string& id);

    const std::filesystem::path& root() const { return root_; }

private:
    struct Reporter;
    const std::filesystem::path root_;
    boost::asio::strand<boost::asio::thread_pool::executor_type> strand_;
    std::shared_ptr<Reporter> reporter_; // shared with queued jobs
};

} // namespace stagecast::server::hls
