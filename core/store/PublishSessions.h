#pragma once
/// Repository for `publish_sessions`: who published which stream, when, with what media, and
/// why it ended.
///
/// A session is named by (stream, client id) while it is open: that is what the hub's
/// Published/Unpublished events carry, so a network thread can enqueue open and close
/// without waiting for a row id. Client ids restart with the process: call closeAllOpen()
/// once at start-up, before new events arrive.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"
#include "store/Time.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

struct PublishStart {
    std::string stream; // "APP/STREAM"
    std::uint64_t clientId = 0;
    std::string protocol; // "rtmp", "srt", ...
    std::string address;
    Time at;
};

/// What the ingest learns once the decoder configs arrive.
struct PublishMedia {
    std::string videoCodec; // "h264", "hevc", ... ; empty: none
    std::string audioCodec;
    std::optional<std::int64_t> width;
    std::optional<std::int64_t> height;
};

struct PublishSession {
    std::int64_t id = 0;
    std::string stream;
    std::uint64_t clientId = 0;
    std::string protocol;
    std::string address;
    PublishMedia media;
    Time startedAt;
    std::optional<Time> endedAt;
    std::string endReason;
};

struct SessionFilter {
    std::string stream;       // empty: all streams
    std::optional<Time> from; // started_at >= from
    std::optional<Time> to;   // started_at < to
    bool openOnly = false;
    std::size_t limit = 100; // newest first
    std::size_t offset = 0;
};

class PublishSessions {
public:
    PublishSessions() = delete;

    static base::Result<std::int64_t> open(WriteContext& context, const PublishStart& start);
    /// Returns the number of open sessions updated (0 if none matched).
    static base::Result<std::int64_t> setMedia(WriteContext& context, std::string_view stream,
                                               std::uint64_t clientId, const PublishMedia& media);
    static base::Result<std::int64_t> close(WriteContext& context, std::string_view stream,
                                            std::uint64_t clientId, Time at,
                                            std::string_view reason);
    /// Ends every session still open (after a crash or restart); returns how many.
    static base::Result<std::int64_t> closeAllOpen(WriteContext& context, Time at,
                                                   std::string_view reason);
    static base::Result<std::vector<PublishSession>> list(StoreReader& reader,
                                                          const SessionFilter& filter);
};

} // namespace stagecast::store
