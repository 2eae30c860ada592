#pragma once
/// Shared by the TsDemuxer tests: byte conversions, a small TS writer for synthetic streams
/// (so corruption can be placed exactly), and the demuxer run over a whole buffer.

#include <QByteArray>

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "protocol/mpegts/Crc32.h"
#include "protocol/mpegts/TsDemuxer.h"

namespace stagecast::test {

using Bytes = std::vector<std::uint8_t>;

inline std::span<const std::uint8_t> view(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()),
            static_cast<std::size_t>(b.size())};
}

inline QByteArray qb(std::span<const std::uint8_t> bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<qsizetype>(bytes.size()));
}

inline Bytes bytesOf(const QByteArray& b) {
    const auto v = view(b);
    return {v.begin(), v.end()};
}

/// Appends CRC_32 (big-endian) to a section that lacks it.
inline Bytes withCrc(Bytes section) {
    const std::uint32_t crc = protocol::mpegts::crc32Mpeg2(section);
    for (int shift = 24; shift >= 0; shift -= 8) {
        section.push_back(static_cast<std::uint8_t>(crc >> shift));
    }
    return section;
}

/// One 188-byte TS packet carrying `payload` (at most 184 bytes); an adaptation field of
/// stuffing fills the rest, as muxers do for the last packet of a PES.
inline Bytes tsPacket(std::uint16_t pid, bool unitStart, std::uint8_t cc,
                      std::span<const std::uint8_t> payload, bool discontinuity = false) {
    Bytes p = {0x47, static_cast<std::uint8_t>((unitStart ? 0x40 : 0) | (pid >> 8)),
               static_cast<std::uint8_t>(pid & 0xFF), 0};
    const std::size_t room = 184;
    const bool needAf = payload.size() < room || discontinuity;
    p[3] = static_cast<std::uint8_t>((needAf ? 0x30 : 0x10) | (cc & 0x0F));
    if (needAf) {
        const std::size_t afLength = room - payload.size() - 1; // bytes after the length byte
        p.push_back(static_cast<std::uint8_t>(afLength));
        if (afLength > 0) {
            p.push_back(discontinuity ? 0x80 : 0x00); // flags
            p.insert(p.end(), afLength - 1, 0xFF);    // stuffing
        }
    }
    p.insert(p.end(), payload.begin(), payload.end());
    return p;
}

/// A PSI section in one packet: pointer_field 0, the section, 0xFF stuffing.
inline Bytes psiPacket(std::uint16_t pid, std::uint8_t cc, const Bytes& section) {
    Bytes payload = {0x00};
    payload.insert(payload.end(), section.begin(), section.end());
    payload.resize(184, 0xFF);
    return tsPacket(pid, true, cc, payload);
}

inline Bytes patSection(std::uint16_t programNumber, std::uint16_t pmtPid,
                        std::uint8_t version = 0) {
    return withCrc(
        {0x00, 0xB0, 0x0D, 0x00, 0x01, static_cast<std::uint8_t>(0xC1 | (version << 1)), 0x00, 0x00,
         static_cast<std::uint8_t>(programNumber >> 8), static_cast<std::uint8_t>(programNumber),
         static_cast<std::uint8_t>(0xE0 | (pmtPid >> 8)), static_cast<std::uint8_t>(pmtPid)});
}

inline Bytes pmtSection(std::uint16_t programNumber,
                        const std::vector<std::pair<std::uint8_t, std::uint16_t>>& streams,
                        std::uint8_t version = 0) {
    const std::size_t length = 9 + 5 * streams.size() + 4;
    Bytes s = {0x02,
               static_cast<std::uint8_t>(0xB0 | (length >> 8)),
               static_cast<std::uint8_t>(length),
               static_cast<std::uint8_t>(programNumber >> 8),
               static_cast<std::uint8_t>(programNumber),
               static_cast<std::uint8_t>(0xC1 | (version << 1)),
               0x00,
               0x00,
               0xE1,
               0x00, // PCR_PID 0x100
               0xF0,
               0x00}; // program_info_length 0
    for (const auto& [type, pid] : streams) {
        s.insert(s.end(), {type, static_cast<std::uint8_t>(0xE0 | (pid >> 8)),
                           static_cast<std::uint8_t>(pid), 0xF0, 0x00});
    }
    return withCrc(std::move(s));
}

/// 5-byte PTS/DTS field, 13818-1 2.4.3.7, with `prefix` '0010', '0011' or '0001'.
inline void appendTimestamp(Bytes& out, std::uint8_t prefix, std::uint64_t ts) {
    out.push_back(static_cast<std::uint8_t>((prefix << 4) | ((ts >> 29) & 0x0E) | 1));
    out.push_back(static_cast<std::uint8_t>(ts >> 22));
    out.push_back(static_cast<std::uint8_t>(((ts >> 14) & 0xFE) | 1));
    out.push_back(static_cast<std::uint8_t>(ts >> 7));
    out.push_back(static_cast<std::uint8_t>(((ts << 1) & 0xFE) | 1));
}

/// A PES packet; `bounded` writes PES_packet_length, else 0 (video).
inline Bytes pesPacket(std::uint8_t streamId, std::span<const std::uint8_t> data,
                       std::optional<std::uint64_t> pts, std::optional<std::uint64_t> dts,
                       bool bounded) {
    Bytes p = {0x00, 0x00, 0x01, streamId, 0, 0, 0x80, 0x00, 0x00};
    if (pts && dts) {
        p[7] = 0xC0;
        p[8] = 10;
        appendTimestamp(p, 3, *pts);
        appendTimestamp(p, 1, *dts);
    } else if (pts) {
        p[7] = 0x80;
        p[8] = 5;
        appendTimestamp(p, 2, *pts);
    }
    p.insert(p.end(), data.begin(), data.end());
    if (bounded) {
        const std::size_t length = p.size() - 6;
        p[4] = static_cast<std::uint8_t>(length >> 8);
        p[5] = static_cast<std::uint8_t>(length);
    }
    return p;
}

/// Cuts `pes` into TS packets on `pid`, advancing `cc`.
inline Bytes packetize(std::uint16_t pid, std::uint8_t& cc, std::span<const std::uint8_t> pes) {
    Bytes out;
    std::size_t pos = 0;
    bool first = true;
    while (pos < pes.size() || first) {
        const std::size_t n = std::min<std::size_t>(184, pes.size() - pos);
        const auto packet = tsPacket(pid, first, cc, pes.subspan(pos, n));
        out.insert(out.end(), packet.begin(), packet.end());
        cc = static_cast<std::uint8_t>((cc + 1) & 0x0F);
        pos += n;
        first = false;
    }
    return out;
}

struct DemuxRun {
    std::vector<protocol::mpegts::DemuxedPacket> packets;
    protocol::mpegts::TsDemuxer::Stats stats;
    bool ok = true;
};

/// Feeds `data` in pieces of `chunk` bytes (0 = all at once), then flushes.
inline DemuxRun demuxAll(std::span<const std::uint8_t> data, std::size_t chunk = 0,
                         protocol::mpegts::TsDemuxerLimits limits = {}) {
    protocol::mpegts::TsDemuxer demuxer(limits);
    DemuxRun run;
    const std::size_t step = chunk == 0 ? std::max<std::size_t>(data.size(), 1) : chunk;
    for (std::size_t pos = 0; pos < data.size(); pos += step) {
        run.ok = demuxer.feed(data.subspan(pos, std::min(step, data.size() - pos)), run.packets)
                     .has_value() &&
                 run.ok;
    }
    demuxer.flush(run.packets);
    run.stats = demuxer.stats();
    return run;
}

} // namespace stagecast::test
