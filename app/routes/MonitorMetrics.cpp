#include "app/routes/MonitorMetrics.h"

#include <charconv>
#include <functional>
#include <map>

namespace stagecast::app {

namespace {

// Label values escape backslash, quote and newline (exposition format, "Text format details").
std::string escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string label(const char* name, const std::string& value) {
    return std::string(name) + "=\"" + escape(value) + "\"";
}

class Text {
public:
    void family(const char* name, const char* type, const char* help) {
        out_ += std::string("# HELP ") + name + ' ' + help + '\n';
        out_ += std::string("# TYPE ") + name + ' ' + type + '\n';
    }
    void sample(const char* name, double value, const std::string& labels = {}) {
        out_ += name;
        if (!labels.empty()) {
            out_ += '{' + labels + '}';
        }
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
        out_ += ' ';
        out_.append(buf, ec == std::errc() ? static_cast<std::size_t>(end - buf) : 0);
        out_ += '\n';
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

} // namespace

std::string renderMonitorMetrics(const MonitorFigures& f) {
    Text t;
    using Figure = std::function<double(const monitor::StreamHealth&)>;
    const auto perStream = [&](const char* name, const char* help, const Figure& figure) {
        t.family(name, "gauge", help);
        for (const auto& h : f.health) {
            t.sample(name, figure(h), label("stream", h.stream));
        }
    };
    perStream("stagecast_stream_health_video_kbps", "Video bitrate at the last 1 s sample.",
              [](const auto& h) { return h.videoKbps; });
    perStream("stagecast_stream_health_audio_kbps", "Audio bitrate at the last sample.",
              [](const auto& h) { return h.audioKbps; });
    perStream("stagecast_stream_health_fps", "Measured video frames per second.",
              [](const auto& h) { return h.fps; });
    perStream("stagecast_stream_health_keyframe_interval_seconds",
              "Media time between the last two keyframes.",
              [](const auto& h) { return h.keyframeIntervalS; });
    perStream("stagecast_stream_health_av_drift_ms",
              "Newest video minus newest audio decode time (0 without both tracks).",
              [](const auto& h) { return h.avDriftMs.value_or(0); });
    perStream("stagecast_stream_health_stalled",
              "1 while no media packet has arrived for stall_ms.",
              [](const auto& h) { return h.stalled ? 1.0 : 0.0; });
    perStream("stagecast_stream_health_stalls", "Stall episodes in the current publish.",
              [](const auto& h) { return static_cast<double>(h.stalls); });
    perStream("stagecast_stream_health_gaps", "Packet arrival gaps in the current publish.",
              [](const auto& h) { return static_cast<double>(h.gaps); });
    perStream("stagecast_stream_health_timestamp_jumps",
              "Decode-time jumps (backwards or beyond 1 s) in the current publish.",
              [](const auto& h) { return static_cast<double>(h.timestampJumps); });
    perStream("stagecast_stream_health_dropped_bytes",
              "Bytes dropped for slow viewers in the last sample interval.",
              [](const auto& h) { return static_cast<double>(h.droppedBytes); });
    perStream("stagecast_stream_health_uptime_seconds", "Seconds since the current publish began.",
              [](const auto& h) { return std::chrono::duration<double>(h.uptime).count(); });
    perStream("stagecast_stream_health_reconnects",
              "Publishes of the stream since start-up, minus the first.",
              [](const auto& h) { return static_cast<double>(h.reconnects); });

    t.family("stagecast_alerts_open", "gauge", "Alerts open now.");
    t.sample("stagecast_alerts_open", static_cast<double>(f.openAlerts.size()));
    t.family("stagecast_alerts_open_by_kind", "gauge", "Alerts open now, by rule.");
    std::map<std::string, int> byKind;
    for (const auto& a : f.openAlerts) {
        ++byKind[monitor::toString(a.kind)];
    }
    for (const auto& [kind, n] : byKind) {
        t.sample("stagecast_alerts_open_by_kind", n, label("kind", kind));
    }

    t.family("stagecast_viewers", "gauge", "Viewers watching now, by stream and protocol.");
    for (const auto& s : f.viewers.streams) {
        for (const auto& [protocol, c] : s.byProtocol) {
            t.sample("stagecast_viewers", static_cast<double>(c.current),
                     label("stream", s.stream) + "," + label("protocol", protocol));
        }
    }
    t.family("stagecast_viewers_peak", "gauge", "Most viewers at once since start-up, by stream.");
    for (const auto& s : f.viewers.streams) {
        t.sample("stagecast_viewers_peak", static_cast<double>(s.viewers.peak),
                 label("stream", s.stream));
    }
    t.family("stagecast_viewers_unique", "gauge",
             "Distinct viewers (address and user agent) since start-up.");
    t.sample("stagecast_viewers_unique", static_cast<double>(f.viewers.unique));
    t.family("stagecast_viewer_average_watch_seconds", "gauge",
             "Average length of the viewer sessions ended since start-up.");
    t.sample("stagecast_viewer_average_watch_seconds",
             std::chrono::duration<double>(f.viewers.averageWatch).count());

    const auto counter = [&](const char* name, const char* help, double value) {
        t.family(name, "counter", help);
        t.sample(name, value);
    };
    const auto& w = f.writer;
    counter("stagecast_store_samples_written_total", "Health samples committed.",
            static_cast<double>(w.samplesWritten));
    counter("stagecast_store_samples_dropped_total",
            "Health samples dropped by the full write queue (drop oldest).",
            static_cast<double>(w.samplesDroppedOldest));
    counter("stagecast_store_ops_written_total", "Store operations committed.",
            static_cast<double>(w.opsWritten));
    counter("stagecast_store_ops_failed_total", "Store operations that failed and were undone.",
            static_cast<double>(w.opsFailed));
    counter("stagecast_store_ops_rejected_total",
            "Store operations refused because the write queue was full.",
            static_cast<double>(w.opsRejectedFull));
    counter("stagecast_store_batches_failed_total",
            "Write transactions lost (BEGIN/COMMIT failed).", static_cast<double>(w.batchesFailed));
    counter("stagecast_store_events_refused_total",
            "Session events the store recorder could not queue.",
            static_cast<double>(f.eventsRefused));
    t.family("stagecast_store_queue_items", "gauge", "Items waiting in the store's write queue.");
    t.sample("stagecast_store_queue_items", static_cast<double>(w.queued));
    return t.take();
}

} // namespace stagecast::app
