#include "TsDemuxer.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

#include "DemuxAdts.h"
#include "DemuxClock.h"
#include "DemuxInterleaver.h"
#include "DemuxPes.h"
#include "DemuxPsi.h"
#include "DemuxVideo.h"

namespace stagecast::protocol::mpegts {

using namespace demux;

namespace {

// ISO/IEC 13818-1 2.4.3.2 (transport packet) and table 2-3 (PID values), 2-34 (stream_type).
constexpr std::size_t kPacketSize = 188;
constexpr std::uint8_t kSyncByte = 0x47;
constexpr std::uint16_t kPatPid = 0x0000;
constexpr std::uint16_t kNullPid = 0x1FFF;
constexpr std::uint8_t kStreamTypeAacAdts = 0x0F;
constexpr std::uint8_t kStreamTypeH264 = 0x1B;
constexpr std::uint8_t kStreamTypeHevc = 0x24;
/// Bytes that always decide the next step of the sync search: a packet and the sync byte of
/// the one after it, with room to move on.
constexpr std::size_t kSyncWindow = 2 * kPacketSize;

/// One demuxed elementary stream and its PES reassembly (2.4.3.6).
struct EsStream {
    std::uint16_t pid = 0;
    std::uint8_t streamType = 0;
    int lastCc = -1;
    bool assembling = false;
    bool lengthKnown = false;
    std::size_t expectedSize = 0; // 6 + PES_packet_length; 0 = unbounded
    std::vector<std::uint8_t> pes;
    std::optional<DemuxVideoTrack> video;
    std::optional<DemuxAudioTrack> audio;
    std::optional<std::int64_t> lastDtsTicks; // for PES packets without a PTS
    std::int64_t lastDurationTicks = 0;

    std::uint64_t droppedFrames() const {
        return video ? video->droppedFrames() : audio ? audio->droppedFrames() : 0;
    }
};

} // namespace

struct TsDemuxer::Impl {
    explicit Impl(TsDemuxerLimits l) : limits(l), interleaver(l.maxInterleaveMs) {}

    TsDemuxerLimits limits;
    Stats stats;
    std::optional<base::Error> error;

    // Sync search.
    std::vector<std::uint8_t> carry; // fewer than kSyncWindow bytes awaiting a decision
    bool synced = false;
    std::size_t resyncRun = 0; // bytes skipped since the last good packet

    // PSI.
    DemuxSectionAssembler patSections;
    int patCc = -1;
    std::optional<std::uint16_t> pmtPid;
    std::uint16_t programNumber = 0;
    DemuxSectionAssembler pmtSections;
    int pmtCc = -1;
    std::vector<std::uint8_t> appliedPmt; // last PMT section applied, to skip repeats

    // Elementary streams: the first video and the first audio of the program.
    std::optional<EsStream> videoEs;
    std::optional<EsStream> audioEs;
    std::uint64_t retiredDroppedFrames = 0;
    std::uint64_t droppedFramesHere = 0;

    DemuxClock clock;
    DemuxInterleaver interleaver;
    std::vector<DemuxedPacket> scratch;

    std::size_t scan(std::span<const std::uint8_t> v, bool final);
    void skip(std::size_t n);
    void handlePacket(std::span<const std::uint8_t> p);
    enum class Continuity : std::uint8_t { Ok, Duplicate, Gap };
    Continuity checkContinuity(int& lastCc, unsigned cc, bool hasPayload, bool discontinuity);
    void onPsi(DemuxSectionAssembler& assembler, std::span<const std::uint8_t> payload,
               bool unitStart, bool isPat);
    void applyPat(const Pat& pat);
    void applyPmt(const Pmt& pmt, std::span<const std::uint8_t> section);
    void setStream(std::optional<EsStream>& slot, const PmtStream* entry, DemuxedPacket::Kind kind);
    void onEsPayload(EsStream& es, std::span<const std::uint8_t> payload, bool unitStart);
    void abandonPes(EsStream& es);
    void finishPes(EsStream& es);
    void deliverVideo(EsStream& es, std::span<const std::uint8_t> payload, std::int64_t dts,
                      std::int64_t pts);
    void release();

