#pragma once
/// The ABR ladder: the rendition templates an operator picks from (1080p, 720p, 480p, 360p),
/// and the plan for one source (which renditions, at what size; which are skipped because
/// they would upscale). Pure logic, no FFmpeg: unit-tested on its own. The figures of each
/// template are listed in docs/transcoding.md.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace stagecast::media::transcode {

/// How a rendition spends bits. Fixed: average bitrate with a VBV cap (maxrate = bitrate,
/// buffer 2 s). Narrowband: constant quality (CRF) capped by the same maxrate and buffer, so
/// easy pictures cost less and hard ones never cost more than the fixed template.
enum class RateMode : std::uint8_t { Fixed = 1, Narrowband };

const char* toString(RateMode mode);
/// "fixed" or "narrowband"; the error lists both.
base::Result<RateMode> parseRateMode(std::string_view text);

struct RenditionTemplate {
    std::string name;     // "720p": the stream is APP/STREAM_720p
    std::uint32_t height; // the width follows the source's aspect ratio (even)
    std::uint32_t videoKbps;
    std::uint32_t maxrateKbps;
    std::uint32_t bufsizeKbps;
    std::string profile; // x264 profile: "high", "main"
    int level;           // level_idc (41 = 4.1), valid up to 30 fps; above, x264 derives it
    int crf;             // narrowband only
    /// Audio is the source's AAC, passed through unchanged; this is its budget in the
    /// playlist's BANDWIDTH (AAC-LC stereo up to this rate).
    std::uint32_t audioKbps;
};

/// 1080p, 720p, 480p, 360p, highest first.
std::span<const RenditionTemplate> builtInTemplates();
/// The template named `name`; the error lists the names there are.
base::Result<RenditionTemplate> findTemplate(std::string_view name);

/// The keyframe grid: every rendition starts a GOP (an IDR picture) on the first picture of
/// each interval of source presentation time, so segments of all renditions line up.
inline constexpr std::chrono::milliseconds kKeyframeInterval{2000};
/// Which grid interval a picture at `pts` belongs to (floor division, also for negative pts).
std::int64_t gridIndex(std::chrono::milliseconds pts,
                       std::chrono::milliseconds interval = kKeyframeInterval);

struct PlannedRendition {
    RenditionTemplate tmpl;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

struct SkippedRendition {
    std::string name;
    std::string reason; // "720p is above the source's 640x360: never upscaled"
};

struct LadderPlan {
    std::vector<PlannedRendition> renditions; // highest first
    std::vector<SkippedRendition> skipped;
};

/// The renditions of `names` (templates, already validated) for a source of
/// `sourceWidth`x`sourceHeight`: width = height x source aspect, rounded to even; a template
/// taller than the source is skipped. Duplicates are listed once.
LadderPlan planLadder(std::uint32_t sourceWidth, std::uint32_t sourceHeight,
                      std::span<const RenditionTemplate> templates);

/// RFC 6381 "avc1.PPCCLL" from an AVCDecoderConfigurationRecord (profile, compatibility and
/// level bytes of its SPS); nullopt when the record is too short or not version 1.
std::optional<std::string> avcCodecString(std::span<const std::uint8_t> record);

/// EXT-X-STREAM-INF figures of a rendition in bits per second: BANDWIDTH is the peak
/// (maxrate + audio budget), AVERAGE-BANDWIDTH the target (bitrate + audio budget); in
/// narrowband mode the average is at most the target.
std::uint64_t peakBandwidth(const RenditionTemplate& t);
std::uint64_t averageBandwidth(const RenditionTemplate& t);

} // namespace stagecast::media::transcode
