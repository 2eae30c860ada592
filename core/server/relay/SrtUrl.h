#pragma once
/// srt://HOST:PORT?streamid=...&passphrase=...&latency=MS, as ffmpeg and OBS write SRT
/// destinations (the caller side).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace stagecast::server::relay {

struct SrtUrl {
    std::string host;
    std::uint16_t port = 0;
    std::string streamId;   // percent-decoded; may carry the destination's key
    std::string passphrase; // empty: no encryption
    std::chrono::milliseconds latency{120};

    /// "srt://HOST:PORT?…" so logs and the API never show a key or passphrase.
    std::string redacted() const;
};

/// Errors say what is wrong ("relay URL 'srt://h' needs a port").
base::Result<SrtUrl> parseSrtUrl(std::string_view url);

} // namespace stagecast::server::relay
