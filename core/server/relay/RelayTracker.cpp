#include "RelayTracker.h"

#include "stream/Hub.h"

namespace stagecast::server::relay {

RelayTracker::RelayTracker(stream::Hub& hub, std::size_t index, std::string stream, std::string url,
                           std::string protocol)
    : hub_(hub), protocol_(std::move(protocol)) {
    status_.index = index;
    status_.stream = std::move(stream);
    status_.url = std::move(url);
    status_.stateSince = std::chrono::system_clock::now();
}

void RelayTracker::setState(RelayState state, const std::string& error) {
    stream::HubEvent e;
    {
        std::lock_guard lock(mutex_);
        bool changed = status_.state != state;
        status_.state = state;
        if (!error.empty()) {
            status_.lastError = error;
        }
        if (!changed) {
            return;
        }
        status_.stateSince = std::chrono::system_clock::now();
        e.stream = status_.stream;
        e.address = status_.url;
    }
    e.type = stream::HubEventType::RelayStateChanged;
    e.protocol = protocol_;
    e.reason = std::string(toString(state)) + (error.empty() ? "" : ": " + error);
    hub_.report(std::move(e));
}

void RelayTracker::addSent(std::uint64_t bytes) {
    std::lock_guard lock(mutex_);
    status_.bytesSent += bytes;
    bits_.add(bytes * 8, std::chrono::steady_clock::now());
}

void RelayTracker::addReconnect() {
    std::lock_guard lock(mutex_);
    status_.reconnects += 1;
}

void RelayTracker::addDropped(std::uint64_t packets) {
    std::lock_guard lock(mutex_);
    status_.droppedPackets += packets;
}

RelayStatus RelayTracker::status() const {
    std::lock_guard lock(mutex_);
    RelayStatus s = status_;
    s.bitrate = bits_.perSecond(std::chrono::steady_clock::now());
    return s;
}

} // namespace stagecast::server::relay
