#pragma once
/// HLS for every stream: starts packagers on demand (first playlist request) or always (on
/// publish), stops idle ones, holds the viewer sessions, and bounds how many packagers run.
/// Thread-safe; the HTTP sessions call it from network threads.

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "base/Result.h"
#include "server/hls/DvrService.h"
#include "server/hls/HlsOptions.h"
#include "server/hls/HlsOutput.h"
#include "server/hls/HlsSessions.h"
#include "server/hls/HlsStream.h"
#include "server/hls/MultiVariant.h"
#include "stream/HubEvent.h"

namespace stagecast::server {
struct ServerContext;
class IoPool;
} // namespace stagecast::server

namespace stagecast::server::hls {

class HlsService : public stream::HubEventListener {
public:
    HlsService(ServerContext& ctx, IoPool& pool, HlsOptions options);
    ~HlsService() override;

    void start();
    void stop();

    const HlsOptions& options() const { return options_; }
    /// The packager of `key`, started now if needed; fails when the stream is not live, HLS is
    /// off, or the packager limit is reached.
    base::Result<std::shared_ptr<HlsStream>> acquire(const stream::StreamKey& key);
    /// The running packager of `key`, or nullptr.
    std::shared_ptr<HlsStream> find(const stream::StreamKey& key) const;
    HlsSessions& sessions() { return sessions_; }
    /// /APP/STREAM_abr.m3u8 (transcoded renditions); the app sets its provider.
    MultiVariant& multiVariant() { return multiVariant_; }
    /// The DVR windows (hls.dvr_window_seconds > 0 and not encrypting), or null.
    DvrService* dvr() { return dvr_.get(); }
    /// Why there is no DVR although it is configured (hls.encrypt), or empty.
    const std::string& dvrRefusal() const { return dvrRefusal_; }
    std::size_t packagers() const;
    /// "APP/STREAM"'s figures in each output (folder, origin) that had a job for it.
    std::vector<HlsOutputStats> outputStats(const std::string& stream) const;

    void onHubEvent(const stream::HubEvent& event) override;

private:
    void scheduleReap();
    /// hls.mode = "always", or DVR on: packaging starts at the publish.
    bool packagesOnPublish() const;
    void reap();

    ServerContext& ctx_;
    IoPool& pool_;
    const HlsOptions options_;
    HlsSessions sessions_;
    MultiVariant multiVariant_;
    boost::asio::io_context& reaperIo_;
    boost::asio::steady_timer reaper_;
    std::atomic<bool> stopped_{false};

    // The folder (options.folder) and the origin (options.originUrl), when set.
    std::vector<std::unique_ptr<HlsOutput>> outputs_;
    std::unique_ptr<HlsKeyStore> keys_; // when options.encrypt is set
    std::unique_ptr<DvrService> dvr_;   // when options.dvrWindow > 0, not encrypting
    std::string dvrRefusal_;

    mutable std::mutex mutex_;
    std::map<stream::StreamKey, std::shared_ptr<HlsStream>> streams_;
};

} // namespace stagecast::server::hls
