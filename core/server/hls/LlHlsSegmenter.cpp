#include "LlHlsSegmenter.h"

#include <cmath>

#include "protocol/codec/CodecConfig.h"
#include "protocol/flv/Flv.h"
#include "protocol/hls/MediaPlaylist.h"

namespace stagecast::server::hls {

namespace phls = protocol::hls;
namespace mp4 = protocol::mp4;

namespace {

constexpr std::int64_t kJumpBackMs = 1000;
constexpr std::int64_t kJumpForwardMs = 10000;
/// Complete segments whose parts are still listed (the spec asks for parts near the live
/// edge only).
constexpr std::size_t kSegmentsWithParts = 2;

double seconds(std::int64_t ms) {
    return static_cast<double>(ms) / 1000.0;
}

std::shared_ptr<const std::vector<std::uint8_t>> shared(std::vector<std::uint8_t> bytes) {
    return std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes));
}

} // namespace

LlHlsSegmenter::LlHlsSegmenter(LlOptions options) : options_(options) {}

void LlHlsSegmenter::markDiscontinuity() {
    if (open_ && lastDriverDts_) {
        closeSegment(*lastDriverDts_ + std::max<std::int64_t>(frameMs_, 1));
    }
    video_.clear();
    audio_.clear();
    lastDriverDts_.reset();
    pendingDiscontinuity_ = nextMsn_ > 0;
    clock_.reset();
}

void LlHlsSegmenter::push(const stream::MediaPacket& p, std::int64_t wallMs) {
    wallMs_ = wallMs;
    if (p.kind == stream::TrackKind::Data) {
        return;
    }
    if (p.config) {
        p.kind == stream::TrackKind::Video ? setVideoConfig(p) : setAudioConfig(p);
        return;
    }
    media(p, p.kind == stream::TrackKind::Video);
}

void LlHlsSegmenter::setVideoConfig(const stream::MediaPacket& p) {
    auto tag = protocol::flv::parseVideoTag(p.payload);
    if (!tag || tag->payloadOffset > p.payload.size()) {
        return;
    }
    std::span<const std::uint8_t> record(p.payload.data() + tag->payloadOffset,
                                         p.payload.size() - tag->payloadOffset);
    mp4::VideoTrackSpec v;
    base::Result<protocol::codec::VideoConfig> parsed = base::fail("unsupported video codec");
    if (tag->codec == protocol::flv::VideoCodec::H264) {
        v.codec = mp4::VideoCodec::H264;
        parsed = protocol::codec::parseAvcConfig(record);
    } else if (tag->codec == protocol::flv::VideoCodec::Hevc) {
        v.codec = mp4::VideoCodec::Hevc;
        parsed = protocol::codec::parseHevcConfig(record);
    }
    if (!parsed) {
        unsupported_ = "video: " + parsed.error().message();
        spec_.video.reset();
        return;
    }
    v.configRecord.assign(record.begin(), record.end());
    v.width = parsed->width;
    v.height = parsed->height;
    spec_.video = std::move(v);
    newInitIfChanged();
}

void LlHlsSegmenter::setAudioConfig(const stream::MediaPacket& p) {
    auto tag = protocol::flv::parseAudioTag(p.payload);
    if (!tag || tag->codec != protocol::flv::AudioCodec::Aac ||
        tag->payloadOffset > p.payload.size()) {
        unsupported_ = "audio: only AAC is packaged for LL-HLS";
        return;
    }
    std::span<const std::uint8_t> asc(p.payload.data() + tag->payloadOffset,
                                      p.payload.size() - tag->payloadOffset);
    auto parsed = protocol::codec::parseAacConfig(asc);
    if (!parsed) {
        unsupported_ = "audio: " + parsed.error().message();
        return;
    }
    spec_.audio =
        mp4::AudioTrackSpec{{asc.begin(), asc.end()}, parsed->sampleRate, parsed->channels};
    newInitIfChanged();
}

void LlHlsSegmenter::newInitIfChanged() {
    const auto sameVideo =
        spec_.video.has_value() == built_.video.has_value() &&
        (!spec_.video || spec_.video->configRecord == built_.video->configRecord);
    const auto sameAudio =
        spec_.audio.has_value() == built_.audio.has_value() &&
        (!spec_.audio || spec_.audio->audioSpecificConfig == built_.audio->audioSpecificConfig);
    if (sameVideo && sameAudio && initVersion_ > 0) {
        return;
    }
    if (sawMedia_) {
        markDiscontinuity(); // the decoder must be set up again
    }
    // Both tracks come as config packets one after the other: a late audio config before
    // any media only replaces the init segment not yet used.
    auto bytes = mp4::initSegment(spec_);
    if (!bytes) {
        return;
    }
    if (sawMedia_ || initVersion_ == 0) {
        ++initVersion_;
    }
    built_ = spec_;
    inits_[initVersion_] = shared(std::move(*bytes));
    while (inits_.size() > 3) {
        inits_.erase(inits_.begin());
    }
    sawMedia_ = false;
}