    std::vector<DemuxedPacket>* out = nullptr; // destination of the current feed/flush
};

TsDemuxer::TsDemuxer(TsDemuxerLimits limits) : impl_(std::make_unique<Impl>(limits)) {}
TsDemuxer::~TsDemuxer() = default;
TsDemuxer::TsDemuxer(TsDemuxer&&) noexcept = default;
TsDemuxer& TsDemuxer::operator=(TsDemuxer&&) noexcept = default;

TsDemuxer::Stats TsDemuxer::stats() const {
    Stats s = impl_->stats;
    s.droppedFrames = impl_->retiredDroppedFrames + impl_->droppedFramesHere +
                      (impl_->videoEs ? impl_->videoEs->droppedFrames() : 0) +
                      (impl_->audioEs ? impl_->audioEs->droppedFrames() : 0);
    return s;
}

base::Status TsDemuxer::feed(std::span<const std::uint8_t> data, std::vector<DemuxedPacket>& out) {
    Impl& d = *impl_;
    if (d.error) {
        return base::fail(*d.error);
    }
    d.out = &out;
    std::size_t used = 0;
    // Finish the bytes carried over first; they need at most kSyncWindow bytes to move on.
    while (!d.carry.empty() && used < data.size() && !d.error) {
        const std::size_t take = std::min(data.size() - used, kSyncWindow - d.carry.size());
        d.carry.insert(d.carry.end(), data.begin() + static_cast<std::ptrdiff_t>(used),
                       data.begin() + static_cast<std::ptrdiff_t>(used + take));
        used += take;
        const std::size_t consumed = d.scan(d.carry, false);
        d.carry.erase(d.carry.begin(), d.carry.begin() + static_cast<std::ptrdiff_t>(consumed));
    }
    if (d.carry.empty() && !d.error) {
        const auto rest = data.subspan(used);
        const std::size_t consumed = d.scan(rest, false);
        d.carry.assign(rest.begin() + static_cast<std::ptrdiff_t>(consumed), rest.end());
    }
    d.out = nullptr;
    if (d.error) {
        return base::fail(*d.error);
    }
    return {};
}

void TsDemuxer::flush(std::vector<DemuxedPacket>& out) {
    Impl& d = *impl_;
    d.out = &out;
    if (!d.error) {
        d.scan(d.carry, true);
    }
    d.carry.clear();
    for (auto* slot : {&d.videoEs, &d.audioEs}) {
        if (*slot && (*slot)->assembling) {
            d.finishPes(**slot);
        }
        if (*slot && (*slot)->audio) {
            (*slot)->audio->discardPartial();
        }
    }
    d.interleaver.drain(out);
    d.out = nullptr;
}

// Consumes whole steps of the sync search from `v` and returns how far it got. It stops where
// the next step needs more bytes, except at the end of the stream (`final`), where a sync byte
// with a whole packet behind it is taken without the next packet's sync byte to confirm it.
std::size_t TsDemuxer::Impl::scan(std::span<const std::uint8_t> v, bool final) {
    std::size_t pos = 0;
    while (pos < v.size() && !error) {
        const std::size_t left = v.size() - pos;
        if (synced) {
            if (left < kPacketSize) {
                break;
            }
            if (v[pos] != kSyncByte) {
                synced = false;
                continue;
            }
            handlePacket(v.subspan(pos, kPacketSize));
            pos += kPacketSize;
            resyncRun = 0;
            continue;
        }
        if (v[pos] != kSyncByte) {
            const void* hit = std::memchr(v.data() + pos, kSyncByte, left);
            const std::size_t next =
                hit ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - v.data())
                    : v.size();
            skip(next - pos);
            pos = next;
            continue;
        }
        // A candidate: trust it when the byte a packet later is a sync byte too.
        if (left <= kPacketSize) {
            if (final && left == kPacketSize) {
                synced = true;
                continue;
            }
            break;
        }
        if (v[pos + kPacketSize] == kSyncByte) {
            synced = true;
            continue;
        }
        skip(1);
        ++pos;
    }
    return pos;
}

