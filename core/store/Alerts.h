#pragma once
/// Repository for `alerts`: conditions monitoring raised (no video, bitrate low, dropping)
/// and when they cleared.
///
/// At most one alert of a kind is open per stream (or studio-wide, stream empty): opening
/// one that is already open updates its severity and details instead, and closing names the
/// stream and kind, so a rule can enqueue both without knowing row ids.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "store/Time.h"

namespace stagecast::store {

class StoreReader;
class WriteContext;

enum class AlertSeverity : std::uint8_t { Info = 1, Warning, Critical };

const char* toString(AlertSeverity severity);
std::optional<AlertSeverity> parseAlertSeverity(std::string_view text);

struct AlertOpen {
    std::string stream; // "APP/STREAM"; empty: studio-wide
    std::string kind;   // the rule's name, e.g. "no_video", "bitrate_low"
    AlertSeverity severity = AlertSeverity::Warning;
    Time at;
    std::string details;
};

struct Alert {
    std::int64_t id = 0;
    std::string stream;
    std::string kind;
    AlertSeverity severity = AlertSeverity::Warning;
    Time openedAt;
    std::optional<Time> closedAt;
    std::string details;
};

struct AlertFilter {
    std::string stream; // empty: any
    bool openOnly = false;
    std::optional<Time> from; // opened_at >= from
    std::optional<Time> to;   // opened_at < to
    std::size_t limit = 100;  // newest first
    std::size_t offset = 0;
};

class Alerts {
public:
    Alerts() = delete;

    /// Returns the id of the open alert (new or updated).
    static base::Result<std::int64_t> open(WriteContext& context, const AlertOpen& alert);
    /// Returns 1 if an open alert was closed, 0 if none was open.
    static base::Result<std::int64_t> close(WriteContext& context, std::string_view stream,
                                            std::string_view kind, Time at);
    static base::Result<std::vector<Alert>> list(StoreReader& reader, const AlertFilter& filter);
};

} // namespace stagecast::store
