#include "director/FlvPayload.h"

namespace stagecast::director {

namespace {

constexpr std::uint8_t kNalSps = 7;
constexpr std::uint8_t kNalPps = 8;

void put16(std::vector<std::uint8_t>& out, std::size_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

void put24(std::vector<std::uint8_t>& out, std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    out.push_back(static_cast<std::uint8_t>(u >> 16));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
    out.push_back(static_cast<std::uint8_t>(u));
}

} // namespace

std::vector<std::span<const std::uint8_t>> splitAnnexB(std::span<const std::uint8_t> s) {
    std::vector<std::span<const std::uint8_t>> units;
    const std::size_t n = s.size();
    std::size_t i = 0;
    std::size_t start = n; // start of the current unit, n while none
    while (i + 2 < n) {
        if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
            if (start < n) {
                std::size_t end = i;
                // A 4-byte start code's leading zero belongs to it, not to the unit before.
                while (end > start && s[end - 1] == 0) {
                    --end;
                }
                if (end > start) {
                    units.push_back(s.subspan(start, end - start));
                }
            }
            i += 3;
            start = i;
            continue;
        }
        ++i;
    }
    if (start < n) {
        units.push_back(s.subspan(start));
    }
    return units;
}

std::vector<std::uint8_t> toLengthPrefixed(std::span<const std::uint8_t> stream) {
    std::vector<std::uint8_t> out;
    out.reserve(stream.size() + 16);
    for (auto unit : splitAnnexB(stream)) {
        const auto size = static_cast<std::uint32_t>(unit.size());
        out.push_back(static_cast<std::uint8_t>(size >> 24));
        out.push_back(static_cast<std::uint8_t>(size >> 16));
        out.push_back(static_cast<std::uint8_t>(size >> 8));
        out.push_back(static_cast<std::uint8_t>(size));
        out.insert(out.end(), unit.begin(), unit.end());
    }
    return out;
}

base::Result<std::vector<std::uint8_t>> avcConfigRecord(std::span<const std::uint8_t> headers) {
    std::span<const std::uint8_t> sps;
    std::span<const std::uint8_t> pps;
    for (auto unit : splitAnnexB(headers)) {
        const auto type = static_cast<std::uint8_t>(unit[0] & 0x1f);
        if (type == kNalSps && sps.empty()) {
            sps = unit;
        } else if (type == kNalPps && pps.empty()) {
            pps = unit;
        }
    }
    if (sps.size() < 4) {
        return base::fail("no SPS in the encoder's header");
    }
    if (pps.empty()) {
        return base::fail("no PPS in the encoder's header");
    }
    if (sps.size() > 0xffff || pps.size() > 0xffff) {
        return base::fail("SPS or PPS larger than 65535 bytes");
    }
    std::vector<std::uint8_t> r;
    r.push_back(1);      // configurationVersion
    r.push_back(sps[1]); // AVCProfileIndication
    r.push_back(sps[2]); // profile_compatibility
    r.push_back(sps[3]); // AVCLevelIndication
    r.push_back(0xff);   // reserved + lengthSizeMinusOne = 3
    r.push_back(0xe1);   // reserved + numOfSequenceParameterSets = 1
    put16(r, sps.size());
    r.insert(r.end(), sps.begin(), sps.end());
    r.push_back(1); // numOfPictureParameterSets
    put16(r, pps.size());
    r.insert(r.end(), pps.begin(), pps.end());
    return r;
}

std::vector<std::uint8_t> avcSequenceHeader(std::span<const std::uint8_t> record) {
    std::vector<std::uint8_t> out{0x17, 0x00, 0x00, 0x00, 0x00};
    out.insert(out.end(), record.begin(), record.end());
    return out;
}

std::vector<std::uint8_t> avcFrame(bool keyframe, std::int32_t compositionMs,
                                   std::span<const std::uint8_t> lengthPrefixed) {
    std::vector<std::uint8_t> out;
    out.reserve(lengthPrefixed.size() + 5);
    out.push_back(keyframe ? 0x17 : 0x27);
    out.push_back(0x01);
    put24(out, compositionMs);
    out.insert(out.end(), lengthPrefixed.begin(), lengthPrefixed.end());
    return out;
}

std::vector<std::uint8_t> aacSequenceHeader(std::span<const std::uint8_t> asc) {
    std::vector<std::uint8_t> out{0xaf, 0x00};
    out.insert(out.end(), asc.begin(), asc.end());
    return out;
}

std::vector<std::uint8_t> aacFrame(std::span<const std::uint8_t> raw) {
    std::vector<std::uint8_t> out;
    out.reserve(raw.size() + 2);
    out.push_back(0xaf);
    out.push_back(0x01);
    out.insert(out.end(), raw.begin(), raw.end());
    return out;
}

} // namespace stagecast::director
