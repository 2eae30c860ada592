#include "Metrics.h"

#include <charconv>
#include <map>
#include <sstream>

namespace stagecast::server::api {

namespace {

/// Label values escape backslash, quote and newline (exposition format, "Text format details").
std::string escapeLabel(const std::string& v) {
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

class Writer {
public:
    void family(const char* name, const char* type, const char* help) {
        out_ << "# HELP " << name << ' ' << help << '\n'
             << "# TYPE " << name << ' ' << type << '\n';
    }
    void sample(const char* name, double value, const std::string& labels = {}) {
        out_ << name;
        if (!labels.empty()) {
            out_ << '{' << labels << '}';
        }
        // Shortest round-trip form: counters stay exact (no 7.9e+06).
        char buf[64];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
        out_ << ' ' << std::string_view(buf, ec == std::errc() ? end - buf : 0) << '\n';
    }
    std::string str() const { return out_.str(); }

private:
    std::ostringstream out_;
};

std::string streamLabel(const std::string& key) {
    return "stream=\"" + escapeLabel(key) + "\"";
}

/// SRT link figures of each publishing connection that measures them, by stream.
void writeLinkMetrics(Writer& w, const std::vector<ClientView>& clients) {
    struct LinkGauge {
        const char* name;
        const char* type;
        const char* help;
        double (*get)(const LinkStats&);
    };
    const LinkGauge gauges[] = {
        {"stagecast_srt_rtt_seconds", "gauge", "SRT round-trip time of the publisher's link.",
         [](const LinkStats& l) { return l.rttMs / 1000; }},
        {"stagecast_srt_receive_buffer_seconds", "gauge",
         "Media waiting in the SRT receiver buffer.",
         [](const LinkStats& l) { return static_cast<double>(l.receiveBufferMs) / 1000; }},
        {"stagecast_srt_bandwidth_bits_per_second", "gauge", "SRT estimated link bandwidth.",
         [](const LinkStats& l) { return l.bandwidthMbps * 1e6; }},
        {"stagecast_srt_received_packets_total", "counter", "SRT packets received.",
         [](const LinkStats& l) { return static_cast<double>(l.packetsReceived); }},
        {"stagecast_srt_lost_packets_total", "counter", "SRT packets detected missing.",
         [](const LinkStats& l) { return static_cast<double>(l.packetsLost); }},
        {"stagecast_srt_retransmitted_packets_total", "counter",
         "SRT retransmitted packets received.",
         [](const LinkStats& l) { return static_cast<double>(l.packetsRetransmitted); }},
        {"stagecast_srt_dropped_packets_total", "counter",
         "SRT packets that arrived too late to play, or never.",
         [](const LinkStats& l) { return static_cast<double>(l.packetsDropped); }},
    };
    for (const auto& g : gauges) {
        w.family(g.name, g.type, g.help);
        for (const auto& c : clients) {
            if (c.link && c.role == ClientRole::Publisher) {
                w.sample(g.name, g.get(*c.link), streamLabel(c.stream));
            }
        }
    }
}

} // namespace

std::string renderMetrics(ServerContext& ctx) {
    auto streams = ctx.hub.snapshot();
    auto clients = ctx.clients.list();
    Writer w;

    w.family("stagecast_uptime_seconds", "gauge", "Seconds since the server started.");
    w.sample(
        "stagecast_uptime_seconds",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.startedAt).count());

    std::size_t live = 0;
    for (const auto& s : streams) {
        live += s.live ? 1 : 0;
    }
    w.family("stagecast_streams", "gauge", "Streams with a publisher.");
    w.sample("stagecast_streams", static_cast<double>(live));

