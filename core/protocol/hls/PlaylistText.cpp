#include "PlaylistText.h"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "base/Hex.h"

namespace stagecast::protocol::hls::text {
namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at `pos` (advancing it) as a number.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t n) {
    if (s.size() - pos < n) {
        return std::nullopt;
    }
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!isDigit(s[pos + i])) {
            return std::nullopt;
        }
        v = v * 10 + (s[pos + i] - '0');
    }
    pos += n;
    return v;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

std::string toChars(double v, int precision) {
    std::array<char, 512> buf{};
    const auto r = precision < 0 ? std::to_chars(buf.data(), buf.data() + buf.size(), v,
                                                 std::chars_format::fixed)
                                 : std::to_chars(buf.data(), buf.data() + buf.size(), v,
                                                 std::chars_format::fixed, precision);
    if (r.ec != std::errc()) {
        return "0";
    }
    return std::string(buf.data(), r.ptr);
}

} // namespace

std::string formatDecimal(double seconds) {
    std::string three = toChars(seconds, 3);
    double back = 0;
    const auto r = std::from_chars(three.data(), three.data() + three.size(), back);
    if (r.ec == std::errc() && back == seconds) {
        return three;
    }
    return toChars(seconds, -1);
}

std::string formatFixed3(double value) {
    return toChars(value, 3);
}

std::optional<double> parseDecimal(std::string_view s) {
    bool digit = false;
    bool dot = false;
    for (const char c : s) {
        if (isDigit(c)) {
            digit = true;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            return std::nullopt;
        }
    }
    if (!digit) {
        return std::nullopt;
    }
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !(v <= kMaxDecimal)) {
        return std::nullopt;
    }
    return v;
}

std::optional<std::uint64_t> parseInteger(std::string_view s) {
    if (s.empty() || s.size() > 20) {
        return std::nullopt;
    }
    for (const char c : s) {
        if (!isDigit(c)) {
            return std::nullopt;
        }
    }
    std::uint64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::string formatByteRange(const ByteRange& range) {
    std::string s = std::to_string(range.length);
    if (range.offset) {
        s += '@' + std::to_string(*range.offset);
    }
    return s;
}

std::optional<ByteRange> parseByteRange(std::string_view s) {
    ByteRange range;
    const auto at = s.find('@');
    const auto length = parseInteger(s.substr(0, at));
    if (!length) {
        return std::nullopt;
    }
    range.length = *length;
    if (at != std::string_view::npos) {
        const auto offset = parseInteger(s.substr(at + 1));
        if (!offset) {
            return std::nullopt;
        }
        range.offset = *offset;
    }
    return range;
}

std::string formatIv(const std::array<std::uint8_t, 16>& iv) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s = "0x";
    for (const std::uint8_t b : iv) {
        s += kHex[b >> 4];
        s += kHex[b & 0x0F];
    }
    return s;
}

std::optional<std::array<std::uint8_t, 16>> parseIv(std::string_view s) {
    if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
        return std::nullopt;
    }
    s.remove_prefix(2);
    if (s.size() > 32) {
        return std::nullopt;
    }
    std::array<std::uint8_t, 16> iv{};
    // Right-aligned: the last digit is the low nibble of the last byte.
    std::size_t nibble = 0;
    for (auto it = s.rbegin(); it != s.rend(); ++it, ++nibble) {
        const int v = base::hexValue(*it);
        if (v < 0) {
            return std::nullopt;
        }
        auto& byte = iv[15 - nibble / 2];
        byte = static_cast<std::uint8_t>(byte | (nibble % 2 == 0 ? v : v << 4));
    }
    return iv;
}

std::string formatDateTime(std::int64_t msSinceEpoch) {
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds{msSinceEpoch}};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<milliseconds> tod{t - day};
    std::array<char, 64> buf{};
    const int n = std::snprintf(
        buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
        static_cast<int>(tod.hours().count()), static_cast<int>(tod.minutes().count()),
        static_cast<int>(tod.seconds().count()), static_cast<int>(tod.subseconds().count()));
    return std::string(buf.data(), static_cast<std::size_t>(n > 0 ? n : 0));
}

