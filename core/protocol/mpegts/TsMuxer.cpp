#include "TsMuxer.h"

#include <array>
#include <string>

#include "PesWriter.h"
#include "Psi.h"
#include "protocol/flv/Flv.h"

namespace stagecast::protocol::mpegts {
namespace {

constexpr std::int64_t kTicksPerMs = 90;
// 13818-1 2.7.2: PCRs at most 100 ms apart.
constexpr std::int64_t kMaxPcrInterval = 100 * kTicksPerMs;
// A PCR further back than this is a timeline restart, not jitter between the tracks.
constexpr std::int64_t kPcrRestart = 1000 * kTicksPerMs;

// access_unit_delimiter_rbsp: H.264 7.3.2.4 primary_pic_type 7 (any slice type) + stop bit;
// H.265 7.3.2.5 with its 2-byte NAL header (type 35, layer 0, tid 1), pic_type 2 + stop bit.
constexpr std::array<std::uint8_t, 2> kH264Aud = {0x09, 0xF0};
constexpr std::array<std::uint8_t, 3> kHevcAud = {0x46, 0x01, 0x50};

const char* codecName(flv::VideoCodec codec) {
    switch (codec) {
    case flv::VideoCodec::H264:
        return "H.264";
    case flv::VideoCodec::Hevc:
        return "HEVC";
    case flv::VideoCodec::Av1:
        return "AV1";
    case flv::VideoCodec::Vp9:
        return "VP9";
    default:
        return "unknown";
    }
}

const char* codecName(NalCodec codec) {
    return codec == NalCodec::H264 ? "H.264" : "HEVC";
}

bool isKeyframeNal(NalCodec codec, std::uint8_t type) {
    return codec == NalCodec::H264 ? type == nal::kH264Idr
                                   : type >= nal::kHevcBlaWlp && type <= nal::kHevcRsvIrap23;
}

bool isAud(NalCodec codec, std::uint8_t type) {
    return type == (codec == NalCodec::H264 ? nal::kH264Aud : nal::kHevcAud);
}

// a - b on the unwrapped 90 kHz timeline, without signed overflow on absurd inputs.
std::int64_t ticksBetween(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

base::Status videoTagError(const base::Error& error) {
    return base::fail(error.withContext("ts"));
}

} // namespace

base::Status TsMuxer::setVideoConfig(std::span<const std::uint8_t> flvVideoBody) {
    const auto info = flv::parseVideoTag(flvVideoBody);
    if (!info) {
        return videoTagError(info.error());
    }
    if (info->kind != flv::VideoPacketKind::SequenceHeader) {
        return base::fail("ts: video config is not a sequence header (AVC/HEVC packet type 0 "
                          "or enhanced SequenceStart)");
    }
    const auto record = flvVideoBody.subspan(info->payloadOffset);
    base::Result<ParameterSets> sets;
    if (info->codec == flv::VideoCodec::H264) {
        sets = parseAvcDecoderConfig(record);
    } else if (info->codec == flv::VideoCodec::Hevc) {
        sets = parseHevcDecoderConfig(record);
    } else {
        return base::fail(std::string("ts: video codec ") + codecName(info->codec) +
                          " unsupported in MPEG-TS, allowed H.264, HEVC");
    }
    if (!sets) {
        return base::fail(sets.error());
    }
    video_ = std::move(*sets);
    return {};
}

base::Status TsMuxer::setAudioConfig(std::span<const std::uint8_t> flvAudioBody) {
    const auto info = flv::parseAudioTag(flvAudioBody);
    if (!info) {
        return base::fail(info.error().withContext("ts"));
    }
    if (info->codec != flv::AudioCodec::Aac) {
        return base::fail("ts: audio SoundFormat " + std::to_string(info->soundFormat) +
                          " unsupported, allowed 10 (AAC)");
    }
    if (!info->sequenceHeader) {
        return base::fail("ts: audio config is not an AAC sequence header (AACPacketType 0)");
    }
    const auto config = adtsConfigFromAsc(flvAudioBody.subspan(info->payloadOffset));
    if (!config) {
        return base::fail(config.error());
    }
    audio_ = *config;
    return {};
}

std::uint16_t TsMuxer::pcrPid() const {
    return video_ ? kPidVideo : audio_ ? kPidAudio : kPidNull;
}

void TsMuxer::writeTables(std::vector<std::uint8_t>& out) {
    std::array<PmtStream, 2> streams{};
    std::size_t count = 0;
    if (video_) {
        streams[count++] = {video_->codec == NalCodec::H264 ? kStreamTypeH264 : kStreamTypeHevc,
                            kPidVideo};
    }
    if (audio_) {
        streams[count++] = {kStreamTypeAacAdts, kPidAudio};
    }
    const auto active = std::span<const PmtStream>(streams).first(count);
    // Compare the content at a fixed version so a change, and only a change, bumps it.
    auto content = pmtSection(pcrPid(), active, 0);
    if (!lastPmt_.empty() && content != lastPmt_) {
        pmtVersion_ = static_cast<std::uint8_t>((pmtVersion_ + 1) & 0x1F);
    }
    lastPmt_ = std::move(content);
    writeSectionPacket(out, kPidPat, patSection(kPidPmt), ccPat_);
    writeSectionPacket(out, kPidPmt, pmtSection(pcrPid(), active, pmtVersion_), ccPmt_);
}

std::int64_t TsMuxer::to90k(std::int64_t ms) {
    if (!offsetMs_) {
        offsetMs_ = ms < 0 ? -ms : 0;
    }
    // Unsigned arithmetic: wraps instead of overflowing on absurd inputs; the PES fields only
    // keep 33 bits anyway.
    const auto shifted = static_cast<std::uint64_t>(ms) + static_cast<std::uint64_t>(*offsetMs_);
    return static_cast<std::int64_t>(shifted * kTicksPerMs);
}

void TsMuxer::buildAccessUnit(std::span<const std::span<const std::uint8_t>> nalUnits,
                              bool keyframe) {
    const NalCodec codec = video_->codec;
    if (codec == NalCodec::H264) {
        appendAnnexB(pes_, kH264Aud);
    } else {
        appendAnnexB(pes_, kHevcAud);
    }
    if (keyframe) {
        bool vps = codec == NalCodec::H264; // H.264 has none to miss
        bool sps = false;
        bool pps = false;
        for (const auto& unit : nalUnits) {
            const std::uint8_t type = nalUnitType(codec, unit);
            if (codec == NalCodec::H264) {
                sps = sps || type == nal::kH264Sps;
                pps = pps || type == nal::kH264Pps;
            } else {
                vps = vps || type == nal::kHevcVps;
                sps = sps || type == nal::kHevcSps;
                pps = pps || type == nal::kHevcPps;
            }
        }
        if (!(vps && sps && pps)) {
            for (const auto& unit : video_->nalUnits) {
                appendAnnexB(pes_, unit);
            }
        }
    }
    for (const auto& unit : nalUnits) {
        // Our delimiter is already first; a second one would split the access unit.
        if (!isAud(codec, nalUnitType(codec, unit))) {
            appendAnnexB(pes_, unit);
        }
    }
}

base::Status TsMuxer::writeVideo(std::vector<std::uint8_t>& out, std::int64_t dtsMs,
                                 std::span<const std::uint8_t> flvVideoBody) {
    const auto info = flv::parseVideoTag(flvVideoBody);
    if (!info) {
        return videoTagError(info.error());
    }
    if (info->kind != flv::VideoPacketKind::CodedFrames) {
        return {};
    }
    if (info->codec != flv::VideoCodec::H264 && info->codec != flv::VideoCodec::Hevc) {
        return base::fail(std::string("ts: video codec ") + codecName(info->codec) +
                          " unsupported in MPEG-TS, allowed H.264, HEVC");
    }
    if (!video_) {
        return base::fail("ts: video before its sequence header");
    }
    const NalCodec codec = info->codec == flv::VideoCodec::H264 ? NalCodec::H264 : NalCodec::Hevc;
    if (codec != video_->codec) {
        return base::fail(std::string("ts: ") + codecName(codec) +
                          " frame but the video sequence header is " + codecName(video_->codec));
    }
    nalUnits_.clear();
    if (auto ok = splitNalUnits(flvVideoBody.subspan(info->payloadOffset), video_->nalLengthSize,
                                nalUnits_);
        !ok) {
        return ok;
    }
    if (nalUnits_.empty()) {
        return {};
    }
    bool keyframe = info->keyframe;
    for (const auto& unit : nalUnits_) {
        keyframe = keyframe || isKeyframeNal(codec, nalUnitType(codec, unit));
    }

    const std::int64_t dts = to90k(dtsMs);
    const auto pts = static_cast<std::int64_t>(
        static_cast<std::uint64_t>(dts) +
        static_cast<std::uint64_t>(std::int64_t{info->compositionTime} * kTicksPerMs));
    pes_.clear();
    appendPesHeader(pes_, kStreamIdVideo,
                    {static_cast<std::uint64_t>(pts), static_cast<std::uint64_t>(dts)}, 0, false);
    buildAccessUnit(nalUnits_, keyframe);

    PacketOptions options;
    options.randomAccess = keyframe;
    if (!lastPcr_ || ticksBetween(dts, *lastPcr_) >= 0 ||
        ticksBetween(*lastPcr_, dts) > kPcrRestart) {
        options.pcrBase = static_cast<std::uint64_t>(dts);
        lastPcr_ = dts;
    }
    writePesPackets(out, kPidVideo, pes_, options, ccVideo_);
    return {};
}

base::Status TsMuxer::writeAudio(std::vector<std::uint8_t>& out, std::int64_t dtsMs,
                                 std::span<const std::uint8_t> flvAudioBody) {
    const auto info = flv::parseAudioTag(flvAudioBody);
    if (!info) {
        return base::fail(info.error().withContext("ts"));
    }
    if (info->codec != flv::AudioCodec::Aac) {
        return base::fail("ts: audio SoundFormat " + std::to_string(info->soundFormat) +
                          " unsupported, allowed 10 (AAC)");
    }
    if (info->sequenceHeader) {
        return {};
    }
    if (!audio_) {
        return base::fail("ts: audio before its sequence header");
    }
    const auto frame = flvAudioBody.subspan(info->payloadOffset);
    if (frame.empty()) {
        return {};
    }
    if (frame.size() > kAdtsMaxPayload) {
        return base::fail("ts: AAC frame of " + std::to_string(frame.size()) +
                          " bytes too large for ADTS, max " + std::to_string(kAdtsMaxPayload));
    }
    const std::int64_t pts = to90k(dtsMs);
    const auto adts = adtsHeader(*audio_, frame.size());
    pes_.clear();
    appendPesHeader(pes_, kStreamIdAudio,
                    {static_cast<std::uint64_t>(pts), static_cast<std::uint64_t>(pts)},
                    adts.size() + frame.size(), true);
    pes_.insert(pes_.end(), adts.begin(), adts.end());
    pes_.insert(pes_.end(), frame.begin(), frame.end());

    PacketOptions options;
    if (video_) {
        // Video owns the clock; fill gaps of slow video (< 10 fps) without disturbing order.
        if (lastPcr_ && ticksBetween(pts, *lastPcr_) >= kMaxPcrInterval) {
            writePcrPacket(out, kPidVideo, static_cast<std::uint64_t>(pts),
                           static_cast<std::uint8_t>((ccVideo_ + 15) & 0x0F));
            lastPcr_ = pts;
        }
    } else if (!lastPcr_ || ticksBetween(pts, *lastPcr_) >= kMaxPcrInterval ||
               ticksBetween(pts, *lastPcr_) < 0) {
        options.pcrBase = static_cast<std::uint64_t>(pts);
        lastPcr_ = pts;
    }
    writePesPackets(out, kPidAudio, pes_, options, ccAudio_);
    return {};
}

} // namespace stagecast::protocol::mpegts
