#include "PlaylistParser.h"

#include <array>
#include <string>

#include "PlaylistText.h"

namespace stagecast::protocol::hls {
namespace {

using text::Attribute;

std::string quote(std::string_view s) {
    constexpr std::size_t kShown = 40;
    return "\"" + std::string(s.substr(0, kShown)) + (s.size() > kShown ? "...\"" : "\"");
}

const Attribute* find(const std::vector<Attribute>& attrs, std::string_view name) {
    for (const Attribute& a : attrs) {
        if (a.name == name) {
            return &a;
        }
    }
    return nullptr;
}

class Parser {
public:
    explicit Parser(const PlaylistParserLimits& limits) : limits_(limits) {}

    base::Result<MediaPlaylist> run(std::string_view text);

private:
    base::Status line(std::string_view s);
    base::Status tag(std::string_view name, std::string_view value);
    base::Status uri(std::string_view s);
    base::Status finish();

    base::Status segmentTag(std::string_view name, std::string_view value, bool& handled);
    base::Status headerTag(std::string_view name, std::string_view value, bool& handled);
    base::Status lowLatencyTag(std::string_view name, std::string_view value, bool& handled);

    tl::unexpected<base::Error> error(const std::string& what) const {
        return base::fail("hls: line " + std::to_string(lineNo_) + ": " + what);
    }
    base::Status count(std::size_t n = 1);
    base::Result<std::vector<Attribute>> attributes(std::string_view name,
                                                    std::string_view value) const;
    base::Result<std::string_view> quoted(std::string_view tagName,
                                          const std::vector<Attribute>& attrs,
                                          std::string_view name, bool required) const;
    base::Result<std::optional<double>> decimal(std::string_view tagName,
                                                const std::vector<Attribute>& attrs,
                                                std::string_view name) const;
    base::Result<bool> yesNo(std::string_view tagName, const std::vector<Attribute>& attrs,
                             std::string_view name) const;
    base::Result<std::uint64_t> integerValue(std::string_view tagName,
                                             std::string_view value) const;
    base::Status once(std::string_view name);

