#include "Report.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace stagecast::load {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

nlohmann::json opt(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json toJson(const Percentiles& p) {
    return {{"p50", opt(p.p50)},
            {"p95", opt(p.p95)},
            {"p99", opt(p.p99)},
            {"max", opt(p.max)},
            {"samples", p.samples}};
}

std::string fmt(const std::optional<double>& v, const char* format = "%.1f") {
    if (!v) {
        return "-";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, format, *v);
    return buf;
}

} // namespace

std::uint64_t RunResult::bytesWindow() const {
    std::uint64_t sum = 0;
    for (const auto& p : protocols) {
        sum += p.bytesWindow;
    }
    return sum;
}

std::size_t RunResult::players() const {
    std::size_t sum = 0;
    for (const auto& p : protocols) {
        sum += p.players;
    }
    return sum;
}

double RunResult::gibDelivered() const {
    return static_cast<double>(bytesWindow()) / kGiB;
}

std::optional<double> RunResult::cpuSecondsPerGib() const {
    if (!serverCpuSeconds || bytesWindow() == 0) {
        return std::nullopt;
    }
    return *serverCpuSeconds / gibDelivered();
}

std::optional<double> RunResult::rssPerPlayerKib() const {
    if (!serverRssBeforeBytes || !serverRssFullBytes || players() == 0) {
        return std::nullopt;
    }
    auto delta =
        static_cast<double>(*serverRssFullBytes) - static_cast<double>(*serverRssBeforeBytes);
    return delta / 1024.0 / static_cast<double>(players());
}

std::string toText(const RunResult& r) {
    std::string out;
    char line[512];
    for (const auto& p : r.protocols) {
        std::snprintf(line, sizeof line,
                      "%s: players %zu, connected %zu, got frames %zu, held %zu, failed %zu\n",
                      toString(p.protocol).c_str(), p.players, p.connected, p.gotFrames, p.held,
                      p.failed);
        out += line;
        out += "  play start ms p50 " + fmt(p.playStartMs.p50) + " p95 " + fmt(p.playStartMs.p95) +
               " max " + fmt(p.playStartMs.max) + "\n";
        out += "  set-up stages ms (p50/p95/max):";
        for (const auto& [stage, pct] : p.stageMs) {
            out += " " + stage + " " + fmt(pct.p50) + "/" + fmt(pct.p95) + "/" + fmt(pct.max) + ";";
        }
        out += "\n";
        out += "  first frame ms p50 " + fmt(p.firstFrameMs.p50) + " p95 " +
               fmt(p.firstFrameMs.p95) + "; first keyframe ms p50 " + fmt(p.firstKeyframeMs.p50) +
               " p95 " + fmt(p.firstKeyframeMs.p95) + "\n";
        out += "  latency ms p50 " + fmt(p.latencyMs.p50) + " p95 " + fmt(p.latencyMs.p95) +
               " p99 " + fmt(p.latencyMs.p99) + " max " + fmt(p.latencyMs.max) + " (" +
               std::to_string(p.latencyMs.samples) + " frames, " +
               std::to_string(p.unmatchedFrames) + " unmatched)\n";
        if (p.playbackMs.samples > 0) {
            out += "  playback latency ms p50 " + fmt(p.playbackMs.p50) + " p95 " +
                   fmt(p.playbackMs.p95) + " p99 " + fmt(p.playbackMs.p99) + " max " +
                   fmt(p.playbackMs.max) + " (" + std::to_string(p.playbackMs.samples) +
                   " frames, " + std::to_string(p.stalls) + " shown late)\n";
        }
        std::snprintf(line, sizeof line,
                      "  bytes total %llu, in window %llu; held players' mean rate %.2f Mbit/s\n",
                      static_cast<unsigned long long>(p.bytesTotal),
                      static_cast<unsigned long long>(p.bytesWindow), p.heldMbps);
        out += line;
        for (const auto& [error, count] : p.errors) {
            out += "  error x" + std::to_string(count) + ": " + error + "\n";
        }
        for (const auto& [stage, count] : p.stuck) {
            out += "  stuck x" + std::to_string(count) + " at " + stage + "\n";
        }
    }
    std::snprintf(line, sizeof line, "window %.1f s, delivered %.3f GiB\n", r.windowSeconds,
                  r.gibDelivered());
    out += line;
    out += "server: cpu-s " + fmt(r.serverCpuSeconds, "%.2f") + ", cpu-s/GiB " +
           fmt(r.cpuSecondsPerGib(), "%.2f") + ", rss before " +
           fmt(r.serverRssBeforeBytes
                   ? std::optional<double>(static_cast<double>(*r.serverRssBeforeBytes) / 1048576)
                   : std::nullopt) +
           " MiB, full " +
           fmt(r.serverRssFullBytes
                   ? std::optional<double>(static_cast<double>(*r.serverRssFullBytes) / 1048576)
                   : std::nullopt) +
           " MiB, per player " + fmt(r.rssPerPlayerKib()) + " KiB\n";
    if (r.machineBusySeconds) {
        auto others = *r.machineBusySeconds - r.loadToolCpuSeconds - r.serverCpuSeconds.value_or(0);
        std::snprintf(line, sizeof line,
                      "machine: %.2f of %.2f cpu-s busy; other processes %.2f cpu-s\n",
                      *r.machineBusySeconds, r.windowSeconds * r.cpus, others);
        out += line;
    }
    std::snprintf(line, sizeof line,
                  "load tool: cpu-s %.2f; publisher: %llu video frames, max %lld ms late%s%s\n",
                  r.loadToolCpuSeconds, static_cast<unsigned long long>(r.publisherFrames),
                  static_cast<long long>(r.publisherMaxLateMs),
                  r.publisherError.empty() ? "" : ", error: ", r.publisherError.c_str());
    out += line;
    return out;
}

