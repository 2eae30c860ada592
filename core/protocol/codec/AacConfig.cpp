/// AudioSpecificConfig, ISO/IEC 14496-3 1.6.2.1, with the GASpecificConfig (4.4.1) and the
/// program_config_element (4.4.1.1) needed to count channels, and both ways of signalling
/// SBR/PS: explicit hierarchical (audioObjectType 5/29) and backward-compatible (sync
/// extension 0x2b7 / 0x548 after the core config, 1.6.6.2).

#include <array>
#include <string>

#include "BitReader.h"
#include "CodecConfig.h"

namespace stagecast::protocol::codec {
namespace {

constexpr std::uint32_t kAotMain = 1;
constexpr std::uint32_t kAotLc = 2;
constexpr std::uint32_t kAotSbr = 5;
constexpr std::uint32_t kAotErBsac = 22;
constexpr std::uint32_t kAotPs = 29;
constexpr std::uint32_t kSyncExtensionSbr = 0x2b7;
constexpr std::uint32_t kSyncExtensionPs = 0x548;

base::Result<AudioConfig> truncated(const BitReader& r) {
    return base::fail("aac config: " + r.error());
}

std::uint32_t readObjectType(BitReader& r) {
    const std::uint32_t aot = r.bits(5, "audioObjectType");
    return aot == 31 ? 32 + r.bits(6, "audioObjectTypeExt") : aot;
}

// Returns 0 for the reserved indices 13 and 14.
std::uint32_t readSamplingFrequency(BitReader& r, const char* indexField,
                                    const char* explicitField) {
    static constexpr std::array<std::uint32_t, 15> kRates = {96000, 88200, 64000, 48000, 44100,
                                                             32000, 24000, 22050, 16000, 12000,
                                                             11025, 8000,  7350,  0,     0};
    const std::uint32_t index = r.bits(4, indexField);
    return index == 15 ? r.bits(24, explicitField) : kRates[index];
}

std::string profileName(std::uint32_t aot) {
    switch (aot) {
    case kAotMain:
        return "Main";
    case kAotLc:
        return "LC";
    case 3:
        return "SSR";
    case 4:
        return "LTP";
    case kAotSbr:
        return "HE-AAC";
    case kAotPs:
        return "HE-AACv2";
    case 17:
        return "ER LC";
    case 23:
        return "LD";
    case 39:
        return "ELD";
    case 42:
        return "USAC";
    default:
        return "AOT " + std::to_string(aot);
    }
}

bool usesGaSpecificConfig(std::uint32_t aot) {
    switch (aot) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 6:
    case 7:
    case 17:
    case 19:
    case 20:
    case 21:
    case 22:
    case 23:
        return true;
    default:
        return false;
    }
}

// program_config_element(), 4.4.1.1. Returns the number of output channels.
std::uint32_t readProgramConfig(BitReader& r) {
    r.skip(4, "element_instance_tag");
    r.skip(2, "object_type");
    r.skip(4, "sampling_frequency_index");
    const std::uint32_t front = r.bits(4, "num_front_channel_elements");
    const std::uint32_t side = r.bits(4, "num_side_channel_elements");
    const std::uint32_t back = r.bits(4, "num_back_channel_elements");
    const std::uint32_t lfe = r.bits(2, "num_lfe_channel_elements");
    const std::uint32_t assoc = r.bits(3, "num_assoc_data_elements");
    const std::uint32_t cc = r.bits(4, "num_valid_cc_elements");
    if (r.flag("mono_mixdown_present")) {
        r.skip(4, "mono_mixdown_element_number");
    }
    if (r.flag("stereo_mixdown_present")) {
        r.skip(4, "stereo_mixdown_element_number");
    }
    if (r.flag("matrix_mixdown_idx_present")) {
        r.skip(2, "matrix_mixdown_idx");
        r.skip(1, "pseudo_surround_enable");
    }
    std::uint32_t channels = lfe;
    for (std::uint32_t i = 0; i < front + side + back; ++i) {
        // A channel pair element carries two channels, a single channel element one.
        channels += r.flag("is_cpe") ? 2 : 1;
        r.skip(4, "element_tag_select");
    }
    r.skip(4 * std::size_t{lfe}, "lfe_element_tag_select");
    r.skip(4 * std::size_t{assoc}, "assoc_data_element_tag_select");
    r.skip(5 * std::size_t{cc}, "cc_element");
    r.byteAlign();
    const std::uint32_t commentBytes = r.bits(8, "comment_field_bytes");
    r.skip(8 * std::size_t{commentBytes}, "comment_field_data");
    return channels;
}

// GASpecificConfig(), 4.4.1. Returns the channel count from a PCE, or 0 when there is none.
std::uint32_t readGaSpecificConfig(BitReader& r, std::uint32_t aot,
                                   std::uint32_t channelConfiguration) {
    r.skip(1, "frameLengthFlag");
    if (r.flag("dependsOnCoreCoder")) {
        r.skip(14, "coreCoderDelay");
    }
    const bool extensionFlag = r.flag("extensionFlag");
    std::uint32_t pceChannels = 0;
    if (channelConfiguration == 0) {
        pceChannels = readProgramConfig(r);
    }
    if (aot == 6 || aot == 20) {
        r.skip(3, "layerNr");
    }
    if (extensionFlag) {
        if (aot == kAotErBsac) {
            r.skip(5, "numOfSubFrame");
            r.skip(11, "layer_length");
        }
        if (aot == 17 || aot == 19 || aot == 20 || aot == 23) {
            r.skip(3, "aacResilienceFlags");
        }
        r.skip(1, "extensionFlag3");
    }
    return pceChannels;
}

} // namespace

