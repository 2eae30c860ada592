#pragma once
/// The HLS multi-variant playlist of a transcoded stream: GET /APP/STREAM_abr.m3u8 lists the
/// source's own media playlist and each rendition's (/APP/STREAM_720p.m3u8), with BANDWIDTH,
/// AVERAGE-BANDWIDTH, CODECS, RESOLUTION and FRAME-RATE (RFC 8216 4.3.4.2). The server does
/// not know the transcoder: the app installs a provider that describes the variants of a
/// source. The "_abr" suffix is therefore reserved: a stream named "x_abr" has no
/// multi-variant playlist of its own.
///
/// Threads: setProvider() before the server starts; playlist() from any network thread (the
/// provider must only read in-memory state and be thread-safe).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "stream/StreamKey.h"

namespace stagecast::server::hls {

struct VariantEntry {
    stream::StreamKey stream;           // its media playlist is /APP/NAME.m3u8
    std::uint64_t bandwidth = 0;        // peak bits per second
    std::uint64_t averageBandwidth = 0; // 0: not stated
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::string codecs;   // "avc1.64001f,mp4a.40.2"
    double frameRate = 0; // 0: not stated
};

/// The variants of `source` (the source first, then renditions highest first); empty when
/// the source has no live rendition.
using VariantProvider = std::function<std::vector<VariantEntry>(const stream::StreamKey& source)>;

/// "/APP/STREAM_abr.m3u8" -> APP/STREAM; nullopt for any other path.
std::optional<stream::StreamKey> multiVariantSource(std::string_view path);

/// What a variant's URI carries after "NAME.m3u8" ("?auth_key=..." when play auth is on);
/// empty: nothing.
using VariantQuery = std::function<std::string(const stream::StreamKey& variant)>;

/// The playlist text; variant URIs are relative ("STREAM_720p.m3u8" + `query`), so it works
/// behind a path prefix.
std::string renderMultiVariant(const std::vector<VariantEntry>& variants,
                               const VariantQuery& query = {});

class MultiVariant {
public:
    void setProvider(VariantProvider provider) { provider_ = std::move(provider); }
    /// The playlist of `source`; fails ("no renditions of live/x") when there is none.
    base::Result<std::string> playlist(const stream::StreamKey& source,
                                       const VariantQuery& query = {}) const;

private:
    VariantProvider provider_;
};

} // namespace stagecast::server::hls
