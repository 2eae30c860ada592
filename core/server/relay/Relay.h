#pragma once
/// One configured relay of any kind (RTMP/RTMPS, SRT), as the RelayManager drives it.

#include "server/relay/RelayStatus.h"

namespace stagecast::server::relay {

class Relay {
public:
    virtual ~Relay() = default;
    virtual void start() = 0;
    /// Thread-safe; the relay stops reconnecting and closes.
    virtual void stop() = 0;
    /// Thread-safe.
    virtual RelayStatus status() const = 0;
};

} // namespace stagecast::server::relay