    PlaylistParserLimits limits_;
    MediaPlaylist pl_;
    std::size_t lineNo_ = 0;
    std::size_t entries_ = 0;
    bool sawTarget_ = false;
    bool sawHint_ = false;
    std::vector<std::string_view> seenOnce_;
    // What applies to the next segment.
    Segment pending_;
    bool pendingContent_ = false; // parts, discontinuity, date, gap: a segment has started
    std::optional<double> pendingDuration_;
    std::size_t extinfLine_ = 0;
    std::optional<Key> key_;
    std::optional<Map> map_;
};

base::Status Parser::count(std::size_t n) {
    entries_ += n;
    if (entries_ > limits_.maxEntries) {
        return error("more than " + std::to_string(limits_.maxEntries) +
                     " entries (segments, parts, tags), the limit");
    }
    return {};
}

base::Status Parser::once(std::string_view name) {
    for (const auto seen : seenOnce_) {
        if (seen == name) {
            return error(std::string(name) + " appears twice, allowed once");
        }
    }
    seenOnce_.push_back(name);
    return {};
}

base::Result<std::vector<Attribute>> Parser::attributes(std::string_view name,
                                                        std::string_view value) const {
    auto attrs = text::parseAttributes(value);
    if (!attrs) {
        return error(std::string(name) + ": " + attrs.error().message());
    }
    return attrs;
}

base::Result<std::string_view> Parser::quoted(std::string_view tagName,
                                              const std::vector<Attribute>& attrs,
                                              std::string_view name, bool required) const {
    const Attribute* a = find(attrs, name);
    if (!a) {
        if (required) {
            return error(std::string(tagName) + " without " + std::string(name));
        }
        return std::string_view{};
    }
    if (!a->quoted || (required && a->value.empty())) {
        return error(std::string(tagName) + " " + std::string(name) +
                     " must be a non-empty quoted string");
    }
    return a->value;
}

base::Result<std::optional<double>> Parser::decimal(std::string_view tagName,
                                                    const std::vector<Attribute>& attrs,
                                                    std::string_view name) const {
    const Attribute* a = find(attrs, name);
    if (!a) {
        return std::optional<double>{};
    }
    const auto v = a->quoted ? std::nullopt : text::parseDecimal(a->value);
    if (!v) {
        return error(std::string(tagName) + " " + std::string(name) + " " + quote(a->value) +
                     " invalid, expected decimal seconds");
    }
    return std::optional<double>{*v};
}

base::Result<bool> Parser::yesNo(std::string_view tagName, const std::vector<Attribute>& attrs,
                                 std::string_view name) const {
    const Attribute* a = find(attrs, name);
    if (!a) {
        return false;
    }
    if (!a->quoted && (a->value == "YES" || a->value == "NO")) {
        return a->value == "YES";
    }
    return error(std::string(tagName) + " " + std::string(name) + " " + quote(a->value) +
                 " invalid, allowed YES, NO");
}

base::Result<std::uint64_t> Parser::integerValue(std::string_view tagName,
                                                 std::string_view value) const {
    const auto v = text::parseInteger(value);
    if (!v) {
        return error(std::string(tagName) + " value " + quote(value) +
                     " invalid, expected a decimal integer");
    }
    return *v;
}

base::Result<MediaPlaylist> Parser::run(std::string_view textIn) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (textIn.starts_with(kBom)) {
        textIn.remove_prefix(kBom.size());
    }
    std::size_t pos = 0;
    bool header = false;
    while (pos < textIn.size()) {
        const std::size_t end = textIn.find('\n', pos);
        const std::size_t stop = end == std::string_view::npos ? textIn.size() : end;
        std::string_view s = textIn.substr(pos, stop - pos);
        pos = stop + 1;
        ++lineNo_;
        if (s.size() > limits_.maxLineLength) {
            return error("line of " + std::to_string(s.size()) + " bytes too long, max " +
                         std::to_string(limits_.maxLineLength));
        }
        while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
            s.remove_suffix(1);
        }
        if (!header) {
            if (s != "#EXTM3U") {
                return error("playlist must start with #EXTM3U, found " + quote(s));
            }
            header = true;
            continue;
        }
        if (auto ok = line(s); !ok) {
            return base::fail(ok.error());
        }
    }
    if (!header) {
        return base::fail("hls: empty playlist, must start with #EXTM3U");
    }
    if (auto ok = finish(); !ok) {
        return base::fail(ok.error());
    }
    return std::move(pl_);
}

base::Status Parser::line(std::string_view s) {
    if (s.empty()) {
        return {};
    }
    if (s[0] != '#') {
        return uri(s);
    }
    if (!s.starts_with("#EXT")) {
        return {}; // comment
    }
    const std::size_t colon = s.find(':');
    const std::string_view name = s.substr(1, colon == std::string_view::npos ? s.npos : colon - 1);
    const std::string_view value =
        colon == std::string_view::npos ? std::string_view{} : s.substr(colon + 1);
    bool handled = false;
    if (auto ok = headerTag(name, value, handled); !ok || handled) {
        return ok;
    }
    if (auto ok = segmentTag(name, value, handled); !ok || handled) {
        return ok;
    }
    if (auto ok = lowLatencyTag(name, value, handled); !ok || handled) {
        return ok;
    }
    static constexpr std::array<std::string_view, 6> kMultivariant = {
        "EXT-X-STREAM-INF",   "EXT-X-I-FRAME-STREAM-INF", "EXT-X-MEDIA",
        "EXT-X-SESSION-DATA", "EXT-X-SESSION-KEY",        "EXT-X-CONTENT-STEERING"};
    for (const auto m : kMultivariant) {
        if (name == m) {
            return error(std::string(name) +
                         " belongs in a multivariant playlist, not a media playlist");
        }
    }
    if (name == "EXTM3U") {
        return {};
    }
    if (auto ok = count(); !ok) {
        return ok;
    }
    // After a preload hint comes the end matter (EXT-X-RENDITION-REPORT...), not segment tags.
    (sawHint_ ? pl_.trailingTags : pending_.extraTags).emplace_back(s);
    return {};
}

