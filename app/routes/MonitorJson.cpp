#include "app/routes/MonitorJson.h"

#include <cmath>
#include <cstdio>

namespace stagecast::app {

using nlohmann::json;

namespace {

double round3(double v) {
    return std::round(v * 1000) / 1000;
}

json optionalNumber(const std::optional<double>& v) {
    return v ? json(round3(*v)) : json(nullptr);
}

json range(const monitor::FigureRange& r) {
    return {{"min", optionalNumber(r.min)},
            {"avg", optionalNumber(r.avg)},
            {"max", optionalNumber(r.max)}};
}

double secondsOf(std::chrono::milliseconds ms) {
    return round3(std::chrono::duration<double>(ms).count());
}

json counts(const monitor::ViewerCount& c) {
    return {{"current", c.current}, {"peak", c.peak}};
}

json byProtocol(const std::map<std::string, monitor::ViewerCount>& m) {
    json out = json::object();
    for (const auto& [protocol, c] : m) {
        out[protocol] = counts(c);
    }
    return out;
}

} // namespace

std::string rfc3339(store::Time t) {
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                  static_cast<int>(hms.subseconds().count()));
    return text;
}

json toJson(const monitor::StreamHealth& h) {
    json viewers = json::object();
    for (const auto& [protocol, n] : h.viewersByProtocol) {
        viewers[protocol] = n;
    }
    return {
        {"stream", h.stream},
        {"at", rfc3339(h.at)},
        {"publisher",
         {{"id", h.publisherId},
          {"protocol", h.publisherProtocol},
          {"address", h.publisherAddress},
          {"uptime_s", secondsOf(h.uptime)},
          {"reconnects", h.reconnects}}},
        {"video",
         {{"codec", h.videoCodec},
          {"width", h.width},
          {"height", h.height},
          {"kbps", round3(h.videoKbps)},
          {"fps", round3(h.fps)},
          {"nominal_fps", round3(h.nominalFps)},
          {"keyframe_interval_s", round3(h.keyframeIntervalS)},
          {"since_keyframe_s", optionalNumber(h.sinceKeyframeS)}}},
        {"audio", {{"codec", h.audioCodec}, {"kbps", round3(h.audioKbps)}}},
        {"av_drift_ms", optionalNumber(h.avDriftMs)},
        {"since_last_packet_ms", optionalNumber(h.sinceLastPacketMs)},
        {"stalled", h.stalled},
        {"stalls", h.stalls},
        {"gaps", h.gaps},
        {"timestamp_jumps", h.timestampJumps},
        {"viewers", h.viewers},
        {"viewers_by_protocol", viewers},
        {"dropped_bytes", h.droppedBytes},
        {"dropped_bytes_total", h.droppedBytesTotal},
        {"slow_disconnects", h.slowDisconnects},
    };
}

json toJson(const monitor::SeriesPoint& p) {
    return {
        {"at", rfc3339(p.at)},
        {"samples", p.samples},
        {"video_kbps", range(p.videoKbps)},
        {"audio_kbps", range(p.audioKbps)},
        {"fps", range(p.fps)},
        {"keyframe_interval_s", range(p.keyframeIntervalS)},
        {"viewers", range(p.viewers)},
        {"dropped_bytes", p.droppedBytes},
    };
}

json toJson(const monitor::AlertEvent& a) {
    return {
        {"stream", a.stream},
        {"kind", monitor::toString(a.kind)},
        {"severity", store::toString(a.severity)},
        {"state", a.isOpen() ? "open" : "closed"},
        {"opened_at", rfc3339(a.openedAt)},
        {"closed_at", a.closedAt ? json(rfc3339(*a.closedAt)) : json(nullptr)},
        {"duration_s", a.closedAt ? json(secondsOf(a.duration)) : json(nullptr)},
        {"details", a.details},
    };
}

json toJson(const store::Alert& a, store::Time now) {
    const auto end = a.closedAt.value_or(std::max(now, a.openedAt));
    return {
        {"id", a.id},
        {"stream", a.stream},
        {"kind", a.kind},
        {"severity", store::toString(a.severity)},
        {"state", a.closedAt ? "closed" : "open"},
        {"opened_at", rfc3339(a.openedAt)},
        {"closed_at", a.closedAt ? json(rfc3339(*a.closedAt)) : json(nullptr)},
        // Closed: its duration; open: how long so far.
        {"duration_s",
         secondsOf(std::chrono::duration_cast<std::chrono::milliseconds>(end - a.openedAt))},
        {"details", a.details},
    };
}

json toJson(const monitor::ViewersReport& r) {
    json streams = json::array();
    for (const auto& s : r.streams) {
        streams.push_back({
            {"stream", s.stream},
            {"current", s.viewers.current},
            {"peak", s.viewers.peak},
            {"by_protocol", byProtocol(s.byProtocol)},
            {"unique", s.unique},
            {"sessions_ended", s.sessionsEnded},
            {"average_watch_s", secondsOf(s.averageWatch)},
        });
    }
    return {
        {"current", r.viewers.current},
        {"peak", r.viewers.peak},
        {"by_protocol", byProtocol(r.byProtocol)},
        {"unique", r.unique},
        {"unique_capped", r.uniqueCapped},
        {"sessions_ended", r.sessionsEnded},
        {"average_watch_s", secondsOf(r.averageWatch)},
        {"streams", streams},
    };
}

json toJson(const store::PublishSession& s) {
    return {
        {"id", s.id},
        {"stream", s.stream},
        {"client_id", s.clientId},
        {"protocol", s.protocol},
        {"address", s.address},
        {"video_codec", s.media.videoCodec},
        {"audio_codec", s.media.audioCodec},
        {"width", s.media.width ? json(*s.media.width) : json(nullptr)},
        {"height", s.media.height ? json(*s.media.height) : json(nullptr)},
        {"started_at", rfc3339(s.startedAt)},
        {"ended_at", s.endedAt ? json(rfc3339(*s.endedAt)) : json(nullptr)},
        {"end_reason", s.endReason},
    };
}

json toJson(const store::ViewerSession& s) {
    return {
        {"id", s.id},
        {"stream", s.stream},
        {"client_id", s.clientId},
        {"protocol", s.protocol},
        {"address", s.address},
        {"user_agent", s.userAgent},
        {"started_at", rfc3339(s.startedAt)},
        {"ended_at", s.endedAt ? json(rfc3339(*s.endedAt)) : json(nullptr)},
        {"bytes", s.bytes},
    };
}

} // namespace stagecast::app
