#pragma once
/// H.264 sequence parameter set parser (ITU-T H.264 7.3.2.1.1 and E.1.1 up to the timing
/// info), enough to describe a stream: profile, level, cropped size and frame rate.

#include <cstdint>
#include <span>

#include "CodecConfig.h"
#include "base/Result.h"

namespace stagecast::protocol::codec {

/// `nal` is one SPS NAL unit including its 1-byte NAL header, with emulation-prevention bytes
/// still in place.
base::Result<VideoConfig> parseH264Sps(std::span<const std::uint8_t> nal);

} // namespace stagecast::protocol::codec
