#pragma once
/// Everything the embedded server needs to run, filled in by app/ from the configuration.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "server/AccessControl.h"
#include "server/ClientRegistry.h"
#include "server/hls/HlsOptions.h"
#include "server/relay/RelayManager.h"
#include "server/srt/SrtListener.h"
#include "stream/Hub.h"

namespace stagecast::server {

struct ServerOptions {
    std::string bindAddress = "0.0.0.0";
    std::uint16_t rtmpPort = 1935;
    std::uint16_t httpPort = 8080;
    std::uint16_t srtPort = 10080;
    srt::SrtOptions srt;
    std::size_t ioThreads = 0;

    stream::HubOptions hub;
    AccessOptions access;
    ClientLimits clients;

    std::uint32_t maxMessageBytes = 16 * 1024 * 1024;
    std::uint32_t maxChunkStreams = 64;
    std::chrono::milliseconds handshakeTimeout{10000};
    std::chrono::milliseconds idleTimeout{30000};
    std::size_t httpMaxHeaderBytes = 16384;
    /// Kernel send buffer of a player's socket. A fixed size (instead of autotuning up to
    /// several MiB) bounds kernel memory per viewer and lets a stalled viewer show up as
    /// backlog in the hub within seconds.
    std::size_t playerSendBufferBytes = 512 * 1024;

    /// Control API: bearer token; answered on loopback only unless allowRemote.
    std::string apiToken;
    bool apiAllowRemote = false;
    std::string corsOrigin = "*";

    /// HLS (MPEG-TS segments) on the HTTP port.
    hls::HlsOptions hls;

    /// Pushes of hub streams to external RTMP servers.
    std::vector<relay::RelayTarget> relays;

    std::string version = "0.0.0";
};

} // namespace stagecast::server
