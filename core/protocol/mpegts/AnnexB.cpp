#include "AnnexB.h"

#include <array>
#include <string>

#include "base/ByteReader.h"

namespace stagecast::protocol::mpegts {
namespace {

base::Error truncated(const char* record, const char* field, std::size_t offset) {
    return base::Error(std::string("ts: ") + record + " truncated at " + field + " (byte " +
                       std::to_string(offset) + ")");
}

// One parameter set: u16 length + NAL unit, as in both record types.
base::Status readNalUnit(base::ByteReader& r, const char* record,
                         std::vector<std::uint8_t>& nalOut) {
    const std::size_t at = r.position();
    const auto length = r.u16be();
    if (!length) {
        return base::fail(truncated(record, "parameter set length", at));
    }
    const auto bytes = r.bytes(*length);
    if (!bytes) {
        return base::fail(std::string("ts: ") + record + " parameter set of " +
                          std::to_string(*length) + " bytes at byte " + std::to_string(at) +
                          " runs past the end (" + std::to_string(r.remaining()) + " bytes left)");
    }
    if (bytes->empty()) {
        return base::fail(std::string("ts: ") + record + " has an empty parameter set at byte " +
                          std::to_string(at));
    }
    nalOut.assign(bytes->begin(), bytes->end());
    return {};
}

} // namespace

base::Result<ParameterSets> parseAvcDecoderConfig(std::span<const std::uint8_t> record) {
    constexpr const char* kName = "AVC decoder configuration record";
    base::ByteReader r(record);
    const auto version = r.u8();
    if (!version) {
        return base::fail(truncated(kName, "configurationVersion", 0));
    }
    if (*version != 1) {
        return base::fail("ts: AVC configurationVersion " + std::to_string(*version) +
                          " unsupported, allowed 1");
    }
    if (!r.skip(3)) { // profile, compatibility, level
        return base::fail(truncated(kName, "AVCProfileIndication", r.position()));
    }
    const auto lengthByte = r.u8();
    if (!lengthByte) {
        return base::fail(truncated(kName, "lengthSizeMinusOne", r.position()));
    }
    ParameterSets sets;
    sets.codec = NalCodec::H264;
    // 14496-15 allows 1, 2 or 4 bytes; 3 is harmless to accept.
    sets.nalLengthSize = static_cast<std::uint8_t>((*lengthByte & 0x03) + 1);
    std::size_t spsCount = 0;
    std::size_t ppsCount = 0;
    for (int pass = 0; pass < 2; ++pass) {
        const auto countByte = r.u8();
        if (!countByte) {
            return base::fail(truncated(
                kName, pass == 0 ? "numOfSequenceParameterSets" : "numOfPictureParameterSets",
                r.position()));
        }
        const unsigned count = pass == 0 ? (*countByte & 0x1F) : *countByte;
        for (unsigned i = 0; i < count; ++i) {
            std::vector<std::uint8_t> unit;
            if (auto ok = readNalUnit(r, kName, unit); !ok) {
                return base::fail(ok.error());
            }
            const std::uint8_t type = nalUnitType(NalCodec::H264, unit);
            // Files in the wild mislabel nothing here, but a wrong type would make the
            // inserted sets useless, so say so instead of muxing garbage.
            const std::uint8_t want = pass == 0 ? nal::kH264Sps : nal::kH264Pps;
            if (type != want) {
                return base::fail("ts: AVC decoder configuration record has NAL type " +
                                  std::to_string(type) + " in its " + (pass == 0 ? "SPS" : "PPS") +
                                  " list, expected " + std::to_string(want));
            }
            sets.nalUnits.push_back(std::move(unit));
        }
        (pass == 0 ? spsCount : ppsCount) = count;
    }
    if (spsCount == 0 || ppsCount == 0) {
        return base::fail("ts: AVC decoder configuration record has " + std::to_string(spsCount) +
                          " SPS and " + std::to_string(ppsCount) +
                          " PPS, need at least one of each");
    }
    return sets;
}

base::Result<ParameterSets> parseHevcDecoderConfig(std::span<const std::uint8_t> record) {
    constexpr const char* kName = "HEVC decoder configuration record";
    constexpr std::size_t kFixedSize = 23; // up to and including numOfArrays
    if (record.size() < kFixedSize) {
        return base::fail("ts: HEVC decoder configuration record of " +
                          std::to_string(record.size()) + " bytes truncated, need at least " +
                          std::to_string(kFixedSize));
    }
    if (record[0] != 1) {
        return base::fail("ts: HEVC configurationVersion " + std::to_string(record[0]) +
                          " unsupported, allowed 1");
    }
    ParameterSets sets;
    sets.codec = NalCodec::Hevc;
    sets.nalLengthSize = static_cast<std::uint8_t>((record[21] & 0x03) + 1);
    const unsigned arrays = record[22];
    base::ByteReader r(record.subspan(kFixedSize));
    // Decoders need VPS, SPS, PPS in that order whatever order the arrays come in.
    std::array<std::vector<std::vector<std::uint8_t>>, 3> byKind;
    for (unsigned a = 0; a < arrays; ++a) {
        const std::size_t at = kFixedSize + r.position();
        const auto typeByte = r.u8();
        const auto count = r.u16be();
        if (!typeByte || !count) {
            return base::fail(truncated(kName, "NAL unit array header", at));
        }
        const auto arrayType = static_cast<std::uint8_t>(*typeByte & 0x3F);
        for (unsigned i = 0; i < *count; ++i) {
            std::vector<std::uint8_t> unit;
            if (auto ok = readNalUnit(r, kName, unit); !ok) {
                return base::fail(ok.error());
            }
            if (arrayType >= nal::kHevcVps && arrayType <= nal::kHevcPps) {
                byKind[arrayType - nal::kHevcVps].push_back(std::move(unit));
            }
        }
    }
    static constexpr std::array<const char*, 3> kNames = {"VPS", "SPS", "PPS"};
    for (std::size_t k = 0; k < byKind.size(); ++k) {
        if (byKind[k].empty()) {
            return base::fail(std::string("ts: HEVC decoder configuration record has no ") +
                              kNames[k] + ", need VPS, SPS and PPS");
        }
        for (auto& unit : byKind[k]) {
            if (unit.size() < 2) {
                return base::fail(std::string("ts: HEVC ") + kNames[k] + " of " +
                                  std::to_string(unit.size()) +
                                  " byte too short for its 2-byte NAL header");
            }
            sets.nalUnits.push_back(std::move(unit));
        }
    }
    return sets;
}

base::Status splitNalUnits(std::span<const std::uint8_t> data, std::uint8_t lengthSize,
                           std::vector<std::span<const std::uint8_t>>& out) {
    if (lengthSize < 1 || lengthSize > 4) {
        return base::fail("ts: NAL unit length size " + std::to_string(lengthSize) +
                          " invalid, allowed 1..4");
    }
    std::size_t pos = 0;
    while (pos < data.size()) {
        if (data.size() - pos < lengthSize) {
            return base::fail("ts: NAL unit length prefix truncated at byte " +
                              std::to_string(pos) + " of " + std::to_string(data.size()));
        }
        std::size_t length = 0;
        for (std::uint8_t i = 0; i < lengthSize; ++i) {
            length = (length << 8) | data[pos + i];
        }
        pos += lengthSize;
        if (length > data.size() - pos) {
            return base::fail("ts: NAL unit length " + std::to_string(length) + " at byte " +
                              std::to_string(pos - lengthSize) + " exceeds the " +
                              std::to_string(data.size() - pos) + " bytes left in the frame");
        }
        if (length > 0) {
            out.push_back(data.subspan(pos, length));
        }
        pos += length;
    }
    return {};
}

std::uint8_t nalUnitType(NalCodec codec, std::span<const std::uint8_t> nalUnit) {
    return codec == NalCodec::H264 ? static_cast<std::uint8_t>(nalUnit[0] & 0x1F)
                                   : static_cast<std::uint8_t>((nalUnit[0] >> 1) & 0x3F);
}

void appendAnnexB(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> nalUnit) {
    static constexpr std::array<std::uint8_t, 4> kStartCode = {0x00, 0x00, 0x00, 0x01};
    out.insert(out.end(), kStartCode.begin(), kStartCode.end());
    out.insert(out.end(), nalUnit.begin(), nalUnit.end());
}

} // namespace stagecast::protocol::mpegts
