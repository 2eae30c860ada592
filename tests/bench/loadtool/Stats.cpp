#include "Stats.h"

#include <algorithm>
#include <cmath>

namespace stagecast::load {

std::optional<double> percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) {
        return std::nullopt;
    }
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

Percentiles percentiles(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    Percentiles out;
    out.samples = values.size();
    out.p50 = percentile(values, 50);
    out.p95 = percentile(values, 95);
    out.p99 = percentile(values, 99);
    if (!values.empty()) {
        out.max = values.back();
    }
    return out;
}

std::string toString(Protocol protocol) {
    switch (protocol) {
    case Protocol::Rtmp:
        return "rtmp";
    case Protocol::HttpFlv:
        return "http-flv";
    case Protocol::Hls:
        return "hls";
    case Protocol::LlHls:
        return "ll-hls";
    }
    return "unknown";
}

ProtocolSummary summarize(Protocol protocol, const std::vector<const PlayerRecord*>& records,
                          const std::vector<std::uint64_t>& windowBytesStart,
                          const std::vector<std::uint64_t>& windowBytesEnd,
                          std::int64_t windowStartNs, std::int64_t windowEndNs,
                          std::int64_t heldWindowNs) {
    ProtocolSummary s;
    s.protocol = protocol;
    std::vector<double> playStart;
    std::map<std::string, std::vector<double>> stages;
    std::vector<double> firstFrame;
    std::vector<double> firstKey;
    std::vector<double> latency;
    std::vector<double> playback;
    std::uint64_t heldBytes = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = *records[i];
        if (r.protocol != protocol) {
            continue;
        }
        ++s.players;
        if (r.playingNs >= 0) {
            ++s.connected;
            playStart.push_back(static_cast<double>(r.playingNs - r.connectStartNs) / 1e6);
        }
        // Set-up stages run in order; a stage lasts until the next one that was entered.
        for (std::size_t k = 0; k + 1 < r.stageNs.size(); ++k) {
            if (r.stageNs[k] < 0) {
                continue;
            }
            for (std::size_t j = k + 1; j < r.stageNs.size(); ++j) {
                if (r.stageNs[j] >= 0) {
                    stages[toString(static_cast<Stage>(k))].push_back(
                        static_cast<double>(r.stageNs[j] - r.stageNs[k]) / 1e6);
                    break;
                }
            }
        }
        if (r.firstFrameNs >= 0) {
            ++s.gotFrames;
            firstFrame.push_back(static_cast<double>(r.firstFrameNs - r.connectStartNs) / 1e6);
        }
        if (r.firstKeyframeNs >= 0) {
            firstKey.push_back(static_cast<double>(r.firstKeyframeNs - r.connectStartNs) / 1e6);
        }
        const auto windowBytes = windowBytesEnd[i] - windowBytesStart[i];
        const bool held = r.lastFrameNs.load() >= windowEndNs - heldWindowNs;
        if (held) {
            ++s.held;
            heldBytes += windowBytes;
        }
        if (!r.error.empty()) {
            ++s.failed;
            ++s.errors[r.error];
        } else if (r.stage != Stage::Playing) {
            ++s.stuck[toString(r.stage)];
        }
        for (auto us : r.latencyUs) {
            latency.push_back(static_cast<double>(us) / 1000.0);
        }
        for (auto us : r.playbackUs) {
            playback.push_back(static_cast<double>(us) / 1000.0);
        }
        s.stalls += r.stalls;
        s.unmatchedFrames += r.unmatched;
        s.bytesTotal += r.bytes.load();
        s.bytesWindow += windowBytes;
    }
    s.playStartMs = percentiles(std::move(playStart));
    for (auto& [name, values] : stages) {
        s.stageMs[name] = percentiles(std::move(values));
    }
    s.firstFrameMs = percentiles(std::move(firstFrame));
    s.firstKeyframeMs = percentiles(std::move(firstKey));
    s.latencyMs = percentiles(std::move(latency));
    s.playbackMs = percentiles(std::move(playback));
    const double seconds = static_cast<double>(windowEndNs - windowStartNs) / 1e9;
    if (s.held > 0 && seconds > 0) {
        s.heldMbps =
            static_cast<double>(heldBytes) * 8 / 1e6 / seconds / static_cast<double>(s.held);
    }
    return s;
}

} // namespace stagecast::load
