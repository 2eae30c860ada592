#include "Log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace stagecast::base {
namespace {

std::atomic<int> g_threshold{static_cast<int>(LogLevel::Info)};
std::mutex g_mutex;
LogSink g_sink;

const char* levelName(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return "DEBUG";
    case LogLevel::Info:
        return "INFO";
    case LogLevel::Warning:
        return "WARN";
    case LogLevel::Error:
        return "ERROR";
    }
    return "?";
}

} // namespace

void setLogThreshold(LogLevel level) {
    g_threshold = static_cast<int>(level);
}

void setLogSink(LogSink sink) {
    std::lock_guard lock(g_mutex);
    g_sink = std::move(sink);
}

bool logEnabled(LogLevel level) {
    return static_cast<int>(level) >= g_threshold.load();
}

void log(LogLevel level, std::string_view module, std::string_view message) {
    if (!logEnabled(level)) {
        return;
    }
    std::lock_guard lock(g_mutex);
    if (g_sink) {
        g_sink(level, module, message);
        return;
    }
    auto now = std::chrono::system_clock::now();
    auto secs = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
    std::fprintf(stderr, "%s.%03d %-5s [%.*s] %.*s\n", stamp, static_cast<int>(ms.count()),
                 levelName(level), static_cast<int>(module.size()), module.data(),
                 static_cast<int>(message.size()), message.data());
}

} // namespace stagecast::base