void TsDemuxer::Impl::skip(std::size_t n) {
    stats.resyncBytes += n;
    resyncRun += n;
    if (resyncRun > limits.maxResyncBytes) {
        error = base::Error("mpegts: no packet sync (0x47 every 188 bytes) in " +
                            std::to_string(resyncRun) + " bytes, allowed up to " +
                            std::to_string(limits.maxResyncBytes) +
                            "; the input is not an MPEG transport stream");
    }
}

// Continuity counter check, 2.4.3.3: the counter advances by one per packet with payload; a
// packet may be sent twice in a row (same counter) and the discontinuity_indicator resets it.
TsDemuxer::Impl::Continuity TsDemuxer::Impl::checkContinuity(int& lastCc, unsigned cc,
                                                             bool hasPayload, bool discontinuity) {
    if (!hasPayload) {
        return Continuity::Ok;
    }
    const int previous = lastCc;
    lastCc = static_cast<int>(cc);
    if (previous < 0 || discontinuity) {
        return Continuity::Ok;
    }
    if (lastCc == previous) {
        return Continuity::Duplicate;
    }
    if (lastCc != ((previous + 1) & 0x0F)) {
        ++stats.ccErrors;
        return Continuity::Gap;
    }
    return Continuity::Ok;
}

void TsDemuxer::Impl::handlePacket(std::span<const std::uint8_t> p) {
    ++stats.packets;
    // transport_error_indicator: the link layer says the packet is damaged. Skipping it shows
    // up as a continuity gap on its PID, which drops what it belonged to.
    if ((p[1] & 0x80) != 0) {
        return;
    }
    const bool unitStart = (p[1] & 0x40) != 0;
    const auto pid = static_cast<std::uint16_t>(((p[1] & 0x1F) << 8) | p[2]);
    const unsigned scrambling = p[3] >> 6;
    const unsigned afc = (p[3] >> 4) & 0x03;
    const unsigned cc = p[3] & 0x0F;
    if (pid == kNullPid || afc == 0) {
        return; // null packet, or adaptation_field_control '00' (reserved)
    }
    std::size_t offset = 4;
    bool discontinuity = false;
    if ((afc & 0x02) != 0) {
        // adaptation_field_length, 2.4.3.5: 0..182 with payload, 183 without.
        const std::size_t afLength = p[4];
        if (afLength > (afc == 3 ? 182U : 183U)) {
            return;
        }
        discontinuity = afLength > 0 && (p[5] & 0x80) != 0;
        offset = 5 + afLength;
    }
    const bool hasPayload = (afc & 0x01) != 0;
    const auto payload = p.subspan(offset);

    int* lastCc = nullptr;
    EsStream* es = nullptr;
    DemuxSectionAssembler* psi = nullptr;
    if (pid == kPatPid) {
        lastCc = &patCc;
        psi = &patSections;
    } else if (pmtPid && pid == *pmtPid) {
        lastCc = &pmtCc;
        psi = &pmtSections;
    } else if (videoEs && pid == videoEs->pid) {
        es = &*videoEs;
        lastCc = &es->lastCc;
    } else if (audioEs && pid == audioEs->pid) {
        es = &*audioEs;
        lastCc = &es->lastCc;
    } else {
        return;
    }
    const auto continuity = checkContinuity(*lastCc, cc, hasPayload, discontinuity);
    if (continuity == Continuity::Duplicate) {
        return;
    }
    if (continuity == Continuity::Gap) {
        // The unit being assembled misses data; this packet may start the next one.
        if (es) {
            abandonPes(*es);
        } else {
            psi->reset();
        }
    }
    if (!hasPayload || scrambling != 0) {
        return; // scrambled payloads cannot be demuxed
    }
    if (es) {
        onEsPayload(*es, payload, unitStart);
    } else {
        onPsi(*psi, payload, unitStart, pid == kPatPid);
    }
}

