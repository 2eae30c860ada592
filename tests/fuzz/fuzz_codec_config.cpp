// Runs one decoder-configuration parser on the input; the first byte selects which
// (0 avcC, 1 hvcC, 2 av1C, 3 AudioSpecificConfig, 4 bare H.264 SPS, 5 bare H.265 SPS).

#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/codec/CodecConfig.h"
#include "protocol/codec/H264Sps.h"
#include "protocol/codec/HevcSps.h"

namespace codec = stagecast::protocol::codec;

namespace {

void check(const stagecast::base::Result<codec::VideoConfig>& config) {
    // Every failure must explain itself; every success must name its codec.
    if (config ? config->codec.empty() : config.error().message().empty()) {
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::span<const std::uint8_t> input(data + 1, size - 1);
    switch (data[0] % 6) {
    case 0:
        check(codec::parseAvcConfig(input));
        break;
    case 1:
        check(codec::parseHevcConfig(input));
        break;
    case 2:
        check(codec::parseAv1Config(input));
        break;
    case 3: {
        const auto config = codec::parseAacConfig(input);
        if (config ? config->profile.empty() : config.error().message().empty()) {
            __builtin_trap();
        }
        break;
    }
    case 4:
        check(codec::parseH264Sps(input));
        break;
    default:
        check(codec::parseHevcSps(input));
        break;
    }
    return 0;
}
