#pragma once
/// The value syntax shared by the playlist renderers and the parser: RFC 8216 4.2 attribute
/// lists and their value types (decimal-integer, decimal-floating-point, quoted-string,
/// hexadecimal-sequence), byte ranges (4.3.2.2) and the ISO 8601 date-time of
/// EXT-X-PROGRAM-DATE-TIME (4.3.2.6).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "MediaPlaylist.h"
#include "base/Result.h"

namespace stagecast::protocol::hls::text {

/// Seconds with three decimals ("4.000") when that reads back as the same double, else the
/// shortest fixed-point form that does, so parsing a rendered value is exact.
std::string formatDecimal(double seconds);
/// Exactly three decimals (FRAME-RATE, RFC 8216 4.3.4.2).
std::string formatFixed3(double value);
/// decimal-floating-point: digits with at most one '.', no sign or exponent; at most
/// kMaxDecimal.
std::optional<double> parseDecimal(std::string_view s);
inline constexpr double kMaxDecimal = 1e9;
/// decimal-integer: 1..20 digits, at most 2^64 - 1.
std::optional<std::uint64_t> parseInteger(std::string_view s);

/// "<length>[@<offset>]"
std::string formatByteRange(const ByteRange& range);
std::optional<ByteRange> parseByteRange(std::string_view s);

/// "0x" + 32 hex digits.
std::string formatIv(const std::array<std::uint8_t, 16>& iv);
/// hexadecimal-sequence of up to 32 digits, right-aligned in 16 bytes.
std::optional<std::array<std::uint8_t, 16>> parseIv(std::string_view s);

/// UTC with milliseconds: "2026-11-24T03:15:46.123Z".
std::string formatDateTime(std::int64_t msSinceEpoch);
/// "YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm|+hhmm|+hh)", years 0000..9999 in UTC;
/// fractions beyond milliseconds are truncated.
std::optional<std::int64_t> parseDateTime(std::string_view s);

struct Attribute {
    std::string_view name;
    std::string_view value; // without the quotes of a quoted-string
    bool quoted = false;
};
/// Splits an attribute-list (RFC 8216 4.2). The error text says what is wrong, without a
/// line prefix. Names repeated in one list are an error.
base::Result<std::vector<Attribute>> parseAttributes(std::string_view list);

/// A quoted-string may hold anything but CR, LF and '"'.
bool quotable(std::string_view s);

} // namespace stagecast::protocol::hls::text