void TsDemuxer::Impl::onPsi(DemuxSectionAssembler& assembler, std::span<const std::uint8_t> payload,
                            bool unitStart, bool isPat) {
    std::vector<std::vector<std::uint8_t>> sections;
    assembler.push(payload, unitStart, sections);
    for (const auto& section : sections) {
        if (!sectionCrcOk(section)) {
            ++stats.crcErrors;
            continue;
        }
        if (isPat) {
            if (section[0] != 0x00) {
                continue; // other tables on PID 0 are not for us
            }
            if (auto pat = parsePat(section, limits.maxPrograms); pat && pat->current) {
                applyPat(*pat);
            }
        } else if (section[0] == 0x02) {
            if (auto pmt = parsePmt(section, limits.maxStreams); pmt && pmt->current) {
                applyPmt(*pmt, section);
            }
        }
    }
}

void TsDemuxer::Impl::applyPat(const Pat& pat) {
    const auto program = std::find_if(pat.programs.begin(), pat.programs.end(),
                                      [](const PatProgram& e) { return e.programNumber != 0; });
    if (program == pat.programs.end()) {
        return;
    }
    if (pmtPid && *pmtPid == program->pid && programNumber == program->programNumber) {
        return;
    }
    pmtPid = program->pid;
    programNumber = program->programNumber;
    pmtSections.reset();
    pmtCc = -1;
    appliedPmt.clear();
}

void TsDemuxer::Impl::applyPmt(const Pmt& pmt, std::span<const std::uint8_t> section) {
    if (pmt.programNumber != programNumber ||
        std::equal(section.begin(), section.end(), appliedPmt.begin(), appliedPmt.end())) {
        return;
    }
    appliedPmt.assign(section.begin(), section.end());
    const PmtStream* video = nullptr;
    const PmtStream* audio = nullptr;
    for (const auto& s : pmt.streams) {
        const bool usablePid = s.pid != kPatPid && s.pid != kNullPid && s.pid != *pmtPid;
        if (usablePid && !video &&
            (s.streamType == kStreamTypeH264 || s.streamType == kStreamTypeHevc)) {
            video = &s;
        } else if (usablePid && !audio && s.streamType == kStreamTypeAacAdts) {
            audio = &s;
        } else {
            ++stats.ignoredStreams;
        }
    }
    if (video && audio && video->pid == audio->pid) {
        audio = nullptr;
        ++stats.ignoredStreams;
    }
    setStream(videoEs, video, DemuxedPacket::Kind::Video);
    setStream(audioEs, audio, DemuxedPacket::Kind::Audio);
}

void TsDemuxer::Impl::setStream(std::optional<EsStream>& slot, const PmtStream* entry,
                                DemuxedPacket::Kind kind) {
    if (slot && entry && slot->pid == entry->pid && slot->streamType == entry->streamType) {
        return; // unchanged: keep its state
    }
    if (slot) {
        // What it was assembling ends here (an unbounded access unit is complete).
        if (slot->assembling) {
            finishPes(*slot);
        }
        retiredDroppedFrames += slot->droppedFrames();
        slot.reset();
    }
    interleaver.setActive(kind, false);
    if (!entry) {
        return;
    }
    interleaver.setActive(kind, true);
    slot.emplace();
    slot->pid = entry->pid;
    slot->streamType = entry->streamType;
    if (kind == DemuxedPacket::Kind::Video) {
        slot->video.emplace(entry->streamType == kStreamTypeHevc ? VideoCodecKind::Hevc
                                                                 : VideoCodecKind::H264);
    } else {
        slot->audio.emplace();
    }
}