void LlHlsSegmenter::media(const stream::MediaPacket& p, bool video) {
    if (initVersion_ == 0 || (video && !built_.video) || (!video && !built_.audio)) {
        return;
    }
    const bool driver = video || !built_.video;
    const std::int64_t dts = p.dts.count();
    if (driver && lastDriverDts_ &&
        (dts + kJumpBackMs < *lastDriverDts_ || dts > *lastDriverDts_ + kJumpForwardMs)) {
        markDiscontinuity();
    }
    const bool key = video ? p.keyframe : true;
    if (!open_) {
        if (!driver || !key) {
            return; // a segment starts at a keyframe
        }
        startSegment(dts);
    } else if (driver) {
        const auto sinceSegment = dts - open_->startDts;
        const auto sincePart = dts - partStart_;
        if (key && sinceSegment >= options_.segmentTarget.count()) {
            closePart(dts);
            closeSegment(dts);
            startSegment(dts);
        } else if (sincePart > 0 &&
                   sincePart + std::max<std::int64_t>(frameMs_, 1) > options_.partTarget.count()) {
            closePart(dts);
            partStart_ = dts;
            partIndependent_ = key;
        }
    }
    if (driver) {
        if (lastDriverDts_ && dts > *lastDriverDts_) {
            frameMs_ = dts - *lastDriverDts_;
        }
        lastDriverDts_ = dts;
    }
    std::size_t offset = 0;
    if (video) {
        auto tag = protocol::flv::parseVideoTag(p.payload);
        if (!tag || tag->payloadOffset > p.payload.size()) {
            return;
        }
        offset = tag->payloadOffset;
    } else {
        auto tag = protocol::flv::parseAudioTag(p.payload);
        if (!tag || tag->payloadOffset > p.payload.size()) {
            return;
        }
        offset = tag->payloadOffset;
    }
    sawMedia_ = true;
    auto& track = video ? video_ : audio_;
    track.push_back({dts,
                     static_cast<std::int32_t>(p.cts.count()),
                     key,
                     {p.payload.begin() + static_cast<std::ptrdiff_t>(offset), p.payload.end()}});
}

void LlHlsSegmenter::startSegment(std::int64_t dts) {
    open_ = Open{nextMsn_++, dts, clock_.stamp(dts, wallMs_), pendingDiscontinuity_, {}};
    if (pendingDiscontinuity_) {
        ++discontinuities_;
    }
    pendingDiscontinuity_ = false;
    partStart_ = dts;
    partIndependent_ = true;
}

void LlHlsSegmenter::closePart(std::int64_t endDts) {
    if (!open_ || endDts <= partStart_) {
        return;
    }
    std::vector<mp4::TrackRun> runs;
    const auto run = [&](std::vector<Pending>& samples, std::uint32_t trackId,
                         std::int64_t lastDuration) {
        mp4::TrackRun r;
        r.trackId = trackId;
        r.baseDecodeTime = static_cast<std::uint64_t>(std::max<std::int64_t>(samples[0].dts, 0));
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const auto next = i + 1 < samples.size() ? samples[i + 1].dts : -1;
            const auto duration = next >= 0 ? next - samples[i].dts : lastDuration;
            r.samples.push_back({static_cast<std::uint32_t>(std::max<std::int64_t>(duration, 1)),
                                 samples[i].cts, samples[i].sync, samples[i].data});
        }
        runs.push_back(std::move(r));
    };
    if (!video_.empty()) {
        run(video_, mp4::videoTrackId(built_), endDts - video_.back().dts);
    }
    if (!audio_.empty()) {
        const auto frame =
            static_cast<std::int64_t>(std::lround(1024000.0 / built_.audio->sampleRate));
        run(audio_, mp4::audioTrackId(built_), frame);
    }
    if (runs.empty()) {
        return;
    }
    auto part = std::make_shared<LlPart>();
    part->msn = open_->msn;
    part->index = static_cast<std::uint32_t>(open_->parts.size());
    part->duration = seconds(endDts - partStart_);
    part->independent = partIndependent_;
    part->data = shared(mp4::fragment(++fragmentSequence_, runs));
    bytes_ += part->data->size();
    open_->parts.push_back(std::move(part));
    video_.clear();
    audio_.clear();
    ++version_;
}

void LlHlsSegmenter::closeSegment(std::int64_t endDts) {
    if (!open_) {
        return;
    }
    closePart(endDts);
    if (open_->parts.empty()) {
        --nextMsn_; // nothing was produced: the number is reused
        open_.reset();
        return;
    }
    auto segment = std::make_shared<LlSegment>();
    segment->msn = open_->msn;
    segment->duration = seconds(endDts - open_->startDts);
    segment->discontinuity = open_->discontinuity;
    segment->discontinuitiesSoFar = discontinuities_;
    segment->initVersion = initVersion_;
    segment->programDateTimeMs = open_->programDateTimeMs;
    std::vector<std::uint8_t> all;
    for (const auto& part : open_->parts) {
        all.insert(all.end(), part->data->begin(), part->data->end());
    }
    bytes_ += all.size();
    segment->data = shared(std::move(all));
    segment->parts = std::move(open_->parts);
    maxDurationRounded_ = std::max(maxDurationRounded_, phls::roundedDuration(segment->duration));
    segments_.push_back(std::move(segment));
    open_.reset();
    trim();
    ++version_;
}

