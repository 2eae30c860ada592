#include "DemuxVideo.h"

#include <algorithm>

#include "DemuxAnnexB.h"
#include "DemuxConfigRecord.h"

namespace stagecast::protocol::mpegts::demux {
namespace {

// H.264 nal_unit_type values (ITU-T H.264 table 7-1).
constexpr std::uint8_t kAvcIdr = 5;
constexpr std::uint8_t kAvcSps = 7;
constexpr std::uint8_t kAvcPps = 8;
constexpr std::uint8_t kAvcAud = 9;
// H.265 nal_unit_type values (ITU-T H.265 table 7-1).
constexpr std::uint8_t kHevcIrapFirst = 16; // BLA_W_LP
constexpr std::uint8_t kHevcIrapLast = 23;  // RSV_IRAP_VCL23
constexpr std::uint8_t kHevcVps = 32;
constexpr std::uint8_t kHevcSps = 33;
constexpr std::uint8_t kHevcPps = 34;
constexpr std::uint8_t kHevcAud = 35;

// FLV video tag header bytes (FLV 10.1 E.4.3.1; Enhanced RTMP v1 ExVideoTagHeader).
constexpr std::uint8_t kAvcKeyFrame = 0x17; // FrameType 1, CodecID 7
constexpr std::uint8_t kAvcInterFrame = 0x27;
constexpr std::uint8_t kAvcSequenceHeader = 0;
constexpr std::uint8_t kAvcNalu = 1;
constexpr std::uint8_t kExHeader = 0x80;
constexpr std::uint8_t kExKeyFrame = 1 << 4;
constexpr std::uint8_t kExInterFrame = 2 << 4;
constexpr std::uint8_t kExSequenceStart = 0;
constexpr std::uint8_t kExCodedFrames = 1;
constexpr std::uint8_t kHvc1[4] = {'h', 'v', 'c', '1'};

void appendSi24(std::vector<std::uint8_t>& out, std::int32_t value) {
    const auto v = static_cast<std::uint32_t>(std::clamp(value, -0x800000, 0x7FFFFF));
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

} // namespace

bool DemuxVideoTrack::store(std::uint8_t type, std::span<const std::uint8_t> nal) {
    base::Result<std::uint32_t> id = base::fail("unreachable");
    if (type == kAvcSps && codec_ == VideoCodecKind::H264) {
        auto sps = parseAvcSpsFields(nal);
        id = sps ? base::Result<std::uint32_t>(sps->spsId) : base::fail(sps.error());
    } else if (type == kHevcSps && codec_ == VideoCodecKind::Hevc) {
        auto sps = parseHevcSpsFields(nal);
        id = sps ? base::Result<std::uint32_t>(sps->spsId) : base::fail(sps.error());
    } else if (codec_ == VideoCodecKind::H264) {
        id = parseAvcPpsId(nal);
    } else {
        id = parseHevcParameterSetId(nal);
    }
    if (!id) {
        return false; // a parameter set nobody can parse cannot describe the stream
    }
    auto it = std::find_if(sets_.begin(), sets_.end(),
                           [&](const ParameterSet& s) { return s.type == type && s.id == *id; });
    if (it == sets_.end()) {
        sets_.push_back({type, *id, {nal.begin(), nal.end()}});
        return true;
    }
    if (std::equal(it->nal.begin(), it->nal.end(), nal.begin(), nal.end())) {
        return false;
    }
    it->nal.assign(nal.begin(), nal.end());
    return true;
}

bool DemuxVideoTrack::emitConfig(std::int64_t dtsMs, std::vector<DemuxedPacket>& out) {
    NalList vps;
    NalList sps;
    NalList pps;
    const bool hevc = codec_ == VideoCodecKind::Hevc;
    for (const auto& s : sets_) {
        if (s.type == (hevc ? kHevcVps : 0xFF)) {
            vps.emplace_back(s.nal);
        } else if (s.type == (hevc ? kHevcSps : kAvcSps)) {
            sps.emplace_back(s.nal);
        } else if (s.type == (hevc ? kHevcPps : kAvcPps)) {
            pps.emplace_back(s.nal);
        }
    }
    if (sps.empty() || pps.empty() || (hevc && vps.empty())) {
        return false; // wait for the rest of the set
    }
    auto record = hevc ? buildHevcRecord(vps, sps, pps) : buildAvcRecord(sps, pps);
    if (!record) {
        return false;
    }
    DemuxedPacket p;
    p.kind = DemuxedPacket::Kind::Video;
    p.dtsMs = dtsMs;
    p.config = true;
    if (hevc) {
        p.flvBody = {kExHeader | kExKeyFrame | kExSequenceStart, kHvc1[0], kHvc1[1], kHvc1[2],
                     kHvc1[3]};
    } else {
        p.flvBody = {kAvcKeyFrame, kAvcSequenceHeader, 0, 0, 0};
    }
    p.flvBody.insert(p.flvBody.end(), record->begin(), record->end());
    out.push_back(std::move(p));
    return true;
}

void DemuxVideoTrack::accessUnit(std::span<const std::uint8_t> annexB, std::int64_t dtsMs,
                                 std::int32_t ctsMs, std::vector<DemuxedPacket>& out) {
    const bool hevc = codec_ == VideoCodecKind::Hevc;
    const auto nals = splitAnnexB(annexB);
    DemuxedPacket frame;
    frame.kind = DemuxedPacket::Kind::Video;
    frame.dtsMs = dtsMs;
    frame.ctsMs = ctsMs;
    // Header first, the frame type byte is patched once the NAL types are known.
    if (hevc) {
        frame.flvBody = {0, kHvc1[0], kHvc1[1], kHvc1[2], kHvc1[3]};
    } else {
        frame.flvBody = {0, kAvcNalu};
    }
    appendSi24(frame.flvBody, ctsMs);
    const std::size_t headerSize = frame.flvBody.size();
    for (const auto nal : nals) {
        if (hevc && nal.size() < 2) {
            continue; // shorter than the NAL unit header
        }
        const auto type = static_cast<std::uint8_t>(hevc ? (nal[0] >> 1) & 0x3F : nal[0] & 0x1F);
        if (hevc ? (type == kHevcVps || type == kHevcSps || type == kHevcPps)
                 : (type == kAvcSps || type == kAvcPps)) {
            dirty_ = store(type, nal) || dirty_;
            continue;
        }
        if (type == (hevc ? kHevcAud : kAvcAud)) {
            continue;
        }
        if (hevc ? (type >= kHevcIrapFirst && type <= kHevcIrapLast) : type == kAvcIdr) {
            frame.keyframe = true;
        }
        appendLengthPrefixed(frame.flvBody, nal);
    }
    if (dirty_ && emitConfig(dtsMs, out)) {
        dirty_ = false;
        configSent_ = true;
    }
    if (frame.flvBody.size() == headerSize) {
        return; // parameter sets or delimiters only
    }
    if (!configSent_) {
        ++droppedFrames_;
        return;
    }
    if (hevc) {
        frame.flvBody[0] =
            kExHeader | (frame.keyframe ? kExKeyFrame : kExInterFrame) | kExCodedFrames;
    } else {
        frame.flvBody[0] = frame.keyframe ? kAvcKeyFrame : kAvcInterFrame;
    }
    out.push_back(std::move(frame));
}

} // namespace stagecast::protocol::mpegts::demux
