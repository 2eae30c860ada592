#pragma once
/// Alert rules' names, thresholds and the event an alert's opening or closing produces.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/Alerts.h"
#include "store/Time.h"

namespace stagecast::monitor {

enum class AlertKind : std::uint8_t {
    StreamDown = 1,  // a stream that was live has had no publisher for streamDown
    BitrateLow,      // bitrate below bitrateLowPercent of its recent median for bitrateLowFor
    FpsLow,          // measured fps below fpsLowPercent of nominal for fpsLowFor
    KeyframeMissing, // no keyframe for keyframeMissing (media time)
    Silence,         // content probe: silence for silenceFor
    Black,           // content probe: black picture for blackFor
    Frozen,          // content probe: frozen picture for frozenFor
    LoudnessHigh,    // content probe: short-term loudness above loudnessMaxLufs for loudnessFor
    // Raised by other modules (AlertEngine::raise), open until they clear them:
    DiskLow,         // the recordings folder is below its free-space threshold
    RecordingFailed, // a recording stopped on an error (cannot write the file)
    TranscodeBehind, // a transcode drops pictures: encoding is slower than real time
    DirectorStandby, // an input on the director's program went to standby (backup or slate)
};

/// "stream_down", "bitrate_low", "fps_low", "keyframe_missing", "silence", "black", "frozen",
/// "loudness_high", "disk_low", "recording_failed", "transcode_behind",
/// "director_standby": the `kind` stored in the
/// alerts table and shown by the API.
const char* toString(AlertKind kind);
std::optional<AlertKind> parseAlertKind(std::string_view text);
store::AlertSeverity severityOf(AlertKind kind);
/// Kinds that modules raise and clear themselves (no rule of the engine opens or closes them).
bool isRaisedKind(AlertKind kind);

/// Defaults as an operator would set them (docs/monitoring.md says why each).
struct AlertThresholds {
    std::chrono::seconds streamDown{5};
    double bitrateLowPercent = 50;
    std::chrono::seconds bitrateWindow{60};
    std::chrono::seconds bitrateLowFor{5};
    double fpsLowPercent = 80;
    std::chrono::seconds fpsLowFor{5};
    std::chrono::seconds keyframeMissing{10};
    std::chrono::seconds silenceFor{10};
    std::chrono::seconds blackFor{10};
    std::chrono::seconds frozenFor{10};
    double loudnessMaxLufs = -10;
    std::chrono::seconds loudnessFor{5};
};

/// An alert opening (closedAt empty) or closing (closedAt and duration set).
struct AlertEvent {
    std::string stream; // "APP/STREAM"
    AlertKind kind = AlertKind::StreamDown;
    store::AlertSeverity severity = store::AlertSeverity::Warning;
    store::Time openedAt;
    std::optional<store::Time> closedAt;
    std::chrono::milliseconds duration{0}; // closedAt - openedAt once closed
    std::string details;
    bool isOpen() const { return !closedAt.has_value(); }
};

} // namespace stagecast::monitor