void LlHlsSegmenter::trim() {
    const auto keep = options_.windowSegments + options_.extraSegments;
    while (segments_.size() > 1 && (segments_.size() > keep || bytes_ > options_.maxBytes)) {
        const auto& oldest = *segments_.front();
        bytes_ -= oldest.data->size();
        for (const auto& part : oldest.parts) {
            bytes_ -= part->data->size();
        }
        segments_.pop_front();
    }
}

std::optional<std::string> LlHlsSegmenter::playlist(const std::string& prefix,
                                                    const std::string& suffix) const {
    if (segments_.empty() && (!open_ || open_->parts.empty())) {
        return std::nullopt;
    }
    phls::MediaPlaylist pl;
    const auto target = static_cast<std::uint64_t>(
        std::ceil(static_cast<double>(options_.segmentTarget.count()) / 1000.0));
    pl.targetDuration = std::max(target, maxDurationRounded_);
    pl.partTarget = seconds(options_.partTarget.count());
    pl.serverControl.canBlockReload = true;
    pl.serverControl.partHoldBack = 3 * *pl.partTarget;
    pl.independentSegments = true;
    const auto first =
        segments_.size() > options_.windowSegments ? segments_.size() - options_.windowSegments : 0;
    const auto mapOf = [&](std::uint32_t version) {
        return phls::Map{prefix + "init-" + std::to_string(version) + ".mp4" + suffix, {}};
    };
    const auto partsOf = [&](const std::vector<std::shared_ptr<const LlPart>>& parts) {
        std::vector<phls::Part> out;
        for (const auto& p : parts) {
            out.push_back(
                {p->duration,
                 prefix + std::to_string(p->msn) + "." + std::to_string(p->index) + ".m4s" + suffix,
                 p->independent,
                 {},
                 false});
        }
        return out;
    };
    for (auto i = first; i < segments_.size(); ++i) {
        const auto& s = *segments_[i];
        if (pl.segments.empty()) {
            pl.mediaSequence = s.msn;
            pl.discontinuitySequence = s.discontinuitiesSoFar - (s.discontinuity ? 1 : 0);
        }
        phls::Segment seg;
        seg.duration = s.duration;
        seg.uri = prefix + std::to_string(s.msn) + ".m4s" + suffix;
        seg.discontinuity = s.discontinuity;
        seg.map = mapOf(s.initVersion);
        seg.programDateTimeMs = s.programDateTimeMs;
        if (i + kSegmentsWithParts >= segments_.size()) {
            seg.parts = partsOf(s.parts);
        }
        pl.segments.push_back(std::move(seg));
    }
    std::uint32_t nextPart = 0;
    std::uint64_t liveMsn = nextMsn_;
    if (open_ && !open_->parts.empty()) {
        phls::Segment seg;
        seg.discontinuity = open_->discontinuity;
        seg.map = mapOf(initVersion_);
        seg.programDateTimeMs = open_->programDateTimeMs;
        seg.parts = partsOf(open_->parts);
        if (pl.segments.empty()) {
            pl.mediaSequence = open_->msn;
            pl.discontinuitySequence = discontinuities_ - (open_->discontinuity ? 1 : 0);
        }
        pl.segments.push_back(std::move(seg));
        nextPart = static_cast<std::uint32_t>(open_->parts.size());
    }
    if (open_) {
        liveMsn = open_->msn;
    }
    pl.preloadHints.push_back(
        {phls::PreloadHint::Type::Part,
         prefix + std::to_string(liveMsn) + "." + std::to_string(nextPart) + ".m4s" + suffix,
         {},
         {}});
    return pl.render();
}

std::shared_ptr<const std::vector<std::uint8_t>> LlHlsSegmenter::init(std::uint32_t v) const {
    auto it = inits_.find(v);
    return it == inits_.end() ? nullptr : it->second;
}

std::shared_ptr<const LlPart> LlHlsSegmenter::part(std::uint64_t msn, std::uint32_t index) const {
    const std::vector<std::shared_ptr<const LlPart>>* parts = nullptr;
    if (open_ && open_->msn == msn) {
        parts = &open_->parts;
    } else {
        for (const auto& s : segments_) {
            if (s->msn == msn) {
                parts = &s->parts;
            }
        }
    }
    return parts && index < parts->size() ? (*parts)[index] : nullptr;
}

std::shared_ptr<const std::vector<std::uint8_t>> LlHlsSegmenter::segment(std::uint64_t msn) const {
    for (const auto& s : segments_) {
        if (s->msn == msn) {
            return s->data;
        }
    }
    return nullptr;
}

bool LlHlsSegmenter::has(std::uint64_t msn, std::optional<std::uint32_t> index) const {
    if (msn < liveMsn()) {
        return true;
    }
    if (msn > liveMsn() || !open_ || !index) {
        return false;
    }
    return *index < open_->parts.size();
}

} // namespace stagecast::server::hls
