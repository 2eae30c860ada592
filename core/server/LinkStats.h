#pragma once
/// Transport statistics of one connection, for protocols that measure their link (SRT): what
/// an engineer checks first when a remote presenter's picture breaks up.

#include <cstdint>

namespace stagecast::server {

struct LinkStats {
    double rttMs = 0;                 // smoothed round-trip time
    double bandwidthMbps = 0;         // estimated link capacity
    double receiveRateMbps = 0;       // over the last second
    std::int64_t receiveBufferMs = 0; // media waiting in the receiver buffer
    std::int64_t latencyMs = 0;       // the negotiated TSBPD latency
    std::uint64_t packetsReceived = 0;
    std::uint64_t packetsLost = 0;          // detected missing (retransmission requested)
    std::uint64_t packetsRetransmitted = 0; // retransmitted packets that arrived
    std::uint64_t packetsDropped = 0;       // too late to play: lost for good
    std::uint64_t packetsUndecrypted = 0;   // wrong passphrase/key
};

} // namespace stagecast::server
