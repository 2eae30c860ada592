#include "monitor/HealthQuery.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>

#include "store/HealthSamples.h"

namespace stagecast::monitor {

namespace {

using std::chrono::milliseconds;

constexpr const char* kTimeForms =
    "use Unix seconds (1767225600) or RFC 3339 (2026-01-01T00:00:00Z, "
    "2026-01-01T08:00:00+08:00)";

// Fine points read from the store per output point: enough for meaningful min/max.
constexpr std::int64_t kFinePerPoint = 20;

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > text.size()) {
        return false;
    }
    auto begin = text.data() + pos;
    auto [end, ec] = std::from_chars(begin, begin + count, out);
    return ec == std::errc{} && end == begin + count;
}

std::optional<store::Time> parseUnix(std::string_view text) {
    if (text.empty() || !(std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-')) {
        return std::nullopt;
    }
    double seconds = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(seconds) ||
        std::abs(seconds) > 1e11) {
        return std::nullopt;
    }
    return store::fromUnixMs(static_cast<std::int64_t>(std::llround(seconds * 1000)));
}

// RFC 3339 section 5.6 date-time: full-date "T" full-time; "t"/"z" and a space for "T" are
// accepted as the RFC allows.
std::optional<store::Time> parseRfc3339(std::string_view t) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (t.size() < 20 || !digits(t, 0, 4, y) || t[4] != '-' || !digits(t, 5, 2, mo) ||
        t[7] != '-' || !digits(t, 8, 2, d) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') ||
        !digits(t, 11, 2, h) || t[13] != ':' || !digits(t, 14, 2, mi) || t[16] != ':' ||
        !digits(t, 17, 2, s)) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{y},
                                           std::chrono::month{static_cast<unsigned>(mo)},
                                           std::chrono::day{static_cast<unsigned>(d)}};
    if (!date.ok() || h > 23 || mi > 59 || s > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    std::int64_t fractionMs = 0;
    if (pos < t.size() && t[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        std::int64_t scale = 100;
        while (pos < t.size() && std::isdigit(static_cast<unsigned char>(t[pos]))) {
            fractionMs += (t[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) {
            return std::nullopt;
        }
    }
    if (pos >= t.size()) {
        return std::nullopt;
    }
    std::int64_t offsetMinutes = 0;
    if (t[pos] == 'Z' || t[pos] == 'z') {
        ++pos;
    } else if (t[pos] == '+' || t[pos] == '-') {
        int oh = 0, om = 0;
        if (!digits(t, pos + 1, 2, oh) || pos + 3 >= t.size() || t[pos + 3] != ':' ||
            !digits(t, pos + 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offsetMinutes = (t[pos] == '+' ? 1 : -1) * (oh * 60 + om);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != t.size()) {
        return std::nullopt;
    }
    const auto day = std::chrono::sys_days{date};
    const auto local = std::chrono::time_point_cast<milliseconds>(day) + std::chrono::hours{h} +
                       std::chrono::minutes{mi} + std::chrono::seconds{s} +
                       milliseconds{fractionMs};
    return store::Time{local - std::chrono::minutes{offsetMinutes}};
}

} // namespace

base::Result<store::Time> parseTimeParam(std::string_view text) {
    if (auto unix = parseUnix(text)) {
        return *unix;
    }
    if (auto rfc = parseRfc3339(text)) {
        return *rfc;
    }
    return base::fail("'" + std::string(text.substr(0, 64)) + "' is not a time: " + kTimeForms);
}

base::Result<HealthRange> parseHealthRange(std::optional<std::string_view> from,
                                           std::optional<std::string_view> to,
                                           std::optional<std::string_view> points,
                                           store::Time now) {
    HealthRange range;
    range.to = now;
    if (to) {
        auto parsed = parseTimeParam(*to);
        if (!parsed) {
            return base::fail(parsed.error().withContext("to"));
        }
        range.to = *parsed;
    }
    range.from = range.to - kDefaultRange;
    if (from) {
        auto parsed = parseTimeParam(*from);
        if (!parsed) {
            return base::fail(parsed.error().withContext("from"));
        }
        range.from = *parsed;
    }
    if (range.from >= range.to) {
        return base::fail("from must be before to");
    }
    range.points = kDefaultPoints;
    if (points) {
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(points->data(), points->data() + points->size(), n);
        if (ec != std::errc{} || end != points->data() + points->size()) {
            return base::fail("points: '" + std::string(points->substr(0, 32)) +
                              "' is not a whole number");
        }
        if (n < 1 || n > static_cast<std::int64_t>(kMaxPoints)) {
            return base::fail("points: " + std::to_string(n) + " is out of range 1.." +
                              std::to_string(kMaxPoints));
        }
        range.points = static_cast<std::size_t>(n);
    }
    return range;
}

base::Result<std::vector<SeriesPoint>>
queryHealth(store::StoreReader& reader, std::string_view stream, const HealthRange& range) {
    const auto spanSeconds =
        std::chrono::duration_cast<std::chrono::seconds>(range.to - range.from).count();
    const auto fine = std::clamp<std::int64_t>(
        std::min<std::int64_t>(spanSeconds,
                               static_cast<std::int64_t>(range.points) * kFinePerPoint),
        static_cast<std::int64_t>(range.points), 100'000);
    auto points = store::HealthSamples::query(reader, stream, range.from, range.to,
                                              static_cast<std::size_t>(fine));
    if (!points) {
        return base::fail(points.error().withContext("health of " + std::string(stream)));
    }
    return downsample(*points, range.from, range.to, range.points);
}

} // namespace stagecast::monitor
