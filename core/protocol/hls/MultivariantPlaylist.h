#pragma once
/// HLS multivariant (master) playlist renderer, RFC 8216 4.3.4.2 EXT-X-STREAM-INF: one entry
/// per variant stream with its bandwidth, resolution, codecs and frame rate.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stagecast::protocol::hls {

struct Resolution {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    bool operator==(const Resolution&) const = default;
};

struct Variant {
    std::uint64_t bandwidth = 0; // peak bits per second, required
    std::optional<std::uint64_t> averageBandwidth;
    std::optional<Resolution> resolution;
    /// RFC 6381 codec list, e.g. "avc1.64001f,mp4a.40.2"; omitted when empty.
    std::string codecs;
    std::optional<double> frameRate; // rendered with three decimals
    std::string uri;
    bool operator==(const Variant&) const = default;
};

struct MultivariantPlaylist {
    /// EXT-X-VERSION, omitted when 0 (nothing here needs more than version 1).
    std::uint32_t version = 0;
    bool independentSegments = false;
    std::vector<Variant> variants;

    /// The text, lines ending in LF. Strings must not contain CR, LF or '"'.
    std::string render() const;
};

} // namespace stagecast::protocol::hls