std::optional<std::int64_t> parseDateTime(std::string_view s) {
    using namespace std::chrono;
    std::size_t pos = 0;
    const auto y = digits(s, pos, 4);
    if (!y || !expect(s, pos, '-')) {
        return std::nullopt;
    }
    const auto mo = digits(s, pos, 2);
    if (!mo || !expect(s, pos, '-')) {
        return std::nullopt;
    }
    const auto d = digits(s, pos, 2);
    if (!d || !(expect(s, pos, 'T') || expect(s, pos, 't'))) {
        return std::nullopt;
    }
    const auto h = digits(s, pos, 2);
    if (!h || !expect(s, pos, ':')) {
        return std::nullopt;
    }
    const auto mi = digits(s, pos, 2);
    if (!mi || !expect(s, pos, ':')) {
        return std::nullopt;
    }
    const auto sec = digits(s, pos, 2);
    if (!sec || *h > 23 || *mi > 59 || *sec > 59) {
        return std::nullopt;
    }
    std::int64_t ms = 0;
    if (expect(s, pos, '.')) {
        int scale = 100;
        const std::size_t start = pos;
        for (; pos < s.size() && isDigit(s[pos]); ++pos) {
            ms += (s[pos] - '0') * scale;
            scale /= 10;
        }
        if (pos == start) {
            return std::nullopt;
        }
    }
    std::int64_t offsetMinutes = 0;
    if (expect(s, pos, 'Z') || expect(s, pos, 'z')) {
        // UTC
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        const int sign = s[pos] == '+' ? 1 : -1;
        ++pos;
        const auto oh = digits(s, pos, 2);
        if (!oh || *oh > 23) {
            return std::nullopt;
        }
        std::optional<int> om = 0;
        if (expect(s, pos, ':')) {
            om = digits(s, pos, 2);
        } else if (pos < s.size()) {
            om = digits(s, pos, 2);
        }
        if (!om || *om > 59) {
            return std::nullopt;
        }
        offsetMinutes = sign * (*oh * 60 + *om);
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) {
        return std::nullopt;
    }
    const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)},
                             day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    const std::int64_t dayMs = sys_days{ymd}.time_since_epoch().count() * 86'400'000LL;
    const std::int64_t utc = dayMs + ((*h * 60LL + *mi - offsetMinutes) * 60 + *sec) * 1000 + ms;
    // Keep what the renderer can write back in four digits.
    const std::int64_t first = sys_days{year{0} / 1 / 1}.time_since_epoch().count() * 86'400'000LL;
    const std::int64_t last =
        sys_days{year{10000} / 1 / 1}.time_since_epoch().count() * 86'400'000LL - 1;
    if (utc < first || utc > last) {
        return std::nullopt;
    }
    return utc;
}

base::Result<std::vector<Attribute>> parseAttributes(std::string_view list) {
    std::vector<Attribute> attributes;
    std::size_t pos = 0;
    // Real tags have a handful; the cap keeps the repeated-name check cheap.
    constexpr std::size_t kMaxAttributes = 64;
    while (pos < list.size()) {
        if (attributes.size() == kMaxAttributes) {
            return base::fail("more than " + std::to_string(kMaxAttributes) + " attributes");
        }
        const std::size_t eq = list.find('=', pos);
        if (eq == std::string_view::npos) {
            return base::fail("attribute \"" + std::string(list.substr(pos, 32)) +
                              "\" has no '=' and value");
        }
        Attribute a;
        a.name = list.substr(pos, eq - pos);
        if (a.name.empty()) {
            return base::fail("attribute name empty at column " + std::to_string(pos + 1));
        }
        for (const char c : a.name) {
            if (!(isDigit(c) || (c >= 'A' && c <= 'Z') || c == '-')) {
                return base::fail("attribute name \"" + std::string(a.name.substr(0, 32)) +
                                  "\" invalid, allowed A-Z, 0-9 and '-'");
            }
        }
        pos = eq + 1;
        if (pos < list.size() && list[pos] == '"') {
            const std::size_t close = list.find('"', pos + 1);
            if (close == std::string_view::npos) {
                return base::fail("quoted value of " + std::string(a.name) + " not closed");
            }
            a.value = list.substr(pos + 1, close - pos - 1);
            a.quoted = true;
            pos = close + 1;
            if (pos < list.size() && list[pos] != ',') {
                return base::fail("expected ',' after the quoted value of " + std::string(a.name));
            }
        } else {
            const std::size_t comma = list.find(',', pos);
            a.value = list.substr(pos, comma == std::string_view::npos ? std::string_view::npos
                                                                       : comma - pos);
            pos = comma == std::string_view::npos ? list.size() : comma;
        }
        for (const Attribute& other : attributes) {
            if (other.name == a.name) {
                return base::fail("attribute " + std::string(a.name) + " repeated");
            }
        }
        attributes.push_back(a);
        if (pos < list.size()) {
            ++pos; // the ','
            if (pos == list.size()) {
                return base::fail("attribute list ends with ','");
            }
        }
    }
    return attributes;
}

bool quotable(std::string_view s) {
    return s.find_first_of("\r\n\"") == std::string_view::npos;
}

} // namespace stagecast::protocol::hls::text
