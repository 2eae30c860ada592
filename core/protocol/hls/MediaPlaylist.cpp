#include "MediaPlaylist.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "PlaylistText.h"

namespace stagecast::protocol::hls {
namespace {

std::uint64_t toCount(double v) {
    if (!(v > 0)) {
        return 0;
    }
    if (v >= 1.8e19) {
        return std::numeric_limits<std::uint64_t>::max();
    }
    return static_cast<std::uint64_t>(v);
}

} // namespace

// RFC 8216 4.3.3.1 compares EXTINF "rounded to the nearest integer" with the target.
std::uint64_t roundedDuration(double seconds) {
    return toCount(std::floor(seconds + 0.5));
}

namespace {

class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}
    Writer& operator<<(std::string_view s) {
        out_ += s;
        return *this;
    }
    Writer& operator<<(char c) {
        out_ += c;
        return *this;
    }
    Writer& operator<<(std::uint64_t v) {
        out_ += std::to_string(v);
        return *this;
    }
    Writer& operator<<(double v) {
        out_ += text::formatDecimal(v);
        return *this;
    }

private:
    std::string& out_;
};

void writeKey(Writer& w, const std::optional<Key>& key) {
    if (!key) {
        w << "#EXT-X-KEY:METHOD=NONE\n";
        return;
    }
    w << "#EXT-X-KEY:METHOD=" << key->method << ",URI=\"" << key->uri << '"';
    if (key->iv) {
        w << ",IV=" << text::formatIv(*key->iv);
    }
    if (!key->keyFormat.empty()) {
        w << ",KEYFORMAT=\"" << key->keyFormat << '"';
    }
    if (!key->keyFormatVersions.empty()) {
        w << ",KEYFORMATVERSIONS=\"" << key->keyFormatVersions << '"';
    }
    w << "\n";
}

void writePart(Writer& w, const Part& part) {
    w << "#EXT-X-PART:DURATION=" << part.duration << ",URI=\"" << part.uri << '"';
    if (part.independent) {
        w << ",INDEPENDENT=YES";
    }
    if (part.byteRange) {
        w << ",BYTERANGE=\"" << text::formatByteRange(*part.byteRange) << '"';
    }
    if (part.gap) {
        w << ",GAP=YES";
    }
    w << "\n";
}

void writeServerControl(Writer& w, const ServerControl& sc) {
    std::string attrs;
    const auto add = [&attrs](std::string_view name, const std::string& value) {
        attrs += attrs.empty() ? "" : ",";
        attrs += name;
        attrs += '=';
        attrs += value;
    };
    if (sc.canBlockReload) {
        add("CAN-BLOCK-RELOAD", "YES");
    }
    if (sc.canSkipUntil) {
        add("CAN-SKIP-UNTIL", text::formatDecimal(*sc.canSkipUntil));
    }
    if (sc.canSkipDateRanges) {
        add("CAN-SKIP-DATERANGES", "YES");
    }
    if (sc.holdBack) {
        add("HOLD-BACK", text::formatDecimal(*sc.holdBack));
    }
    if (sc.partHoldBack) {
        add("PART-HOLD-BACK", text::formatDecimal(*sc.partHoldBack));
    }
    if (!attrs.empty()) {
        w << "#EXT-X-SERVER-CONTROL:" << attrs << "\n";
    }
}

void writeSegment(Writer& w, const Segment& seg, bool first, const Segment* previous) {
    for (const std::string& tag : seg.extraTags) {
        w << tag << "\n";
    }
    if (seg.discontinuity) {
        w << "#EXT-X-DISCONTINUITY\n";
    }
    if (first ? seg.key.has_value() : seg.key != previous->key) {
        writeKey(w, seg.key);
    }
    if (seg.map && (first || seg.map != previous->map)) {
        w << "#EXT-X-MAP:URI=\"" << seg.map->uri << '"';
        if (seg.map->byteRange) {
            w << ",BYTERANGE=\"" << text::formatByteRange(*seg.map->byteRange) << '"';
        }
        w << "\n";
    }
    if (seg.programDateTimeMs) {
        w << "#EXT-X-PROGRAM-DATE-TIME:" << text::formatDateTime(*seg.programDateTimeMs) << "\n";
    }
    if (seg.gap) {
        w << "#EXT-X-GAP\n";
    }
    for (const Part& part : seg.parts) {
        writePart(w, part);
    }
    if (seg.byteRange) {
        w << "#EXT-X-BYTERANGE:" << text::formatByteRange(*seg.byteRange) << "\n";
    }
    if (!seg.uri.empty()) {
        w << "#EXTINF:" << seg.duration << "," << seg.title << "\n" << seg.uri << "\n";
    }
}

