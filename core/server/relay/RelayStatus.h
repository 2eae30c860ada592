#pragma once
/// What the API and metrics show of one relay.

#include <chrono>
#include <cstdint>
#include <string>

namespace stagecast::server::relay {

enum class RelayState : std::uint8_t { Connecting = 1, Publishing, Backoff, Stopped };

const char* toString(RelayState state);

struct RelayStatus {
    std::size_t index = 0;
    std::string stream;
    std::string url; // redacted
    RelayState state = RelayState::Connecting;
    std::uint64_t bytesSent = 0;
    double bitrate = 0; // bits per second over the last seconds
    std::uint64_t reconnects = 0;
    std::uint64_t droppedPackets = 0; // skipped by the hub's overflow policy
    std::string lastError;
    std::chrono::system_clock::time_point stateSince{};
};

} // namespace stagecast::server::relay
