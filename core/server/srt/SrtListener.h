#pragma once
/// SRT ingest and playback through libsrt: a listener whose stream id names the stream and carries
/// the signature (`#!::r=APP/STREAM,m=publish,auth_key=...`), optional passphrase encryption and
/// latency, and MPEG-TS (H.264/HEVC/AAC) demuxed into the hub, so an SRT publish plays over
/// RTMP and HTTP-FLV like any other. A caller with `m=request` plays a hub stream as MPEG-TS
/// (see SrtPlayer), signed like any player when play auth is on.
///
/// Threads: libsrt's own threads run the protocol; one thread of ours waits on an SRT epoll,
/// accepts, reads and demuxes. Access is decided in libsrt's listen callback (before the
/// handshake completes, so a refused caller sees the reason code). Kicks are queued to that
/// thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/Result.h"
#include "stream/StreamKey.h"

namespace stagecast::server {
struct ServerContext;
}

namespace stagecast::server::srt {

struct SrtOptions {
    std::string passphrase; // empty: no encryption; else 10..79 characters
    std::chrono::milliseconds latency{120};
};

class SrtListener {
public:
    SrtListener(ServerContext& ctx, SrtOptions options);
    ~SrtListener();
    SrtListener(const SrtListener&) = delete;
    SrtListener& operator=(const SrtListener&) = delete;

    base::Status listen(const std::string& address, std::uint16_t port);
    void start();
    /// Ends every SRT publish and joins the thread. Idempotent.
    void stop();
    std::uint16_t port() const { return port_; }

private:
    struct Session;
    int decide(int socket, const std::string& address, const char* streamId);
    void run();
    void acceptOne();
    void readFrom(int socket);
    void closeSession(int socket, const std::string& reason);
    /// Once a second: libsrt's link statistics of every session into the client registry.
    void pollStats();
    void startPlayer(int socket, std::unique_ptr<Session> session, const stream::StreamKey& key);
    void pumpPlayers();

    ServerContext& ctx_;
    SrtOptions options_;
    int listener_ = -1;
    int epoll_ = -1;
    std::uint16_t port_ = 0;
    std::thread thread_;
    std::size_t players_ = 0;
    std::chrono::steady_clock::time_point nextStats_{};
    std::atomic<bool> stopping_{false};
    std::map<int, std::unique_ptr<Session>> sessions_; // our thread only
    std::mutex kickMutex_;
    std::vector<std::pair<int, std::string>> kicks_;
};

} // namespace stagecast::server::srt
