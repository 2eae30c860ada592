#include "HlsSegmenter.h"

#include <algorithm>
#include <cmath>

#include "protocol/hls/MediaPlaylist.h"

namespace stagecast::server::hls {

namespace phls = protocol::hls;

namespace {

constexpr std::int64_t kJumpBackMs = 1000;
constexpr std::int64_t kJumpForwardMs = 10000;

} // namespace

HlsSegmenter::HlsSegmenter(SegmenterOptions options) : options_(options) {
    if (options_.encrypt) {
        keys_.emplace(options_.keyRotateSegments);
    }
}

void HlsSegmenter::markDiscontinuity() {
    if (openStart_ && lastDts_) {
        finishSegment(*lastDts_ + lastFrameMs_);
    }
    pendingDiscontinuity_ = segments_.size() > 0 || nextSequence_ > 0;
    clock_.reset();
    if (keys_) {
        keys_->rotate(); // a new publisher (or a new encoder setup) gets a new key
    }
}

void HlsSegmenter::push(const stream::MediaPacket& p, std::int64_t wallMs) {
    wallMs_ = wallMs;
    std::span<const std::uint8_t> body(p.payload);
    if (p.kind == stream::TrackKind::Data) {
        return;
    }
    if (p.config) {
        auto ok = p.kind == stream::TrackKind::Video ? muxer_.setVideoConfig(body)
                                                     : muxer_.setAudioConfig(body);
        if (ok && p.kind == stream::TrackKind::Video) {
            hasVideoConfig_ = true;
        }
        // A new configuration after media: a restarted publisher or a changed encoder.
        if (ok && sawMedia_) {
            markDiscontinuity();
        }
        return;
    }
    auto dts = p.dts.count();
    if (lastDts_ && (dts < *lastDts_ - kJumpBackMs || dts > *lastDts_ + kJumpForwardMs)) {
        markDiscontinuity();
    }
    bool video = p.kind == stream::TrackKind::Video;
    if ((video && !muxer_.hasVideo()) || (!video && !muxer_.hasAudio())) {
        return; // no config yet, or a codec MPEG-TS cannot carry
    }
    bool canStart = hasVideoConfig_ ? (video && p.keyframe) : !video;
    if (!openStart_) {
        if (!canStart) {
            return;
        }
        startSegment(dts);
    } else if (canStart && dts - *openStart_ >= options_.target.count()) {
        finishSegment(dts);
        startSegment(dts);
    } else if (open_.size() > kMaxSegmentBytes ||
               dts - *openStart_ >= options_.target.count() * 10) {
        ++forcedCuts_;
        finishSegment(dts);
        startSegment(dts);
    }
    if (lastDts_ && dts > *lastDts_ && video) {
        lastFrameMs_ = std::min<std::int64_t>(dts - *lastDts_, 1000);
    }
    lastDts_ = dts;
    sawMedia_ = true;
    auto ok = video ? muxer_.writeVideo(open_, dts, body) : muxer_.writeAudio(open_, dts, body);
    (void)ok; // a frame the muxer refuses is left out; the segment stays valid
}

void HlsSegmenter::startSegment(std::int64_t dts) {
    open_.clear();
    openStart_ = dts;
    openDateMs_ = clock_.stamp(dts, wallMs_);
    muxer_.writeTables(open_);
}

void HlsSegmenter::finishSegment(std::int64_t endDts) {
    if (!openStart_) {
        return;
    }
    auto segment = std::make_shared<HlsSegment>();
    auto data = std::move(open_);
    open_ = {};
    if (keys_) {
        auto key = keys_->keyFor(nextSequence_);
        auto iv = random16();
        auto sealed = key && iv
                          ? encryptSegment(data, (*key)->bytes, *iv)
                          : base::Result<std::vector<std::uint8_t>>(base::fail("no key or IV"));
        if (!sealed) {
            // Never kept in the clear: the segment is dropped and the next one is flagged.
            ++cipherFailures_;
            openStart_.reset();
            pendingDiscontinuity_ = true;
            return;
        }
        segment->key = std::move(*key);
        segment->iv = *iv;
        data = std::move(*sealed);
    }
    segment->sequence = nextSequence_++;
    auto ms = std::max<std::int64_t>(endDts - *openStart_, 1);
    segment->duration = static_cast<double>(ms) / 1000.0;
    segment->discontinuity = pendingDiscontinuity_;
    if (pendingDiscontinuity_) {
        ++discontinuities_;
        pendingDiscontinuity_ = false;
    }
    segment->discontinuitiesSoFar = discontinuities_;
    segment->programDateTimeMs = openDateMs_;
    segment->data = std::make_shared<const std::vector<std::uint8_t>>(std::move(data));
    openStart_.reset();
    maxDurationRounded_ = std::max(maxDurationRounded_, phls::roundedDuration(segment->duration));
    bytes_ += segment->data->size();
    segments_.push_back(std::move(segment));
    trim();
}

void HlsSegmenter::trim() {
    auto keep = options_.windowSegments + options_.extraSegments;
    while (segments_.size() > 1 && (segments_.size() > keep || bytes_ > options_.maxBytes)) {
        bytes_ -= segments_.front()->data->size();
        segments_.pop_front();
    }
    if (keys_) {
        for (auto& k : keys_->retire(segments_.front()->sequence)) {
            retired_.push_back(std::move(k));
        }
    }
}

std::optional<std::string>
HlsSegmenter::playlist(const std::string& uriPrefix, const std::string& uriSuffix,
                       const std::optional<std::string>& keyUriPrefix) const {
    auto m = playlistModel(uriPrefix, uriSuffix, keyUriPrefix);
    return m ? std::optional(m->render()) : std::nullopt;
}

std::optional<phls::MediaPlaylist>
HlsSegmenter::playlistModel(const std::string& uriPrefix, const std::string& uriSuffix,
                            const std::optional<std::string>& keyUriPrefix) const {
    // Encrypted: only segments whose key is on disk (a run ending at the newest such one).
    auto unstored = [this](std::size_t i) {
        return segments_[i]->key && !segments_[i]->key->stored;
    };
    auto end = segments_.size();
    while (end > 0 && unstored(end - 1)) {
        --end;
    }
    auto first = end - std::min(end, options_.windowSegments);
    for (auto i = first; i < end; ++i) {
        if (unstored(i)) {
            first = i + 1;
        }
    }
    if (first == end) {
        return std::nullopt;
    }
    phls::MediaPlaylist m;
    m.version = 3;
    // Fixed for the stream's life (the RFC forbids changes between reloads): the configured
    // target, raised once if a segment ever ran longer.
    auto target = static_cast<std::uint64_t>(
        std::ceil(static_cast<double>(options_.target.count()) / 1000.0));
    m.targetDuration = std::max(target, maxDurationRounded_);
    const auto& head = *segments_[first];
    m.mediaSequence = head.sequence;
    m.discontinuitySequence = head.discontinuitiesSoFar - (head.discontinuity ? 1 : 0);
    m.independentSegments = true;
    const auto keyPrefix = keyUriPrefix.value_or(uriPrefix + "key/");
    for (auto i = first; i < end; ++i) {
        const auto& s = *segments_[i];
        phls::Segment out;
        out.duration = s.duration;
        out.uri = uriPrefix + std::to_string(s.sequence) + ".ts" + uriSuffix;
        out.discontinuity = s.discontinuity;
        if (s.programDateTimeMs != 0) {
            out.programDateTimeMs = s.programDateTimeMs;
        }
        if (s.key) {
            out.key =
                phls::Key{"AES-128", keyPrefix + s.key->id + ".key" + uriSuffix, s.iv, {}, {}};
        }
        m.segments.push_back(std::move(out));
    }
    return m;
}

std::shared_ptr<const HlsSegment> HlsSegmenter::segment(std::uint64_t sequence) const {
    if (segments_.empty() || sequence < segments_.front()->sequence ||
        sequence > segments_.back()->sequence) {
        return nullptr;
    }
    return segments_[static_cast<std::size_t>(sequence - segments_.front()->sequence)];
}

std::shared_ptr<const HlsKey> HlsSegmenter::key(std::string_view id) const {
    auto k = keys_ ? keys_->find(id) : nullptr;
    return k && k->stored ? k : nullptr;
}

std::vector<std::shared_ptr<HlsKey>> HlsSegmenter::takeNewKeys() {
    return keys_ ? keys_->takeNew() : std::vector<std::shared_ptr<HlsKey>>{};
}

std::vector<std::shared_ptr<HlsKey>> HlsSegmenter::takeRetiredKeys() {
    std::vector<std::shared_ptr<HlsKey>> out;
    out.swap(retired_);
    return out;
}

std::vector<std::shared_ptr<HlsKey>> HlsSegmenter::keys() const {
    return keys_ ? keys_->all() : std::vector<std::shared_ptr<HlsKey>>{};
}

} // namespace stagecast::server::hls
