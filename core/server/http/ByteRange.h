#pragma once
/// The Range request header of a file download (RFC 9110 section 14): which bytes of a
/// resource of known size to send. Only "bytes" ranges are understood, and only one: a header
/// in another unit, with several ranges or malformed is ignored (the whole resource is sent,
/// as the RFC allows); a range that starts past the end is unsatisfiable (416).

#include <cstdint>
#include <string_view>

namespace stagecast::server::http {

enum class RangeKind : std::uint8_t { Whole = 1, Partial, Unsatisfiable };

struct RangeAnswer {
    RangeKind kind = RangeKind::Whole;
    std::uint64_t first = 0; // Partial: first byte sent
    std::uint64_t last = 0;  // Partial: last byte sent (inclusive)
    std::uint64_t length() const { return last - first + 1; }
};

/// `header` is the Range header's value ("" when absent).
RangeAnswer resolveRange(std::string_view header, std::uint64_t size);

} // namespace stagecast::server::http
