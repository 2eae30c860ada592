#pragma once
/// The status one relay shows (state, bytes, bitrate, reconnects, drops, last error), shared
/// by every relay kind: thread-safe, and each state change becomes a hub event
/// (relay_state_changed) for the API's event stream and webhooks.

#include <cstdint>
#include <mutex>
#include <string>

#include "server/relay/RelayStatus.h"
#include "stream/RateMeter.h"

namespace stagecast::stream {
class Hub;
}

namespace stagecast::server::relay {

class RelayTracker {
public:
    /// `protocol` names the relay kind in events ("rtmp-relay", "rtmps-relay", "srt-relay").
    RelayTracker(stream::Hub& hub, std::size_t index, std::string stream, std::string url,
                 std::string protocol);

    void setState(RelayState state, const std::string& error = {});
    void addSent(std::uint64_t bytes);
    void addReconnect();
    void addDropped(std::uint64_t packets);
    RelayStatus status() const;

private:
    stream::Hub& hub_;
    const std::string protocol_;
    mutable std::mutex mutex_;
    RelayStatus status_;
    stream::RateMeter bits_;
};

} // namespace stagecast::server::relay
