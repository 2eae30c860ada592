#pragma once
/// Pulls: each [[pull]] entry reads an external stream (RTMP, RTMPS, HTTP-FLV, HLS, SRT)
/// through media::UrlSource on a thread of its own and publishes it into the hub as its
/// `stream` (a remote source for players, relays, the recorder and the director). When the
/// source drops, the stream is unpublished and the pull reconnects with backoff (1 s doubling
/// to 30 s, back to 1 s after 10 s of pulling). State, bytes, reconnects and the last error
/// are in GET /api/v1/pulls and on the "pulls" event topic.
///
/// Order (app/main.cpp): Pulls pulls(cfg, server); pulls.mount(server.api()) before
/// server.start(); pulls.start() after it; pulls.stop() before server.stop().

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "media/pull/UrlSource.h"
#include "server/Server.h"

namespace stagecast::app {

class Pulls {
public:
    Pulls(const std::vector<config::PullConfig>& pulls, server::Server& server);
    ~Pulls();
    Pulls(const Pulls&) = delete;
    Pulls& operator=(const Pulls&) = delete;

    void mount(server::api::ApiRouter& router);
    void start();
    /// Ends every pull (unpublishing its stream) and joins the threads. Idempotent.
    void stop();

    nlohmann::json status() const;

private:
    struct Entry {
        std::string stream;
        std::string url;
        std::string shownUrl; // redacted
        std::atomic<bool> abort{false};
        media::UrlSourceCounters counters;
        std::thread thread;
        mutable std::mutex mutex; // guards the fields below
        std::string state = "idle";
        std::string source;
        std::string lastError;
        std::uint64_t reconnects = 0;
        std::chrono::system_clock::time_point since = std::chrono::system_clock::now();
    };

    void run(Entry& e);
    void setState(Entry& e, std::string state, std::string detail);
    /// Sleeps up to `d`; false when stopping.
    bool pause(Entry& e, std::chrono::milliseconds d);

    server::Server& server_;
    std::vector<std::unique_ptr<Entry>> entries_;
    std::mutex waitMutex_;
    std::condition_variable wait_;
    std::atomic<bool> stopping_{false};
};

} // namespace stagecast::app
