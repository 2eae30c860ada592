#pragma once
/// What a hub-packet decoder did, for monitoring and tests. Cumulative since construction.

#include <cstdint>
#include <string>

namespace stagecast::media {

struct DecoderCounters {
    std::uint64_t packets = 0;      // media packets received (configs not counted)
    std::uint64_t skipped = 0;      // not decoded by choice: non-keyframes, rate limit
    std::uint64_t unconfigured = 0; // no usable configuration yet, or a codec not decoded
    std::uint64_t frames = 0;       // pictures or audio frames handed out
    std::uint64_t errors = 0;       // packets rejected (bad header, decoder error), corrupt frames
    std::uint64_t resets = 0;       // decoder reopened: after an error or a new configuration
    std::string lastError;          // the latest error or unsupported-codec message
};

} // namespace stagecast::media
