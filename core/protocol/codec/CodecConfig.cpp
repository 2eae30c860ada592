#include "CodecConfig.h"

#include <optional>
#include <string>

#include "H264Sps.h"
#include "HevcSps.h"
#include "base/ByteReader.h"

namespace stagecast::protocol::codec {
namespace {

base::Result<VideoConfig> truncatedAt(const char* codec, const char* field, std::size_t offset) {
    return base::fail(std::string(codec) + ": record truncated at " + field + " (byte " +
                      std::to_string(offset) + ")");
}

} // namespace

// AVCDecoderConfigurationRecord, ISO/IEC 14496-15 5.3.3.1.2.
base::Result<VideoConfig> parseAvcConfig(std::span<const std::uint8_t> record) {
    constexpr const char* kCodec = "avcC";
    base::ByteReader r(record);
    const auto version = r.u8();
    if (!version) {
        return truncatedAt(kCodec, "configurationVersion", r.position());
    }
    if (*version != 1) {
        return base::fail("avcC: configurationVersion " + std::to_string(*version) +
                          " invalid, allowed 1");
    }
    // AVCProfileIndication, profile_compatibility, AVCLevelIndication: the SPS repeats them.
    if (!r.skip(3)) {
        return truncatedAt(kCodec, "AVCProfileIndication", r.position());
    }
    const auto lengthSize = r.u8();
    if (!lengthSize) {
        return truncatedAt(kCodec, "lengthSizeMinusOne", r.position());
    }
    if ((*lengthSize & 0x03U) == 2) {
        return base::fail("avcC: lengthSizeMinusOne 2 invalid, allowed 0, 1 or 3");
    }
    const auto numSps = r.u8();
    if (!numSps) {
        return truncatedAt(kCodec, "numOfSequenceParameterSets", r.position());
    }
    std::optional<std::span<const std::uint8_t>> firstSps;
    for (unsigned i = 0; i < (*numSps & 0x1FU); ++i) {
        const auto length = r.u16be();
        if (!length) {
            return truncatedAt(kCodec, "sequenceParameterSetLength", r.position());
        }
        const auto nal = r.bytes(*length);
        if (!nal) {
            return truncatedAt(kCodec, "sequenceParameterSetNALUnit", r.position());
        }
        if (!firstSps) {
            firstSps = *nal;
        }
    }
    if (!firstSps) {
        return base::fail("avcC: numOfSequenceParameterSets 0 invalid, allowed 1..31");
    }
    const auto numPps = r.u8();
    if (!numPps) {
        return truncatedAt(kCodec, "numOfPictureParameterSets", r.position());
    }
    for (unsigned i = 0; i < *numPps; ++i) {
        const auto length = r.u16be();
        if (!length) {
            return truncatedAt(kCodec, "pictureParameterSetLength", r.position());
        }
        if (!r.skip(*length)) {
            return truncatedAt(kCodec, "pictureParameterSetNALUnit", r.position());
        }
    }
    // The High-profile trailer (chroma_format, bit depths, SPS extensions) repeats what the
    // SPS says and is missing in records written by many muxers, so it is not required.
    return parseH264Sps(*firstSps);
}

// HEVCDecoderConfigurationRecord, ISO/IEC 14496-15 8.3.3.1.2.
base::Result<VideoConfig> parseHevcConfig(std::span<const std::uint8_t> record) {
    constexpr const char* kCodec = "hvcC";
    base::ByteReader r(record);
    const auto version = r.u8();
    if (!version) {
        return truncatedAt(kCodec, "configurationVersion", r.position());
    }
    if (*version != 1) {
        return base::fail("hvcC: configurationVersion " + std::to_string(*version) +
                          " invalid, allowed 1");
    }
    // From general_profile_space up to lengthSizeMinusOne: 21 more bytes of fixed header
    // whose profile/tier/level fields the SPS repeats.
    constexpr std::size_t kFixedHeaderRest = 21;
    if (!r.skip(kFixedHeaderRest)) {
        return truncatedAt(kCodec, "the 23-byte header", r.position());
    }
    const auto numArrays = r.u8();
    if (!numArrays) {
        return truncatedAt(kCodec, "numOfArrays", r.position());
    }
    constexpr std::uint8_t kSpsNalType = 33;
    std::optional<std::span<const std::uint8_t>> firstSps;
    for (unsigned i = 0; i < *numArrays; ++i) {
        const auto typeByte = r.u8();
        if (!typeByte) {
            return truncatedAt(kCodec, "NAL_unit_type", r.position());
        }
        const auto numNalus = r.u16be();
        if (!numNalus) {
            return truncatedAt(kCodec, "numNalus", r.position());
        }
        for (unsigned j = 0; j < *numNalus; ++j) {
            const auto length = r.u16be();
            if (!length) {
                return truncatedAt(kCodec, "nalUnitLength", r.position());
            }
            const auto nal = r.bytes(*length);
            if (!nal) {
                return truncatedAt(kCodec, "nalUnit", r.position());
            }
            if (!firstSps && (*typeByte & 0x3FU) == kSpsNalType) {
                firstSps = *nal;
            }
        }
    }
    if (!firstSps) {
        return base::fail("hvcC: no SPS (NAL unit type 33) in the parameter set arrays");
    }
    return parseHevcSps(*firstSps);
}

} // namespace stagecast::protocol::codec
