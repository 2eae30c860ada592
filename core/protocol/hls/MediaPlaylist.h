#pragma once
/// HLS media playlist model and renderer: RFC 8216 and draft-pantos-hls-rfc8216bis
/// (Low-Latency HLS: partial segments, preload hints, blocking reload, delta updates).
///
/// The model lists each segment with everything that applies to it: its key and its map are
/// the ones in effect for that segment, and the renderer writes EXT-X-KEY / EXT-X-MAP only
/// where they change (and on the first segment), so a producer can slide the window without
/// tracking where a tag was last written. The last segment may be the one still being
/// produced: an empty URI, parts only, no EXTINF.
///
/// Strings must not contain CR or LF, and those rendered as quoted-strings (part, map, key
/// and hint URIs, KEYFORMAT...) must not contain '"'; validate() checks this and the RFC's
/// timing rules. render() writes what it is given.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"

namespace stagecast::protocol::hls {

/// EXT-X-BYTERANGE / BYTERANGE="<n>[@<o>]"; without an offset the range follows the previous
/// one of the same resource.
struct ByteRange {
    std::uint64_t length = 0;
    std::optional<std::uint64_t> offset;
    bool operator==(const ByteRange&) const = default;
};

/// EXT-X-KEY (RFC 8216 4.3.2.4). An absent key (std::nullopt) is METHOD=NONE.
struct Key {
    std::string method = "AES-128"; // AES-128, SAMPLE-AES, ...
    std::string uri;
    /// Without an IV, AES-128 uses the media sequence number (RFC 8216 5.2).
    std::optional<std::array<std::uint8_t, 16>> iv;
    std::string keyFormat;         // empty: omitted ("identity")
    std::string keyFormatVersions; // empty: omitted
    bool operator==(const Key&) const = default;
};

/// EXT-X-MAP (4.3.2.5): the media initialization section, e.g. an fMP4 init segment.
struct Map {
    std::string uri;
    std::optional<ByteRange> byteRange;
    bool operator==(const Map&) const = default;
};

/// EXT-X-PART (rfc8216bis 4.4.4.9).
struct Part {
    double duration = 0; // seconds
    std::string uri;
    bool independent = false; // INDEPENDENT=YES: starts with a keyframe
    std::optional<ByteRange> byteRange;
    bool gap = false;
    bool operator==(const Part&) const = default;
};

struct Segment {
    double duration = 0; // EXTINF seconds; ignored for the segment in progress
    std::string title;
    /// Empty for the segment still being produced, which must be the last one.
    std::string uri;
    /// Its partial segments, in order (LL-HLS lists them for the segments near the live edge).
    std::vector<Part> parts;
    std::optional<ByteRange> byteRange;
    bool discontinuity = false;                    // EXT-X-DISCONTINUITY before it
    bool gap = false;                              // EXT-X-GAP
    std::optional<std::int64_t> programDateTimeMs; // UTC milliseconds since 1970
    std::optional<Key> key;
    std::optional<Map> map;
    /// Tags the model does not know, found before this segment, kept verbatim ("#EXT-X-...").
    std::vector<std::string> extraTags;
    bool operator==(const Segment&) const = default;
};

/// EXT-X-SERVER-CONTROL (rfc8216bis 4.4.3.8); rendered when any field is set.
struct ServerControl {
    bool canBlockReload = false;
    std::optional<double> canSkipUntil; // seconds; enables delta updates
    bool canSkipDateRanges = false;
    std::optional<double> holdBack;
    std::optional<double> partHoldBack;
    bool operator==(const ServerControl&) const = default;
};

/// EXT-X-PRELOAD-HINT (rfc8216bis 4.4.5.3).
struct PreloadHint {
    enum class Type : std::uint8_t { Part, Map };
    Type type = Type::Part;
    std::string uri;
    std::optional<std::uint64_t> byteRangeStart;
    std::optional<std::uint64_t> byteRangeLength;
    bool operator==(const PreloadHint&) const = default;
};

enum class PlaylistType : std::uint8_t { Event, Vod };

struct MediaPlaylist {
    /// EXT-X-VERSION; rendered as the larger of this and requiredVersion().
    std::uint32_t version = 0;
    /// EXT-X-TARGETDURATION; rendered as the larger of this and the longest segment rounded
    /// up. A live producer sets it once: the RFC forbids changing it between reloads.
    std::uint64_t targetDuration = 0;
    std::uint64_t mediaSequence = 0;
    std::uint64_t discontinuitySequence = 0;
    std::optional<PlaylistType> playlistType;
    bool independentSegments = false;
    /// EXT-X-PART-INF:PART-TARGET, required when any segment has parts.
    std::optional<double> partTarget;
    ServerControl serverControl;
    /// EXT-X-SKIP:SKIPPED-SEGMENTS of a delta update (segments replaced by the tag).
    std::uint64_t skippedSegments = 0;
    std::vector<Segment> segments;
    std::vector<PreloadHint> preloadHints;
    /// Unknown tags after the last segment (EXT-X-RENDITION-REPORT, ...), kept verbatim.
    std::vector<std::string> trailingTags;
    bool endList = false;

    /// The text, lines ending in LF.
    std::string render() const;
    /// 3 (decimal EXTINF), 4 with segment byte ranges, 5 with KEYFORMAT(VERSIONS), 6 with a
    /// map or parts, 9 with EXT-X-SKIP.
    std::uint32_t requiredVersion() const;
    /// The EXT-X-TARGETDURATION render() writes: max(targetDuration, longest EXTINF rounded to
    /// the nearest second), the least value RFC 8216 4.3.3.1 allows.
    std::uint64_t renderedTargetDuration() const;
    /// The MUSTs of the RFCs that the renderer does not enforce: every EXTINF rounded <=
    /// targetDuration (when set), part durations <= PART-TARGET, PART-TARGET present with
    /// parts, HOLD-BACK >= 3 x target, PART-HOLD-BACK >= 2 x PART-TARGET, only the last segment
    /// in progress, non-negative finite durations, renderable strings.
    base::Status validate() const;

    bool operator==(const MediaPlaylist&) const = default;
};

/// A duration in whole seconds as RFC 8216 4.3.3.1 compares it with EXT-X-TARGETDURATION:
/// rounded to the nearest integer, halves up. 1.001 s from a
/// 29.97 fps GOP is 1, so it does not double the target and with it every player's hold-back.
std::uint64_t roundedDuration(double seconds);

} // namespace stagecast::protocol::hls