base::Result<AudioConfig> parseAacConfig(std::span<const std::uint8_t> asc) {
    BitReader r(asc);
    std::uint32_t aot = readObjectType(r);
    const std::uint32_t sampleRate =
        readSamplingFrequency(r, "samplingFrequencyIndex", "samplingFrequency");
    const std::uint32_t channelConfiguration = r.bits(4, "channelConfiguration");
    if (!r.ok()) {
        return truncated(r);
    }
    if (aot == 0) {
        return base::fail("aac config: audioObjectType 0 invalid, allowed 1..95");
    }
    if (sampleRate == 0) {
        return base::fail("aac config: samplingFrequencyIndex reserved (13/14) or explicit "
                          "rate 0, allowed 0..12 or 15 with a non-zero rate");
    }
    // Table 1.19; 8..10 are reserved.
    static constexpr std::array<std::uint32_t, 16> kChannels = {0, 1, 2, 3, 4, 5,  6, 8,
                                                                0, 0, 0, 7, 8, 24, 8, 0};
    if (channelConfiguration >= 8 && channelConfiguration <= 10) {
        return base::fail("aac config: channelConfiguration " +
                          std::to_string(channelConfiguration) +
                          " reserved, allowed 0..7 or 11..14");
    }
    if (channelConfiguration == 15) {
        return base::fail("aac config: channelConfiguration 15 reserved, allowed 0..7 or 11..14");
    }

    bool sbr = false;
    bool ps = false;
    std::uint32_t extensionRate = 0;
    if (aot == kAotSbr || aot == kAotPs) {
        // Explicit hierarchical signalling: the core codec follows the extension rate.
        sbr = true;
        ps = aot == kAotPs;
        extensionRate = readSamplingFrequency(r, "extensionSamplingFrequencyIndex",
                                              "extensionSamplingFrequency");
        aot = readObjectType(r);
        if (aot == kAotErBsac) {
            r.skip(4, "extensionChannelConfiguration");
        }
        if (!r.ok()) {
            return truncated(r);
        }
        if (extensionRate == 0) {
            return base::fail("aac config: extensionSamplingFrequencyIndex reserved (13/14), "
                              "allowed 0..12 or 15");
        }
    }

    std::uint32_t channels = kChannels[channelConfiguration];
    if (usesGaSpecificConfig(aot)) {
        const std::uint32_t pceChannels = readGaSpecificConfig(r, aot, channelConfiguration);
        if (!r.ok()) {
            return truncated(r);
        }
        if (channelConfiguration == 0) {
            channels = pceChannels;
        }
        // Backward-compatible signalling (1.6.6.2.3): an optional trailer after the core
        // config. Decoders that ignore it play the core stream, so a trailer cut short is
        // ignored as a whole rather than treated as an error. It is read with a copy of the
        // reader so such a cut does not poison the main one.
        BitReader trailer = r;
        if (!sbr && trailer.bitsLeft() >= 16 &&
            trailer.bits(11, "syncExtensionType") == kSyncExtensionSbr) {
            bool trailerSbr = false;
            bool trailerPs = false;
            std::uint32_t trailerRate = 0;
            if (readObjectType(trailer) == kAotSbr && trailer.flag("sbrPresentFlag")) {
                trailerSbr = true;
                trailerRate = readSamplingFrequency(trailer, "extensionSamplingFrequencyIndex",
                                                    "extensionSamplingFrequency");
                if (trailer.bitsLeft() >= 12 &&
                    trailer.bits(11, "syncExtensionType") == kSyncExtensionPs) {
                    trailerPs = trailer.flag("psPresentFlag");
                }
            }
            if (trailer.ok() && trailerSbr) {
                if (trailerRate == 0) {
                    return base::fail("aac config: extensionSamplingFrequencyIndex reserved "
                                      "(13/14), allowed 0..12 or 15");
                }
                sbr = true;
                ps = trailerPs;
                extensionRate = trailerRate;
            }
        }
    }

    AudioConfig config;
    config.codec = "aac";
    config.profile = ps ? "HE-AACv2" : sbr ? "HE-AAC" : profileName(aot);
    config.sampleRate = sbr ? extensionRate : sampleRate;
    // Parametric stereo turns a mono core into stereo output.
    config.channels = ps ? 2 : channels;
    return config;
}

} // namespace stagecast::protocol::codec
