#pragma once
/// Decoder configuration parsers used to describe a stream (codec, profile, size, sample
/// rate) without decoding it: ISO/IEC 14496-15 AVCDecoderConfigurationRecord with its SPS
/// (ITU-T H.264 7.3.2.1.1, including cropping and VUI timing), HEVCDecoderConfigurationRecord
/// with its SPS (ITU-T H.265 7.3.2.2), AV1CodecConfigurationRecord with its sequence header
/// OBU, and the MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1). Sans-I/O; every read is
/// bounds-checked and emulation-prevention bytes are removed before SPS parsing.

#include <cstdint>
#include <span>
#include <string>

#include "base/Result.h"

namespace stagecast::protocol::codec {

struct VideoConfig {
    std::string codec;       // "h264", "hevc", "av1"
    std::string profile;     // "High", "Main", "Main 10", ...
    double level = 0;        // 3.1, 4.0, 5.1 ...
    std::uint32_t width = 0; // after cropping
    std::uint32_t height = 0;
    double frameRate = 0; // from VUI timing when present, else 0
};

struct AudioConfig {
    std::string codec = "aac";
    std::string profile; // "LC", "HE-AAC", "HE-AACv2", ...
    std::uint32_t sampleRate = 0;
    std::uint32_t channels = 0;
};

/// `record` is the AVCDecoderConfigurationRecord (the bytes after the FLV video tag header).
base::Result<VideoConfig> parseAvcConfig(std::span<const std::uint8_t> record);
base::Result<VideoConfig> parseHevcConfig(std::span<const std::uint8_t> record);
base::Result<VideoConfig> parseAv1Config(std::span<const std::uint8_t> record);
/// `asc` is the AudioSpecificConfig (the bytes after the 2-byte FLV AAC header).
base::Result<AudioConfig> parseAacConfig(std::span<const std::uint8_t> asc);

} // namespace stagecast::protocol::codec
