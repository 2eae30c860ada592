#include "media/transcode/Ladder.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace stagecast::media::transcode {

namespace {

// Bitrates an operator expects for 30 fps H.264 (in line with common streaming ladders);
// maxrate = bitrate and a 2 s VBV buffer keep each segment near the declared peak.
const std::array<RenditionTemplate, 4> kTemplates = {{
    {"1080p", 1080, 5000, 5000, 10000, "high", 41, 23, 128},
    {"720p", 720, 3000, 3000, 6000, "high", 31, 23, 128},
    {"480p", 480, 1200, 1200, 2400, "main", 30, 23, 128},
    {"360p", 360, 700, 700, 1400, "main", 30, 23, 128},
}};

} // namespace

const char* toString(RateMode mode) {
    return mode == RateMode::Narrowband ? "narrowband" : "fixed";
}

base::Result<RateMode> parseRateMode(std::string_view text) {
    if (text == "fixed") {
        return RateMode::Fixed;
    }
    if (text == "narrowband") {
        return RateMode::Narrowband;
    }
    return base::fail("mode '" + std::string(text) + "' is not known: choose fixed or narrowband");
}

std::span<const RenditionTemplate> builtInTemplates() {
    return kTemplates;
}

base::Result<RenditionTemplate> findTemplate(std::string_view name) {
    std::string names;
    for (const auto& t : kTemplates) {
        if (t.name == name) {
            return t;
        }
        names += (names.empty() ? "" : ", ") + t.name;
    }
    return base::fail("rendition '" + std::string(name) + "' is not a template: choose from " +
                      names);
}

std::int64_t gridIndex(std::chrono::milliseconds pts, std::chrono::milliseconds interval) {
    const auto p = pts.count();
    const auto i = interval.count();
    return p >= 0 ? p / i : -((-p + i - 1) / i);
}

LadderPlan planLadder(std::uint32_t sourceWidth, std::uint32_t sourceHeight,
                      std::span<const RenditionTemplate> templates) {
    LadderPlan plan;
    for (const auto& t : templates) {
        const auto seen = [&](const auto& r) { return r.tmpl.name == t.name; };
        if (std::any_of(plan.renditions.begin(), plan.renditions.end(), seen) ||
            std::any_of(plan.skipped.begin(), plan.skipped.end(),
                        [&](const auto& s) { return s.name == t.name; })) {
            continue;
        }
        if (sourceHeight == 0 || t.height > sourceHeight) {
            plan.skipped.push_back({t.name, t.name + " is above the source's " +
                                                std::to_string(sourceWidth) + "x" +
                                                std::to_string(sourceHeight) + ": never upscaled"});
            continue;
        }
        // Keep the source's shape; x264 with 4:2:0 needs even dimensions.
        const double exact = static_cast<double>(sourceWidth) * t.height / sourceHeight;
        auto width = static_cast<std::uint32_t>(exact / 2.0 + 0.5) * 2;
        plan.renditions.push_back({t, std::max<std::uint32_t>(width, 2), t.height});
    }
    std::sort(plan.renditions.begin(), plan.renditions.end(),
              [](const auto& a, const auto& b) { return a.height > b.height; });
    return plan;
}

std::optional<std::string> avcCodecString(std::span<const std::uint8_t> record) {
    if (record.size() < 4 || record[0] != 1) {
        return std::nullopt;
    }
    char text[16];
    std::snprintf(text, sizeof text, "avc1.%02x%02x%02x", record[1], record[2], record[3]);
    return std::string(text);
}

std::uint64_t peakBandwidth(const RenditionTemplate& t) {
    return (std::uint64_t{t.maxrateKbps} + t.audioKbps) * 1000;
}

std::uint64_t averageBandwidth(const RenditionTemplate& t) {
    return (std::uint64_t{t.videoKbps} + t.audioKbps) * 1000;
}

} // namespace stagecast::media::transcode