bool isLine(std::string_view s) {
    return s.find_first_of("\r\n") == std::string_view::npos;
}

bool isTag(std::string_view s) {
    return s.starts_with("#EXT") && isLine(s);
}

bool isEnumerated(std::string_view s) {
    return !s.empty() && s.find_first_of(",\"\r\n \t") == std::string_view::npos;
}

bool finiteNonNegative(double v) {
    return std::isfinite(v) && v >= 0;
}

} // namespace

std::uint32_t MediaPlaylist::requiredVersion() const {
    std::uint32_t v = 3;
    if (partTarget || !preloadHints.empty()) {
        v = 6;
    }
    for (const Segment& seg : segments) {
        if (seg.byteRange) {
            v = std::max(v, 4U);
        }
        if (seg.key && (!seg.key->keyFormat.empty() || !seg.key->keyFormatVersions.empty())) {
            v = std::max(v, 5U);
        }
        if (seg.map || !seg.parts.empty()) {
            v = std::max(v, 6U);
        }
    }
    if (skippedSegments > 0) {
        v = std::max(v, 9U);
    }
    return v;
}

std::uint64_t MediaPlaylist::renderedTargetDuration() const {
    std::uint64_t target = targetDuration;
    for (const Segment& seg : segments) {
        if (!seg.uri.empty()) {
            target = std::max(target, roundedDuration(seg.duration));
        }
    }
    return target;
}

std::string MediaPlaylist::render() const {
    std::string out;
    Writer w(out);
    w << "#EXTM3U\n";
    w << "#EXT-X-VERSION:" << std::uint64_t{std::max(version, requiredVersion())} << "\n";
    w << "#EXT-X-TARGETDURATION:" << renderedTargetDuration() << "\n";
    writeServerControl(w, serverControl);
    if (partTarget) {
        w << "#EXT-X-PART-INF:PART-TARGET=" << *partTarget << "\n";
    }
    w << "#EXT-X-MEDIA-SEQUENCE:" << mediaSequence << "\n";
    if (discontinuitySequence > 0) {
        w << "#EXT-X-DISCONTINUITY-SEQUENCE:" << discontinuitySequence << "\n";
    }
    if (playlistType) {
        w << "#EXT-X-PLAYLIST-TYPE:" << (*playlistType == PlaylistType::Vod ? "VOD" : "EVENT")
          << "\n";
    }
    if (independentSegments) {
        w << "#EXT-X-INDEPENDENT-SEGMENTS\n";
    }
    if (skippedSegments > 0) {
        w << "#EXT-X-SKIP:SKIPPED-SEGMENTS=" << skippedSegments << "\n";
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
        writeSegment(w, segments[i], i == 0, i == 0 ? nullptr : &segments[i - 1]);
    }
    for (const PreloadHint& hint : preloadHints) {
        w << "#EXT-X-PRELOAD-HINT:TYPE=" << (hint.type == PreloadHint::Type::Map ? "MAP" : "PART")
          << ",URI=\"" << hint.uri << '"';
        if (hint.byteRangeStart) {
            w << ",BYTERANGE-START=" << *hint.byteRangeStart;
        }
        if (hint.byteRangeLength) {
            w << ",BYTERANGE-LENGTH=" << *hint.byteRangeLength;
        }
        w << "\n";
    }
    for (const std::string& tag : trailingTags) {
        w << tag << "\n";
    }
    if (endList) {
        w << "#EXT-X-ENDLIST\n";
    }
    return out;
}