std::string toJson(const RunResult& r) {
    nlohmann::json j;
    j["window_seconds"] = r.windowSeconds;
    auto& protocols = j["protocols"] = nlohmann::json::object();
    for (const auto& p : r.protocols) {
        nlohmann::json errors = nlohmann::json::object();
        for (const auto& [error, count] : p.errors) {
            errors[error] = count;
        }
        nlohmann::json stages = nlohmann::json::object();
        for (const auto& [stage, pct] : p.stageMs) {
            stages[stage] = toJson(pct);
        }
        nlohmann::json stuck = nlohmann::json::object();
        for (const auto& [stage, count] : p.stuck) {
            stuck[stage] = count;
        }
        protocols[toString(p.protocol)] = {
            {"players", p.players},
            {"connected", p.connected},
            {"got_frames", p.gotFrames},
            {"held", p.held},
            {"failed", p.failed},
            {"errors", errors},
            {"stuck", stuck},
            {"play_start_ms", toJson(p.playStartMs)},
            {"stage_ms", stages},
            {"first_frame_ms", toJson(p.firstFrameMs)},
            {"first_keyframe_ms", toJson(p.firstKeyframeMs)},
            {"latency_ms", toJson(p.latencyMs)},
            {"playback_latency_ms", toJson(p.playbackMs)},
            {"stalls", p.stalls},
            {"unmatched_frames", p.unmatchedFrames},
            {"bytes_total", p.bytesTotal},
            {"bytes_window", p.bytesWindow},
            {"held_mbps", p.heldMbps},
        };
    }
    j["server"] = {
        {"cpu_seconds", opt(r.serverCpuSeconds)},
        {"gib_delivered", r.gibDelivered()},
        {"cpu_seconds_per_gib", opt(r.cpuSecondsPerGib())},
        {"rss_before_bytes", r.serverRssBeforeBytes ? nlohmann::json(*r.serverRssBeforeBytes)
                                                    : nlohmann::json(nullptr)},
        {"rss_full_bytes",
         r.serverRssFullBytes ? nlohmann::json(*r.serverRssFullBytes) : nlohmann::json(nullptr)},
        {"rss_per_player_kib", opt(r.rssPerPlayerKib())},
    };
    j["load_tool"] = {{"cpu_seconds", r.loadToolCpuSeconds}};
    nlohmann::json others = nullptr;
    if (r.machineBusySeconds) {
        others = *r.machineBusySeconds - r.loadToolCpuSeconds - r.serverCpuSeconds.value_or(0);
    }
    j["machine"] = {{"cpus", r.cpus},
                    {"busy_cpu_seconds", opt(r.machineBusySeconds)},
                    {"other_processes_cpu_seconds", others}};
    j["publisher"] = {{"video_frames", r.publisherFrames},
                      {"max_late_ms", r.publisherMaxLateMs},
                      {"error", r.publisherError}};
    return j.dump(2);
}

} // namespace stagecast::load