base::Status Parser::headerTag(std::string_view name, std::string_view value, bool& handled) {
    handled = true;
    if (name == "EXT-X-VERSION" || name == "EXT-X-TARGETDURATION" ||
        name == "EXT-X-MEDIA-SEQUENCE" || name == "EXT-X-DISCONTINUITY-SEQUENCE") {
        if (auto ok = once(name); !ok) {
            return ok;
        }
        const auto v = integerValue(name, value);
        if (!v) {
            return base::fail(v.error());
        }
        if (name == "EXT-X-VERSION") {
            if (*v > 1000) {
                return error("EXT-X-VERSION " + std::to_string(*v) + " unknown, max 1000");
            }
            pl_.version = static_cast<std::uint32_t>(*v);
        } else if (name == "EXT-X-TARGETDURATION") {
            pl_.targetDuration = *v;
            sawTarget_ = true;
        } else if (name == "EXT-X-MEDIA-SEQUENCE") {
            pl_.mediaSequence = *v;
        } else {
            pl_.discontinuitySequence = *v;
        }
        return {};
    }
    if (name == "EXT-X-PLAYLIST-TYPE") {
        if (auto ok = once(name); !ok) {
            return ok;
        }
        if (value != "EVENT" && value != "VOD") {
            return error("EXT-X-PLAYLIST-TYPE " + quote(value) + " invalid, allowed EVENT, VOD");
        }
        pl_.playlistType = value == "VOD" ? PlaylistType::Vod : PlaylistType::Event;
        return {};
    }
    if (name == "EXT-X-INDEPENDENT-SEGMENTS") {
        pl_.independentSegments = true;
        return {};
    }
    if (name == "EXT-X-ENDLIST") {
        pl_.endList = true;
        return {};
    }
    handled = false;
    return {};
}

base::Status Parser::segmentTag(std::string_view name, std::string_view value, bool& handled) {
    handled = true;
    if (name == "EXTINF") {
        if (pendingDuration_) {
            lineNo_ = extinfLine_;
            return error("EXTINF without a URI");
        }
        const std::size_t comma = value.find(',');
        const auto d = text::parseDecimal(value.substr(0, comma));
        if (!d) {
            return error("EXTINF duration " + quote(value.substr(0, comma)) +
                         " invalid, expected decimal seconds");
        }
        pendingDuration_ = *d;
        pending_.title = comma == std::string_view::npos ? "" : value.substr(comma + 1);
        extinfLine_ = lineNo_;
        return {};
    }
    if (name == "EXT-X-BYTERANGE") {
        const auto range = text::parseByteRange(value);
        if (!range) {
            return error("EXT-X-BYTERANGE " + quote(value) + " invalid, expected <n>[@<o>]");
        }
        pending_.byteRange = *range;
        return {};
    }
    if (name == "EXT-X-DISCONTINUITY") {
        pending_.discontinuity = true;
        pendingContent_ = true;
        return {};
    }
    if (name == "EXT-X-GAP") {
        pending_.gap = true;
        pendingContent_ = true;
        return {};
    }
    if (name == "EXT-X-PROGRAM-DATE-TIME") {
        const auto t = text::parseDateTime(value);
        if (!t) {
            return error("EXT-X-PROGRAM-DATE-TIME " + quote(value) +
                         " invalid, expected YYYY-MM-DDThh:mm:ss[.sss](Z|+hh:mm)");
        }
        pending_.programDateTimeMs = *t;
        pendingContent_ = true;
        return {};
    }
    if (name == "EXT-X-KEY") {
        const auto attrs = attributes(name, value);
        if (!attrs) {
            return base::fail(attrs.error());
        }
        const Attribute* method = find(*attrs, "METHOD");
        if (!method || method->quoted || method->value.empty()) {
            return error("EXT-X-KEY without METHOD");
        }
        if (method->value == "NONE") {
            key_.reset();
            return {};
        }
        Key key;
        key.method = method->value;
        const auto keyUri = quoted(name, *attrs, "URI", true);
        const auto format = quoted(name, *attrs, "KEYFORMAT", false);
        const auto versions = quoted(name, *attrs, "KEYFORMATVERSIONS", false);
        if (!keyUri || !format || !versions) {
            return base::fail(!keyUri   ? keyUri.error()
                              : !format ? format.error()
                                        : versions.error());
        }
        key.uri = *keyUri;
        key.keyFormat = *format;
        key.keyFormatVersions = *versions;
        if (const Attribute* iv = find(*attrs, "IV")) {
            key.iv = iv->quoted ? std::nullopt : text::parseIv(iv->value);
            if (!key.iv) {
                return error("EXT-X-KEY IV " + quote(iv->value) +
                             " invalid, expected 0x and up to 32 hex digits");
            }
        }
        key_ = std::move(key);
        return {};
    }
    if (name == "EXT-X-MAP") {
        const auto attrs = attributes(name, value);
        if (!attrs) {
            return base::fail(attrs.error());
        }
        const auto mapUri = quoted(name, *attrs, "URI", true);
        const auto range = quoted(name, *attrs, "BYTERANGE", false);
        if (!mapUri || !range) {
            return base::fail(!mapUri ? mapUri.error() : range.error());
        }
        Map map;
        map.uri = *mapUri;
        if (find(*attrs, "BYTERANGE")) {
            const auto parsed = text::parseByteRange(*range);
            if (!parsed) {
                return error("EXT-X-MAP BYTERANGE " + quote(*range) + " invalid");
            }
            map.byteRange = *parsed;
        }
        map_ = std::move(map);
        return {};
    }
    handled = false;
    return {};
}