base::Status MediaPlaylist::validate() const {
    const auto fail = [](const std::string& what) { return base::fail("hls: " + what); };
    const auto secs = [](double v) { return text::formatDecimal(v); };
    if (partTarget && !(std::isfinite(*partTarget) && *partTarget > 0)) {
        return fail("PART-TARGET " + secs(*partTarget) + " invalid, must be above 0");
    }
    const std::uint64_t target = renderedTargetDuration();
    if (serverControl.holdBack && !(*serverControl.holdBack >= 3.0 * static_cast<double>(target))) {
        return fail("HOLD-BACK " + secs(*serverControl.holdBack) +
                    " below three target durations (" + std::to_string(3 * target) + ")");
    }
    if (serverControl.partHoldBack) {
        if (!partTarget) {
            return fail("PART-HOLD-BACK without EXT-X-PART-INF");
        }
        if (!(*serverControl.partHoldBack >= 2.0 * *partTarget)) {
            return fail("PART-HOLD-BACK " + secs(*serverControl.partHoldBack) +
                        " below two part targets (" + secs(2.0 * *partTarget) + ")");
        }
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const Segment& seg = segments[i];
        const std::string name = "segment " + std::to_string(mediaSequence + skippedSegments + i);
        if (seg.uri.empty() && i + 1 != segments.size()) {
            return fail(name + " has no URI; only the last segment may be in progress");
        }
        if (!isLine(seg.uri) || !isLine(seg.title) || (!seg.uri.empty() && seg.uri[0] == '#')) {
            return fail(name + " URI or title holds a line break or starts with '#'");
        }
        if (!seg.uri.empty()) {
            if (!finiteNonNegative(seg.duration)) {
                return fail(name + " duration " + secs(seg.duration) + " invalid");
            }
            if (targetDuration > 0 && roundedDuration(seg.duration) > targetDuration) {
                return fail(name + " EXTINF " + secs(seg.duration) + " rounds to " +
                            std::to_string(roundedDuration(seg.duration)) +
                            ", above EXT-X-TARGETDURATION " + std::to_string(targetDuration));
            }
        }
        if (!seg.parts.empty() && !partTarget) {
            return fail(name + " has parts but there is no EXT-X-PART-INF PART-TARGET");
        }
        for (std::size_t p = 0; p < seg.parts.size(); ++p) {
            const Part& part = seg.parts[p];
            const std::string partName = "part " + std::to_string(p) + " of " + name;
            if (!finiteNonNegative(part.duration)) {
                return fail(partName + " duration " + secs(part.duration) + " invalid");
            }
            if (part.duration > *partTarget) {
                return fail(partName + " lasts " + secs(part.duration) + " s, above PART-TARGET " +
                            secs(*partTarget));
            }
            if (part.uri.empty() || !text::quotable(part.uri)) {
                return fail(partName + " URI empty or not quotable");
            }
        }
        if (seg.key &&
            (!isEnumerated(seg.key->method) || seg.key->method == "NONE" || seg.key->uri.empty() ||
             !text::quotable(seg.key->uri) || !text::quotable(seg.key->keyFormat) ||
             !text::quotable(seg.key->keyFormatVersions))) {
            return fail(name + " key invalid: needs a METHOD other than NONE (use no key) and "
                               "a URI, all quotable");
        }
        if (seg.map && (seg.map->uri.empty() || !text::quotable(seg.map->uri))) {
            return fail(name + " map URI empty or not quotable");
        }
        if (!seg.map && i > 0 && segments[i - 1].map) {
            return fail(name + " has no map after one with EXT-X-MAP, which cannot be undone");
        }
        if (!std::all_of(seg.extraTags.begin(), seg.extraTags.end(), isTag)) {
            return fail(name + " extra tag not a single line starting with #EXT");
        }
    }
    for (const PreloadHint& hint : preloadHints) {
        if (hint.uri.empty() || !text::quotable(hint.uri)) {
            return fail("preload hint URI empty or not quotable");
        }
    }
    if (!std::all_of(trailingTags.begin(), trailingTags.end(), isTag)) {
        return fail("trailing tag not a single line starting with #EXT");
    }
    return {};
}

} // namespace stagecast::protocol::hls
