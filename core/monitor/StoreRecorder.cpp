#include "monitor/StoreRecorder.h"

#include "base/Log.h"
#include "store/Alerts.h"
#include "store/PublishSessions.h"
#include "store/Recordings.h"
#include "store/StoreWriter.h"
#include "store/ViewerSessions.h"

namespace stagecast::monitor {

namespace {

using stream::HubEventType;

// Ended sessions get this as their reason at start-up.
constexpr const char* kLeftOpenReason = "stagecast stopped without ending the session "
                                        "(crash, kill or power loss); end time is the restart";

std::int64_t signedBytes(std::uint64_t bytes) {
    return bytes > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX
                                                         : static_cast<std::int64_t>(bytes);
}

} // namespace

void StoreRecorder::onHubEvent(const stream::HubEvent& event) {
    const auto at = store::toStoreTime(event.time);
    base::Status queued;
    switch (event.type) {
    case HubEventType::Published:
        queued =
            writer_.enqueue([s = store::PublishStart{event.stream, event.clientId, event.protocol,
                                                     event.address, at}](store::WriteContext& c) {
                return store::PublishSessions::open(c, s);
            });
        break;
    case HubEventType::Unpublished:
        queued = writer_.enqueue([stream = event.stream, id = event.clientId, at,
                                  reason = event.reason](store::WriteContext& c) {
            return store::PublishSessions::close(c, stream, id, at, reason);
        });
        break;
    case HubEventType::ClientJoined:
        if (event.clientId == 0) {
            return; // relays: not viewers, and client id 0 would not name one session
        }
        queued = writer_.enqueue(
            [s = store::ViewerStart{event.stream, event.clientId, event.protocol, event.address,
                                    event.userAgent, at}](store::WriteContext& c) {
                return store::ViewerSessions::open(c, s);
            });
        break;
    case HubEventType::ClientLeft:
        if (event.clientId == 0) {
            return;
        }
        queued = writer_.enqueue([stream = event.stream, id = event.clientId, at,
                                  bytes = signedBytes(event.bytes)](store::WriteContext& c) {
            return store::ViewerSessions::close(c, stream, id, at, bytes);
        });
        break;
    case HubEventType::AuthDenied:
    case HubEventType::ReaderSkipped:
    case HubEventType::ReaderDropped:
    case HubEventType::RelayStateChanged:
        return; // not sessions: moderation records refusals, health samples count drops
    }
    if (!queued) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        base::log(base::LogLevel::Warning, "monitor",
                  std::string(stream::toString(event.type)) + " of " + event.stream +
                      " not stored: " + queued.error().message());
    }
}

base::Result<LeftOpen> StoreRecorder::closeLeftOpen(store::StoreWriter& writer, store::Time now) {
    // Open alerts are read first (the writer's connection is busy on its own thread).
    auto reader = writer.openReader();
    if (!reader) {
        return base::fail(reader.error().withContext("closing what the last run left open"));
    }
    store::AlertFilter filter;
    filter.openOnly = true;
    filter.limit = 100'000;
    auto open = store::Alerts::list(*reader, filter);
    if (!open) {
        return base::fail(open.error().withContext("listing open alerts"));
    }
    auto alerts = std::move(*open);
    LeftOpen result;
    auto done =
        writer.submit([&result, alerts, now](store::WriteContext& c) -> base::Result<std::int64_t> {
            auto publish = store::PublishSessions::closeAllOpen(c, now, kLeftOpenReason);
            if (!publish) {
                return base::fail(publish.error());
            }
            auto viewers = store::ViewerSessions::closeAllOpen(c, now);
            if (!viewers) {
                return base::fail(viewers.error());
            }
            auto recordings = store::Recordings::markInterrupted(c, now);
            if (!recordings) {
                return base::fail(recordings.error());
            }
            std::int64_t closed = 0;
            for (const auto& alert : alerts) {
                auto one = store::Alerts::close(c, alert.stream, alert.kind, now);
                if (!one) {
                    return base::fail(one.error());
                }
                closed += *one;
            }
            // Written here rather than captured by reference alone: the operation may run twice
            // (see StoreWriter), the last run is the committed one.
            result = {*publish, *viewers, *recordings, closed};
            return closed;
        });
    auto written = done.get();
    if (!written) {
        return base::fail(written.error().withContext("closing what the last run left open"));
    }
    return result;
}

} // namespace stagecast::monitor
