#pragma once
/// Minimal thread-safe logging to stderr: one line per call, "LEVEL [module] message".
/// Protocol code never logs; sessions and services do. A sink can be installed by app/ to
/// route lines elsewhere (the store's audit log, the GUI).

#include <functional>
#include <string_view>

namespace stagecast::base {

enum class LogLevel { Debug = 1, Info, Warning, Error };

using LogSink = std::function<void(LogLevel, std::string_view module, std::string_view message)>;

/// Thread-safe. Lines below the threshold are discarded before formatting.
void setLogThreshold(LogLevel level);
/// Replaces the default stderr sink; pass nullptr to restore it. Call before threads start.
void setLogSink(LogSink sink);
bool logEnabled(LogLevel level);
void log(LogLevel level, std::string_view module, std::string_view message);

} // namespace stagecast::base