void TsDemuxer::Impl::abandonPes(EsStream& es) {
    if (es.assembling) {
        ++stats.droppedPes;
    }
    es.assembling = false;
    es.pes.clear();
    if (es.audio) {
        es.audio->discardPartial();
    }
}

void TsDemuxer::Impl::onEsPayload(EsStream& es, std::span<const std::uint8_t> payload,
                                  bool unitStart) {
    if (unitStart) {
        if (es.assembling) {
            finishPes(es);
        }
        es.pes.assign(payload.begin(), payload.end());
        es.assembling = true;
        es.lengthKnown = false;
    } else {
        if (!es.assembling) {
            return; // joined mid-PES or after a loss: wait for the next start
        }
        es.pes.insert(es.pes.end(), payload.begin(), payload.end());
    }
    if (!es.lengthKnown && es.pes.size() >= kPesFixedHeaderSize) {
        const auto start = parsePesStart(es.pes);
        if (!start) {
            abandonPes(es);
            return;
        }
        es.lengthKnown = true;
        es.expectedSize = start->packetLength == 0 ? 0 : kPesFixedHeaderSize + start->packetLength;
    }
    if (es.pes.size() > limits.maxPesBytes) {
        abandonPes(es);
        return;
    }
    if (es.lengthKnown && es.expectedSize != 0 && es.pes.size() >= es.expectedSize) {
        finishPes(es);
    }
}

void TsDemuxer::Impl::finishPes(EsStream& es) {
    es.assembling = false;
    const std::vector<std::uint8_t> buffer = std::move(es.pes);
    es.pes.clear();
    std::span<const std::uint8_t> data = buffer;
    if (es.lengthKnown && es.expectedSize != 0) {
        if (data.size() < es.expectedSize) {
            ++stats.droppedPes; // a bounded PES cut short
            return;
        }
        data = data.first(es.expectedSize); // the rest is not PES data
    }
    const auto header = parsePesHeader(data);
    if (!header) {
        ++stats.droppedPes;
        return;
    }
    const auto payload = data.subspan(header->payloadOffset);
    std::optional<std::int64_t> pts;
    std::optional<std::int64_t> dts;
    if (header->pts) {
        dts = clock.unwrap(header->dts ? *header->dts : *header->pts);
        pts = header->dts ? clock.unwrap(*header->pts) : *dts;
    }
    if (es.audio) {
        es.audio->pes(payload, pts, scratch);
    } else if (es.video) {
        if (!dts) {
            // No PTS (2.7.4 allows gaps up to 0.7 s): assume the previous frame duration.
            if (!es.lastDtsTicks || es.lastDurationTicks <= 0) {
                ++droppedFramesHere;
                return;
            }
            dts = *es.lastDtsTicks + es.lastDurationTicks;
            pts = dts;
        }
        deliverVideo(es, payload, *dts, *pts);
    }
    release();
}

void TsDemuxer::Impl::deliverVideo(EsStream& es, std::span<const std::uint8_t> payload,
                                   std::int64_t dts, std::int64_t pts) {
    if (es.lastDtsTicks && dts > *es.lastDtsTicks) {
        es.lastDurationTicks = dts - *es.lastDtsTicks;
    }
    es.lastDtsTicks = dts;
    const std::int64_t dtsMs = ticksToMs(dts);
    const auto ctsMs = static_cast<std::int32_t>(
        std::clamp<std::int64_t>(ticksToMs(pts) - dtsMs, -0x800000, 0x7FFFFF));
    es.video->accessUnit(payload, dtsMs, ctsMs, scratch);
}

void TsDemuxer::Impl::release() {
    for (auto& packet : scratch) {
        interleaver.push(std::move(packet));
    }
    scratch.clear();
    interleaver.release(*out);
}

} // namespace stagecast::protocol::mpegts
