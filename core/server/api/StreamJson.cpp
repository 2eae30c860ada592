#include "StreamJson.h"

#include <map>

#include <nlohmann/json.hpp>

namespace stagecast::server::api {

using nlohmann::json;

std::string isoTime(std::chrono::system_clock::time_point t, bool withMillis) {
    auto secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
#ifdef _WIN32
    gmtime_s(&tm, &secs);
#else
    gmtime_r(&secs, &tm);
#endif
    char buf[64];
    std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string text(buf, n);
    if (withMillis) {
        auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() %
            1000;
        text += '.';
        text += static_cast<char>('0' + ms / 100);
        text += static_cast<char>('0' + ms / 10 % 10);
        text += static_cast<char>('0' + ms % 10);
    }
    text += 'Z';
    return text;
}

namespace {

double round2(double v) {
    return static_cast<double>(static_cast<long long>(v * 100 + 0.5)) / 100;
}

} // namespace

json streamToJson(const stream::StreamSnapshot& s, const std::vector<ClientView>& clients) {
    auto slash = s.key.find('/');
    std::map<std::string, std::size_t> viewers;
    std::size_t total = 0;
    for (const auto& c : clients) {
        if (c.role == ClientRole::Player && c.stream == s.key) {
            viewers[c.protocol]++;
            ++total;
        }
    }
    json byProtocol = json::object();
    for (const auto& [protocol, n] : viewers) {
        byProtocol[protocol] = n;
    }
    json j = {
        {"key", s.key},
        {"app", s.key.substr(0, slash)},
        {"name", s.key.substr(slash + 1)},
        {"live", s.live},
        {"viewers", {{"total", total}, {"by_protocol", byProtocol}}},
        {"bytes_in", s.bytesIn},
        {"slow_readers",
         {{"skips", s.readerSkips},
          {"dropped_bytes", s.readerDroppedBytes},
          {"disconnected", s.readersDisconnectedSlow}}},
    };
    if (s.live) {
        j["publisher"] = {{"client_id", s.publisherId},
                          {"protocol", s.publisherProtocol},
                          {"address", s.publisherAddress},
                          {"since", isoTime(s.publishedAt)}};
        for (const auto& c : clients) {
            if (c.id == s.publisherId && c.link) {
                j["publisher"]["srt"] = linkToJson(*c.link);
            }
        }
        j["uptime_seconds"] = round2(std::chrono::duration<double>(s.uptime).count());
    }
    if (!s.video.codec.empty()) {
        j["video"] = {{"codec", s.video.codec},
                      {"profile", s.video.profile},
                      {"level", s.video.level},
                      {"width", s.video.width},
                      {"height", s.video.height},
                      {"nominal_fps", round2(s.video.nominalFrameRate)},
                      {"fps", round2(s.frameRate)},
                      {"bitrate_kbps", round2(s.videoBitrate / 1000)},
                      {"keyframe_interval_seconds", round2(s.keyframeInterval)},
                      {"frames", s.videoFrames}};
    }
    if (!s.audio.codec.empty()) {
        j["audio"] = {{"codec", s.audio.codec},
                      {"profile", s.audio.profile},
                      {"sample_rate", s.audio.sampleRate},
                      {"channels", s.audio.channels},
                      {"bitrate_kbps", round2(s.audioBitrate / 1000)},
                      {"frames", s.audioFrames}};
    }
    return j;
}

json linkToJson(const LinkStats& l) {
    return {{"rtt_ms", round2(l.rttMs)},
            {"bandwidth_mbps", round2(l.bandwidthMbps)},
            {"receive_rate_mbps", round2(l.receiveRateMbps)},
            {"receive_buffer_ms", l.receiveBufferMs},
            {"latency_ms", l.latencyMs},
            {"packets_received", l.packetsReceived},
            {"packets_lost", l.packetsLost},
            {"packets_retransmitted", l.packetsRetransmitted},
            {"packets_dropped", l.packetsDropped},
            {"packets_undecrypted", l.packetsUndecrypted}};
}

json clientToJson(const ClientView& c) {
    json j = {{"id", c.id},
              {"protocol", c.protocol},
              {"role", toString(c.role)},
              {"address", c.address},
              {"stream", c.stream},
              {"user_agent", c.userAgent},
              {"connected_at", isoTime(c.connectedAt)},
              {"connected_seconds", round2(std::chrono::duration<double>(c.connectedFor).count())},
              {"bytes_in", c.bytesIn},
              {"bytes_out", c.bytesOut}};
    if (c.link) {
        j["srt"] = linkToJson(*c.link);
    }
    return j;
}

json relayToJson(const relay::RelayStatus& r) {
    return {{"index", r.index},
            {"stream", r.stream},
            {"url", r.url},
            {"state", relay::toString(r.state)},
            {"state_since", isoTime(r.stateSince)},
            {"bytes_sent", r.bytesSent},
            {"bitrate_kbps", round2(r.bitrate / 1000)},
            {"reconnects", r.reconnects},
            {"dropped_packets", r.droppedPackets},
            {"last_error", r.lastError}};
}

json hlsOutputToJson(const hls::HlsOutputStats& s) {
    return {{"output", s.output},         {"target", s.target},       {"state", toString(s.state)},
            {"segments", s.segments},     {"playlists", s.playlists}, {"bytes", s.bytes},
            {"removed", s.removed},       {"errors", s.errors},       {"dropped", s.dropped},
            {"reconnects", s.reconnects}, {"last_error", s.lastError}};
}

} // namespace stagecast::server::api
