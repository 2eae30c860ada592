#pragma once
/// Writes the hub's session events to the store: Published/Unpublished as publish sessions,
/// ClientJoined/ClientLeft as viewer sessions (protocol, address, user agent, bytes).
///
/// Threads: onHubEvent runs on network threads (and under hub locks): it only enqueues on the
/// StoreWriter, which never blocks. A refused enqueue (the writer's queue is full of
/// operations) is counted and logged, never waited for. closeLeftOpen() blocks and is for
/// start-up only.

#include <atomic>
#include <cstdint>

#include "base/Result.h"
#include "store/Time.h"
#include "stream/HubEvent.h"

namespace stagecast::store {
class StoreWriter;
}

namespace stagecast::monitor {

/// What start-up found left open by the previous run (a crash, a kill, a power cut).
struct LeftOpen {
    std::int64_t publishSessions = 0;
    std::int64_t viewerSessions = 0;
    std::int64_t recordings = 0; // marked interrupted
    std::int64_t alerts = 0;
};

class StoreRecorder : public stream::HubEventListener {
public:
    /// The writer must outlive the recorder, and the recorder must be removed from the hub
    /// before it is destroyed.
    explicit StoreRecorder(store::StoreWriter& writer) : writer_(writer) {}

    void onHubEvent(const stream::HubEvent& event) override;

    /// Events that could not be queued (writer queue full or stopped).
    std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }

    /// Start-up, before the server accepts anyone: ends sessions and alerts still open in the
    /// store (their process ended without closing them; client ids restart with the process)
    /// at `now`, and marks unfinished recordings interrupted. Blocks until written.
    static base::Result<LeftOpen> closeLeftOpen(store::StoreWriter& writer, store::Time now);

private:
    store::StoreWriter& writer_;
    std::atomic<std::uint64_t> refused_{0};
};

} // namespace stagecast::monitor
