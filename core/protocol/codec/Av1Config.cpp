/// AV1CodecConfigurationRecord (AV1 Codec ISOBMFF Binding 2.3.3) and the sequence header OBU
/// (AV1 Bitstream 5.5) up to max_frame_width/height.

#include <optional>
#include <string>

#include "BitReader.h"
#include "CodecConfig.h"
#include "base/ByteReader.h"

namespace stagecast::protocol::codec {
namespace {

constexpr std::uint32_t kObuSequenceHeader = 1;

std::string hexByte(std::uint8_t b) {
    constexpr const char* kHex = "0123456789abcdef";
    return std::string{kHex[b >> 4U], kHex[b & 0xFU]};
}

std::string profileName(std::uint32_t seqProfile) {
    switch (seqProfile) {
    case 0:
        return "Main";
    case 1:
        return "High";
    case 2:
        return "Professional";
    default:
        return "Profile " + std::to_string(seqProfile);
    }
}

// Annex A.3: seq_level_idx 0..23 maps to levels 2.0..7.3; 31 means "no level constraint".
double levelFromIndex(std::uint32_t idx) {
    if (idx > 23) {
        return 0;
    }
    return 2 + (idx >> 2U) + (idx & 3U) / 10.0;
}

// leb128(), AV1 4.10.5; at most 8 bytes and a value below 2^32.
std::optional<std::uint64_t> readLeb128(base::ByteReader& r) {
    std::uint64_t value = 0;
    for (unsigned i = 0; i < 8; ++i) {
        const auto byte = r.u8();
        if (!byte) {
            return std::nullopt;
        }
        value |= std::uint64_t{*byte & 0x7FU} << (i * 7);
        if ((*byte & 0x80U) == 0) {
            return value <= 0xFFFFFFFFULL ? std::optional(value) : std::nullopt;
        }
    }
    return std::nullopt;
}

// sequence_header_obu(), AV1 5.5.1. Fills profile, level, size and frame rate.
base::Status parseSequenceHeader(std::span<const std::uint8_t> payload, VideoConfig& config) {
    BitReader r(payload);
    const std::uint32_t seqProfile = r.bits(3, "seq_profile");
    r.skip(1, "still_picture");
    const bool reducedStillPicture = r.flag("reduced_still_picture_header");
    std::uint32_t firstLevelIdx = 0;
    if (reducedStillPicture) {
        firstLevelIdx = r.bits(5, "seq_level_idx");
    } else {
        bool decoderModelInfo = false;
        std::uint32_t bufferDelayLength = 0;
        if (r.flag("timing_info_present_flag")) {
            // timing_info(), 5.5.3.
            const std::uint32_t unitsInTick = r.bits(32, "num_units_in_display_tick");
            const std::uint32_t timeScale = r.bits(32, "time_scale");
            std::uint64_t ticksPerPicture = 1;
            if (r.flag("equal_picture_interval")) {
                ticksPerPicture = std::uint64_t{r.uvlc("num_ticks_per_picture_minus_1")} + 1;
            }
            if (r.ok() && unitsInTick != 0 && timeScale != 0) {
                config.frameRate =
                    static_cast<double>(timeScale) /
                    (static_cast<double>(unitsInTick) * static_cast<double>(ticksPerPicture));
            }
            decoderModelInfo = r.flag("decoder_model_info_present_flag");
            if (decoderModelInfo) {
                // decoder_model_info(), 5.5.4.
                bufferDelayLength = r.bits(5, "buffer_delay_length_minus_1") + 1;
                r.skip(32, "num_units_in_decoding_tick");
                r.skip(5, "buffer_removal_time_length_minus_1");
                r.skip(5, "frame_presentation_time_length_minus_1");
            }
        }
        const bool initialDisplayDelay = r.flag("initial_display_delay_present_flag");
        const std::uint32_t operatingPoints = r.bits(5, "operating_points_cnt_minus_1") + 1;
        for (std::uint32_t i = 0; i < operatingPoints && r.ok(); ++i) {
            r.skip(12, "operating_point_idc");
            const std::uint32_t levelIdx = r.bits(5, "seq_level_idx");
            if (i == 0) {
                firstLevelIdx = levelIdx;
            }
            if (levelIdx > 7) {
                r.skip(1, "seq_tier");
            }
            if (decoderModelInfo && r.flag("decoder_model_present_for_this_op")) {
                // operating_parameters_info(), 5.5.5.
                r.skip(bufferDelayLength, "decoder_buffer_delay");
                r.skip(bufferDelayLength, "encoder_buffer_delay");
                r.skip(1, "low_delay_mode_flag");
            }
            if (initialDisplayDelay && r.flag("initial_display_delay_present_for_this_op")) {
                r.skip(4, "initial_display_delay_minus_1");
            }
        }
    }
    const std::uint32_t widthBits = r.bits(4, "frame_width_bits_minus_1") + 1;
    const std::uint32_t heightBits = r.bits(4, "frame_height_bits_minus_1") + 1;
    const std::uint64_t width = std::uint64_t{r.bits(widthBits, "max_frame_width_minus_1")} + 1;
    const std::uint64_t height = std::uint64_t{r.bits(heightBits, "max_frame_height_minus_1")} + 1;
    if (!r.ok()) {
        return base::fail("av1 sequence header: " + r.error());
    }
    config.profile = profileName(seqProfile);
    config.level = levelFromIndex(firstLevelIdx);
    config.width = static_cast<std::uint32_t>(width);
    config.height = static_cast<std::uint32_t>(height);
    return {};
}

} // namespace

base::Result<VideoConfig> parseAv1Config(std::span<const std::uint8_t> record) {
    constexpr std::size_t kRecordHeaderSize = 4;
    if (record.size() < kRecordHeaderSize) {
        return base::fail("av1C: record truncated, " + std::to_string(record.size()) +
                          " bytes, allowed at least 4");
    }
    BitReader header(record.first(kRecordHeaderSize));
    const bool marker = header.flag("marker");
    const std::uint32_t version = header.bits(7, "version");
    if (!marker || version != 1) {
        return base::fail("av1C: marker/version byte 0x" + hexByte(record[0]) +
                          " invalid, allowed 0x81 (marker 1, version 1)");
    }
    const std::uint32_t seqProfile = header.bits(3, "seq_profile");
    const std::uint32_t levelIdx = header.bits(5, "seq_level_idx_0");

    VideoConfig config;
    config.codec = "av1";
    config.profile = profileName(seqProfile);
    config.level = levelFromIndex(levelIdx);

    // configOBUs: low-overhead OBUs (5.3). Only the sequence header matters; an empty list
    // is legal (the sequence header then travels in-band) and leaves the size unknown (0).
    base::ByteReader r(record.subspan(kRecordHeaderSize));
    while (!r.empty()) {
        const std::size_t obuStart = kRecordHeaderSize + r.position();
        const std::uint8_t obuHeader = *r.u8();
        if ((obuHeader & 0x80U) != 0) {
            return base::fail("av1C: obu_forbidden_bit set in the OBU at byte " +
                              std::to_string(obuStart));
        }
        const std::uint32_t obuType = (obuHeader >> 3U) & 0x0FU;
        const bool hasExtension = (obuHeader & 0x04U) != 0;
        const bool hasSize = (obuHeader & 0x02U) != 0;
        if (hasExtension && !r.skip(1)) {
            return base::fail("av1C: OBU at byte " + std::to_string(obuStart) +
                              " truncated at obu_extension_header");
        }
        std::uint64_t size = r.remaining();
        if (hasSize) {
            const auto leb = readLeb128(r);
            if (!leb) {
                return base::fail("av1C: OBU at byte " + std::to_string(obuStart) +
                                  " has a truncated or oversized obu_size");
            }
            size = *leb;
        }
        const auto payload = r.bytes(static_cast<std::size_t>(size));
        if (!payload) {
            return base::fail("av1C: OBU at byte " + std::to_string(obuStart) + " declares " +
                              std::to_string(size) + " bytes, only " +
                              std::to_string(r.remaining()) + " left");
        }
        if (obuType == kObuSequenceHeader) {
            auto parsed = parseSequenceHeader(*payload, config);
            if (!parsed) {
                return base::fail(parsed.error());
            }
            return config;
        }
    }
    return config;
}

} // namespace stagecast::protocol::codec
