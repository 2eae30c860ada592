#pragma once
/// A deliberately small transport stream reader for the muxer tests, written from ISO/IEC
/// 13818-1 2.4.3 independently of the muxer: splits 188-byte packets, checks continuity
/// counters per PID, and reassembles PES packets with their PTS/DTS and the adaptation-field
/// flags of their first packet.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stagecast::test {

struct TsPacketInfo {
    std::uint16_t pid = 0;
    bool unitStart = false;
    std::uint8_t afc = 0; // adaptation_field_control
    std::uint8_t cc = 0;
    bool randomAccess = false;
    std::optional<std::uint64_t> pcrBase;
    std::size_t payloadSize = 0;
};

struct PesInfo {
    std::uint16_t pid = 0;
    std::uint8_t streamId = 0;
    std::uint16_t lengthField = 0;
    std::optional<std::uint64_t> pts;
    std::optional<std::uint64_t> dts;
    bool randomAccess = false;
    std::optional<std::uint64_t> pcrBase;
    std::vector<std::uint8_t> payload; // elementary stream bytes after the PES header
};

struct TsInspection {
    std::vector<TsPacketInfo> packets;
    std::vector<PesInfo> pes; // per PID in stream order (PIDs interleaved by completion)
    std::string error;        // first structural problem, empty when none
};

inline std::uint64_t readPesTimestamp(const std::uint8_t* p) {
    return (std::uint64_t{static_cast<std::uint8_t>((p[0] >> 1) & 0x07)} << 30) |
           (std::uint64_t{p[1]} << 22) |
           (std::uint64_t{static_cast<std::uint8_t>(p[2] >> 1)} << 15) |
           (std::uint64_t{p[3]} << 7) | std::uint64_t{static_cast<std::uint8_t>(p[4] >> 1)};
}

inline void finishPes(PesInfo& pes, const std::vector<std::uint8_t>& raw, TsInspection& out) {
    if (raw.size() < 9 || raw[0] != 0 || raw[1] != 0 || raw[2] != 1) {
        out.error = "PES without start code on PID " + std::to_string(pes.pid);
        return;
    }
    pes.streamId = raw[3];
    pes.lengthField = static_cast<std::uint16_t>((raw[4] << 8) | raw[5]);
    const std::uint8_t flags = raw[7];
    const std::size_t headerEnd = 9 + std::size_t{raw[8]};
    if (raw.size() < headerEnd) {
        out.error = "PES header truncated";
        return;
    }
    if ((flags & 0x80) != 0) {
        pes.pts = readPesTimestamp(&raw[9]);
    }
    if ((flags & 0x40) != 0) {
        pes.dts = readPesTimestamp(&raw[14]);
    }
    if (pes.lengthField != 0 && pes.lengthField != raw.size() - 6) {
        out.error = "PES_packet_length " + std::to_string(pes.lengthField) + " but " +
                    std::to_string(raw.size() - 6) + " bytes follow";
    }
    pes.payload.assign(raw.begin() + static_cast<std::ptrdiff_t>(headerEnd), raw.end());
    out.pes.push_back(std::move(pes));
}

/// PIDs 0 and `psiPids` are sections, not PES.
inline TsInspection inspectTs(std::span<const std::uint8_t> ts,
                              std::vector<std::uint16_t> psiPids = {0x0000, 0x1000}) {
    TsInspection out;
    if (ts.size() % 188 != 0) {
        out.error = "size " + std::to_string(ts.size()) + " not a multiple of 188";
        return out;
    }
    std::map<std::uint16_t, int> lastCc;
    std::map<std::uint16_t, std::pair<PesInfo, std::vector<std::uint8_t>>> open;
    for (std::size_t off = 0; off < ts.size() && out.error.empty(); off += 188) {
        const std::uint8_t* p = ts.data() + off;
        if (p[0] != 0x47) {
            out.error = "no sync byte at " + std::to_string(off);
            break;
        }
        TsPacketInfo pkt;
        pkt.pid = static_cast<std::uint16_t>(((p[1] & 0x1F) << 8) | p[2]);
        pkt.unitStart = (p[1] & 0x40) != 0;
        pkt.afc = static_cast<std::uint8_t>((p[3] >> 4) & 0x03);
        pkt.cc = static_cast<std::uint8_t>(p[3] & 0x0F);
        std::size_t pos = 4;
        if (pkt.afc & 0x02) {
            const std::size_t afLength = p[4];
            if (afLength > 183) {
                out.error = "adaptation_field_length " + std::to_string(afLength);
                break;
            }
            if (afLength > 0) {
                pkt.randomAccess = (p[5] & 0x40) != 0;
                if (p[5] & 0x10) {
                    const std::uint8_t* c = p + 6;
                    pkt.pcrBase = (std::uint64_t{c[0]} << 25) | (std::uint64_t{c[1]} << 17) |
                                  (std::uint64_t{c[2]} << 9) | (std::uint64_t{c[3]} << 1) |
                                  (c[4] >> 7);
                }
            }
            pos = 5 + afLength;
        }
        const bool hasPayload = (pkt.afc & 0x01) != 0;
        pkt.payloadSize = hasPayload ? 188 - pos : 0;
        // 2.4.3.3: the counter advances only with payload.
        const auto last = lastCc.find(pkt.pid);
        if (last != lastCc.end()) {
            const int expected = hasPayload ? (last->second + 1) & 0x0F : last->second;
            if (pkt.cc != expected) {
                out.error = "continuity counter " + std::to_string(pkt.cc) + " on PID " +
                            std::to_string(pkt.pid) + ", expected " + std::to_string(expected);
            }
        }
        lastCc[pkt.pid] = pkt.cc;
        out.packets.push_back(pkt);
        bool psi = false;
        for (const auto id : psiPids) {
            psi = psi || id == pkt.pid;
        }
        if (psi || !hasPayload) {
            continue;
        }
        if (pkt.unitStart) {
            if (auto it = open.find(pkt.pid); it != open.end()) {
                finishPes(it->second.first, it->second.second, out);
                open.erase(it);
            }
            PesInfo pes;
            pes.pid = pkt.pid;
            pes.randomAccess = pkt.randomAccess;
            pes.pcrBase = pkt.pcrBase;
            open[pkt.pid].first = pes;
        } else if (open.find(pkt.pid) == open.end()) {
            out.error = "payload before a unit start on PID " + std::to_string(pkt.pid);
            break;
        }
        auto& raw = open[pkt.pid].second;
        raw.insert(raw.end(), p + pos, p + 188);
    }
    for (auto& [pid, entry] : open) {
        finishPes(entry.first, entry.second, out);
    }
    return out;
}

} // namespace stagecast::test