base::Status Parser::lowLatencyTag(std::string_view name, std::string_view value, bool& handled) {
    handled = true;
    const auto attrs = name == "EXT-X-PART" || name == "EXT-X-PART-INF" ||
                               name == "EXT-X-SERVER-CONTROL" || name == "EXT-X-PRELOAD-HINT" ||
                               name == "EXT-X-SKIP"
                           ? attributes(name, value)
                           : base::Result<std::vector<Attribute>>{};
    if (!attrs) {
        return base::fail(attrs.error());
    }
    if (name == "EXT-X-PART") {
        Part part;
        const auto duration = decimal(name, *attrs, "DURATION");
        const auto partUri = quoted(name, *attrs, "URI", true);
        const auto independent = yesNo(name, *attrs, "INDEPENDENT");
        const auto gap = yesNo(name, *attrs, "GAP");
        const auto range = quoted(name, *attrs, "BYTERANGE", false);
        if (!duration || !partUri || !independent || !gap || !range) {
            const base::Error& e = !duration      ? duration.error()
                                   : !partUri     ? partUri.error()
                                   : !independent ? independent.error()
                                   : !gap         ? gap.error()
                                                  : range.error();
            return base::fail(e);
        }
        if (!*duration) {
            return error("EXT-X-PART without DURATION");
        }
        part.duration = **duration;
        part.uri = *partUri;
        part.independent = *independent;
        part.gap = *gap;
        if (find(*attrs, "BYTERANGE")) {
            const auto parsed = text::parseByteRange(*range);
            if (!parsed) {
                return error("EXT-X-PART BYTERANGE " + quote(*range) + " invalid");
            }
            part.byteRange = *parsed;
        }
        if (auto ok = count(); !ok) {
            return ok;
        }
        pending_.parts.push_back(std::move(part));
        pendingContent_ = true;
        return {};
    }
    if (name == "EXT-X-PART-INF") {
        if (auto ok = once(name); !ok) {
            return ok;
        }
        const auto target = decimal(name, *attrs, "PART-TARGET");
        if (!target) {
            return base::fail(target.error());
        }
        if (!*target) {
            return error("EXT-X-PART-INF without PART-TARGET");
        }
        pl_.partTarget = **target;
        return {};
    }
    if (name == "EXT-X-SERVER-CONTROL") {
        if (auto ok = once(name); !ok) {
            return ok;
        }
        ServerControl& sc = pl_.serverControl;
        const auto block = yesNo(name, *attrs, "CAN-BLOCK-RELOAD");
        const auto skipDateRanges = yesNo(name, *attrs, "CAN-SKIP-DATERANGES");
        const auto skipUntil = decimal(name, *attrs, "CAN-SKIP-UNTIL");
        const auto holdBack = decimal(name, *attrs, "HOLD-BACK");
        const auto partHoldBack = decimal(name, *attrs, "PART-HOLD-BACK");
        if (!block || !skipDateRanges || !skipUntil || !holdBack || !partHoldBack) {
            const base::Error& e = !block            ? block.error()
                                   : !skipDateRanges ? skipDateRanges.error()
                                   : !skipUntil      ? skipUntil.error()
                                   : !holdBack       ? holdBack.error()
                                                     : partHoldBack.error();
            return base::fail(e);
        }
        sc.canBlockReload = *block;
        sc.canSkipDateRanges = *skipDateRanges;
        sc.canSkipUntil = *skipUntil;
        sc.holdBack = *holdBack;
        sc.partHoldBack = *partHoldBack;
        return {};
    }
    if (name == "EXT-X-PRELOAD-HINT") {
        PreloadHint hint;
        const Attribute* type = find(*attrs, "TYPE");
        if (!type || type->quoted || (type->value != "PART" && type->value != "MAP")) {
            return error("EXT-X-PRELOAD-HINT TYPE missing or invalid, allowed PART, MAP");
        }
        hint.type = type->value == "MAP" ? PreloadHint::Type::Map : PreloadHint::Type::Part;
        const auto hintUri = quoted(name, *attrs, "URI", true);
        if (!hintUri) {
            return base::fail(hintUri.error());
        }
        hint.uri = *hintUri;
        for (const auto field : {"BYTERANGE-START", "BYTERANGE-LENGTH"}) {
            if (const Attribute* a = find(*attrs, field)) {
                const auto v = integerValue(std::string(name) + " " + field, a->value);
                if (!v) {
                    return base::fail(v.error());
                }
                (std::string_view(field) == "BYTERANGE-START" ? hint.byteRangeStart
                                                              : hint.byteRangeLength) = *v;
            }
        }
        if (auto ok = count(); !ok) {
            return ok;
        }
        pl_.preloadHints.push_back(std::move(hint));
        sawHint_ = true;
        return {};
    }
    if (name == "EXT-X-SKIP") {
        if (auto ok = once(name); !ok) {
            return ok;
        }
        const Attribute* skipped = find(*attrs, "SKIPPED-SEGMENTS");
        if (!skipped) {
            return error("EXT-X-SKIP without SKIPPED-SEGMENTS");
        }
        const auto v = integerValue("EXT-X-SKIP SKIPPED-SEGMENTS", skipped->value);
        if (!v) {
            return base::fail(v.error());
        }
        pl_.skippedSegments = *v;
        return {};
    }
    handled = false;
    return {};
}

