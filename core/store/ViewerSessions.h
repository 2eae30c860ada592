#pragma once
/// Repository for `viewer_sessions`: who watched which stream, over what, for how long, and
/// how many bytes they were sent.
///
/// Named by (stream, client id) while open, like publish sessions (see PublishSessions.h),
/// so the hub's ClientJoined/ClientLeft events can be enqueued as they happen.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "store/PublishSessions.h"
#include "store/Time.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

struct ViewerStart {
    std::string stream; // "APP/STREAM"
    std::uint64_t clientId = 0;
    std::string protocol; // "rtmp", "http-flv", "hls", ...
    std::string address;
    std::string userAgent;
    Time at;
};

struct ViewerSession {
    std::int64_t id = 0;
    std::string stream;
    std::uint64_t clientId = 0;
    std::string protocol;
    std::string address;
    std::string userAgent;
    Time startedAt;
    std::optional<Time> endedAt;
    std::int64_t bytes = 0;
};

class ViewerSessions {
public:
    ViewerSessions() = delete;

    static base::Result<std::int64_t> open(WriteContext& context, const ViewerStart& start);
    /// Records the end and the bytes sent; returns the number of sessions closed (0 or 1).
    static base::Result<std::int64_t> close(WriteContext& context, std::string_view stream,
                                            std::uint64_t clientId, Time at, std::int64_t bytes);
    static base::Result<std::int64_t> closeAllOpen(WriteContext& context, Time at);
    static base::Result<std::vector<ViewerSession>> list(StoreReader& reader,
                                                         const SessionFilter& filter);
    /// Viewers watching `stream` now (all streams when empty).
    static base::Result<std::int64_t> countOpen(StoreReader& reader, std::string_view stream);
};

} // namespace stagecast::store