    std::map<std::pair<std::string, std::string>, std::size_t> byRole;
    std::map<std::pair<std::string, std::string>, std::size_t> viewers;
    for (const auto& c : clients) {
        byRole[{c.protocol, toString(c.role)}]++;
        if (c.role == ClientRole::Player) {
            viewers[{c.stream, c.protocol}]++;
        }
    }
    w.family("stagecast_clients", "gauge", "Connected clients by protocol and role.");
    for (const auto& [k, n] : byRole) {
        w.sample("stagecast_clients", static_cast<double>(n),
                 "protocol=\"" + k.first + "\",role=\"" + k.second + "\"");
    }
    w.family("stagecast_received_bytes_total", "counter", "Bytes received from all clients.");
    w.sample("stagecast_received_bytes_total", static_cast<double>(ctx.clients.totalBytesIn()));
    w.family("stagecast_sent_bytes_total", "counter", "Bytes sent to all clients.");
    w.sample("stagecast_sent_bytes_total", static_cast<double>(ctx.clients.totalBytesOut()));

    w.family("stagecast_stream_viewers", "gauge", "Players per stream and protocol.");
    for (const auto& [k, n] : viewers) {
        w.sample("stagecast_stream_viewers", static_cast<double>(n),
                 streamLabel(k.first) + ",protocol=\"" + k.second + "\"");
    }
    struct Gauge {
        const char* name;
        const char* type;
        const char* help;
        double (*get)(const stream::StreamSnapshot&);
    };
    const Gauge gauges[] = {
        {"stagecast_stream_video_bitrate_bits_per_second", "gauge",
         "Video bitrate over the last seconds.", [](const auto& s) { return s.videoBitrate; }},
        {"stagecast_stream_audio_bitrate_bits_per_second", "gauge",
         "Audio bitrate over the last seconds.", [](const auto& s) { return s.audioBitrate; }},
        {"stagecast_stream_frames_per_second", "gauge", "Measured video frame rate.",
         [](const auto& s) { return s.frameRate; }},
        {"stagecast_stream_keyframe_interval_seconds", "gauge",
         "Media time between the last two keyframes.",
         [](const auto& s) { return s.keyframeInterval; }},
        {"stagecast_stream_uptime_seconds", "gauge", "Seconds since the stream was published.",
         [](const auto& s) { return std::chrono::duration<double>(s.uptime).count(); }},
        {"stagecast_stream_received_bytes_total", "counter", "Media bytes received.",
         [](const auto& s) { return static_cast<double>(s.bytesIn); }},
        {"stagecast_stream_reader_skips_total", "counter",
         "Times a slow reader skipped forward to a keyframe.",
         [](const auto& s) { return static_cast<double>(s.readerSkips); }},
        {"stagecast_stream_reader_dropped_bytes_total", "counter",
         "Bytes dropped for slow readers.",
         [](const auto& s) { return static_cast<double>(s.readerDroppedBytes); }},
        {"stagecast_stream_slow_disconnects_total", "counter",
         "Readers disconnected for being too slow.",
         [](const auto& s) { return static_cast<double>(s.readersDisconnectedSlow); }},
    };
    for (const auto& g : gauges) {
        w.family(g.name, g.type, g.help);
        for (const auto& s : streams) {
            if (s.live) {
                w.sample(g.name, g.get(s), streamLabel(s.key));
            }
        }
    }
    writeLinkMetrics(w, clients);
    auto relays = ctx.relays.statuses();
    w.family("stagecast_relay_up", "gauge", "1 while the relay is publishing to its destination.");
    for (const auto& r : relays) {
        w.sample("stagecast_relay_up", r.state == relay::RelayState::Publishing ? 1 : 0,
                 "relay=\"" + std::to_string(r.index) + "\"," + streamLabel(r.stream));
    }
    w.family("stagecast_relay_sent_bytes_total", "counter", "Bytes sent to the destination.");
    for (const auto& r : relays) {
        w.sample("stagecast_relay_sent_bytes_total", static_cast<double>(r.bytesSent),
                 "relay=\"" + std::to_string(r.index) + "\"," + streamLabel(r.stream));
    }
    w.family("stagecast_relay_reconnects_total", "counter", "Times the relay reconnected.");
    for (const auto& r : relays) {
        w.sample("stagecast_relay_reconnects_total", static_cast<double>(r.reconnects),
                 "relay=\"" + std::to_string(r.index) + "\"," + streamLabel(r.stream));
    }
    return w.str();
}

} // namespace stagecast::server::api