base::Status Parser::uri(std::string_view s) {
    if (!pendingDuration_) {
        return error("URI " + quote(s) + " without a preceding EXTINF");
    }
    if (auto ok = count(); !ok) {
        return ok;
    }
    pending_.duration = *pendingDuration_;
    pending_.uri = s;
    pending_.key = key_;
    pending_.map = map_;
    pl_.segments.push_back(std::move(pending_));
    pending_ = Segment{};
    pendingDuration_.reset();
    pendingContent_ = false;
    return {};
}

base::Status Parser::finish() {
    if (pendingDuration_) {
        lineNo_ = extinfLine_;
        return error("EXTINF without a URI");
    }
    if (!sawTarget_) {
        return base::fail("hls: missing EXT-X-TARGETDURATION");
    }
    if (pendingContent_) {
        // The segment being produced: parts so far, no EXTINF yet.
        pending_.key = key_;
        pending_.map = map_;
        pl_.segments.push_back(std::move(pending_));
    } else {
        // render() writes trailing tags after the hints, so these come first.
        pl_.trailingTags.insert(pl_.trailingTags.begin(), pending_.extraTags.begin(),
                                pending_.extraTags.end());
    }
    return {};
}

} // namespace

base::Result<MediaPlaylist> parseMediaPlaylist(std::string_view text,
                                               const PlaylistParserLimits& limits) {
    return Parser(limits).run(text);
}

} // namespace stagecast::protocol::hls
