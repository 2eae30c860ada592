#pragma once
/// Media playlist parser (RFC 8216 4, rfc8216bis 4.4 for the Low-Latency HLS tags), the
/// inverse of MediaPlaylist::render(): parse(render(m)) == m for any valid model, and
/// render(parse(text)) keeps what the model knows of `text`.
///
/// Lenient where the RFC tells clients to be (unknown tags are kept verbatim, unknown
/// attributes ignored, comments skipped, CRLF accepted, trailing whitespace dropped), strict
/// where a wrong guess would mislead a player (a malformed value of a known tag, EXTINF without
/// a URI, a multivariant tag in a media playlist). Each error names the line and the problem:
/// "hls: line 3: EXTINF without a URI".

#include <cstddef>
#include <string_view>

#include "MediaPlaylist.h"
#include "base/Result.h"

namespace stagecast::protocol::hls {

struct PlaylistParserLimits {
    std::size_t maxLineLength = 64 * 1024;
    /// Segments + parts + kept unknown tags + preload hints.
    std::size_t maxEntries = 100'000;
};

base::Result<MediaPlaylist> parseMediaPlaylist(std::string_view text,
                                               const PlaylistParserLimits& limits = {});

} // namespace stagecast::protocol::hls
