#include "media/transcode/RenditionEncoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <mutex>

#include "protocol/mpegts/DemuxAnnexB.h"
#include "protocol/mpegts/DemuxConfigRecord.h"

namespace stagecast::media::transcode {

namespace demux = protocol::mpegts::demux;

namespace {

constexpr std::uint8_t kNalSps = 7;
constexpr std::uint8_t kNalPps = 8;

stream::PacketPtr videoPacket(std::int64_t dts, std::int64_t cts, bool keyframe, bool config,
                              std::vector<std::uint8_t> payload) {
    auto p = std::make_shared<stream::MediaPacket>();
    p->kind = stream::TrackKind::Video;
    p->dts = std::chrono::milliseconds(dts);
    p->cts = std::chrono::milliseconds(cts);
    p->keyframe = keyframe;
    p->config = config;
    p->payload = std::move(payload);
    return p;
}

/// FLV VideoTagHeader for AVC: frame type + codec id 7, AVCPacketType, 24-bit composition time.
std::vector<std::uint8_t> avcHeader(bool keyframe, std::uint8_t packetType, std::int64_t cts) {
    const auto c = static_cast<std::uint32_t>(static_cast<std::int32_t>(cts)) & 0xFFFFFF;
    return {static_cast<std::uint8_t>(keyframe ? 0x17 : 0x27), packetType,
            static_cast<std::uint8_t>(c >> 16), static_cast<std::uint8_t>(c >> 8),
            static_cast<std::uint8_t>(c)};
}

} // namespace

void SwsDeleter::operator()(SwsContext* context) const noexcept {
    sws_freeContext(context);
}

RenditionEncoder::~RenditionEncoder() = default;

base::Status RenditionEncoder::fail(const std::string& what, int rc) const {
    return base::fail(settings_.rendition.tmpl.name + " encoder: " + what +
                      (rc < 0 ? ": " + ffErrorText(rc) : std::string()));
}

base::Result<std::unique_ptr<RenditionEncoder>>
RenditionEncoder::open(const EncoderSettings& settings) {
    // x264's per-encoder statistics would fill the log; errors come back as values.
    static std::once_flag quiet;
    std::call_once(quiet, [] {
        if (av_log_get_level() > AV_LOG_ERROR) {
            av_log_set_level(AV_LOG_ERROR);
        }
    });
    std::unique_ptr<RenditionEncoder> e(new RenditionEncoder(settings));
    const auto& r = settings.rendition;
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (codec == nullptr) {
        return base::fail(r.tmpl.name + " encoder: this FFmpeg has no libx264");
    }
    e->context_ = allocCodecContext(codec);
    e->scaled_ = allocFrame();
    e->packet_ = allocPacket();
    if (!e->context_ || !e->scaled_ || !e->packet_) {
        return base::fail(r.tmpl.name + " encoder: out of memory");
    }
    auto* c = e->context_.get();
    const double fps = settings.frameRate > 0 ? settings.frameRate : 30.0;
    c->width = static_cast<int>(r.width);
    c->height = static_cast<int>(r.height);
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->sample_aspect_ratio = {1, 1};
    c->time_base = {1, 1000};
    c->framerate = {static_cast<int>(std::lround(fps * 1000)), 1000};
    // A cap far beyond the grid: keyframes come from the forced IDRs, not from x264.
    c->gop_size = static_cast<int>(std::ceil(fps * 2 * kKeyframeInterval.count() / 1000.0)) + 1;
    c->thread_count = settings.threads;
    c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    c->rc_max_rate = std::int64_t{r.tmpl.maxrateKbps} * 1000;
    c->rc_buffer_size = static_cast<int>(r.tmpl.bufsizeKbps * 1000);
    if (fps <= 30.5) {
        c->level = r.tmpl.level;
    }
    av_opt_set(c->priv_data, "preset", settings.preset.c_str(), 0);
    av_opt_set(c->priv_data, "profile", r.tmpl.profile.c_str(), 0);
    av_opt_set_int(c->priv_data, "forced-idr", 1, 0);
    av_opt_set(c->priv_data, "x264-params", "scenecut=0:open-gop=0", 0);
    if (settings.mode == RateMode::Narrowband) {
        av_opt_set_double(c->priv_data, "crf", r.tmpl.crf, 0);
    } else {
        c->bit_rate = std::int64_t{r.tmpl.videoKbps} * 1000;
    }
    if (int rc = avcodec_open2(c, codec, nullptr); rc < 0) {
        return base::fail(r.tmpl.name + " encoder: cannot open libx264 (preset " + settings.preset +
                          "): " + ffErrorText(rc));
    }
    // x264's global header: SPS and PPS in Annex B form.
    demux::NalList sps;
    demux::NalList pps;
    for (auto nal : demux::splitAnnexB(
             {c->extradata, static_cast<std::size_t>(std::max(c->extradata_size, 0))})) {
        const auto type = static_cast<std::uint8_t>(nal[0] & 0x1F);
        if (type == kNalSps) {
            sps.push_back(nal);
        } else if (type == kNalPps) {
            pps.push_back(nal);
        }
    }
    auto record = demux::buildAvcRecord(sps, pps);
    if (!record) {
        return base::fail(record.error().withContext(r.tmpl.name + " encoder: x264 header"));
    }
    e->record_ = std::move(*record);
    e->scaled_->format = AV_PIX_FMT_YUV420P;
    e->scaled_->width = c->width;
    e->scaled_->height = c->height;
    if (int rc = av_frame_get_buffer(e->scaled_.get(), 0); rc < 0) {
        return base::fail(r.tmpl.name + " encoder: " + ffErrorText(rc));
    }
    return e;
}

base::Status RenditionEncoder::encode(const AVFrame& source, bool forceIdr,
                                      std::vector<stream::PacketPtr>& out) {
    auto* c = context_.get();
    scaler_.reset(sws_getCachedContext(
        scaler_.release(), source.width, source.height, static_cast<AVPixelFormat>(source.format),
        c->width, c->height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!scaler_) {
        return fail("cannot scale " + std::to_string(source.width) + "x" +
                        std::to_string(source.height) + " pictures",
                    0);
    }
    // libavcodec may still hold a reference to the previous picture.
    if (int rc = av_frame_make_writable(scaled_.get()); rc < 0) {
        return fail("picture buffer", rc);
    }
    sws_scale(scaler_.get(), source.data, source.linesize, 0, source.height, scaled_->data,
              scaled_->linesize);
    scaled_->pts = source.pts != AV_NOPTS_VALUE ? source.pts : source.best_effort_timestamp;
    scaled_->pict_type = forceIdr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    if (int rc = avcodec_send_frame(c, scaled_.get()); rc < 0) {
        return fail("encoding", rc);
    }
    return receive(out);
}

base::Status RenditionEncoder::flush(std::vector<stream::PacketPtr>& out) {
    if (int rc = avcodec_send_frame(context_.get(), nullptr); rc < 0 && rc != AVERROR_EOF) {
        return fail("flushing", rc);
    }
    return receive(out);
}

base::Status RenditionEncoder::receive(std::vector<stream::PacketPtr>& out) {
    while (true) {
        int rc = avcodec_receive_packet(context_.get(), packet_.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            return {};
        }
        if (rc < 0) {
            return fail("encoding", rc);
        }
        // x264 starts dts below the first pts when it reorders (B-frames); the hub's timeline
        // wants increasing dts from the first picture on, never above pts.
        const std::int64_t pts = packet_->pts;
        std::int64_t dts = packet_->dts == AV_NOPTS_VALUE ? pts : packet_->dts;
        if (lastDts_ == INT64_MIN) {
            dts = std::max<std::int64_t>(dts, std::min<std::int64_t>(pts, 0));
        }
        if (lastDts_ != INT64_MIN && dts <= lastDts_) {
            dts = lastDts_ + 1;
        }
        dts = std::min(dts, pts);
        lastDts_ = dts;
        if (!configSent_) {
            auto body = avcHeader(true, 0, 0);
            body.insert(body.end(), record_.begin(), record_.end());
            out.push_back(videoPacket(dts, 0, false, true, std::move(body)));
            configSent_ = true;
        }
        const bool key = (packet_->flags & AV_PKT_FLAG_KEY) != 0;
        auto body = avcHeader(key, 1, pts - dts);
        body.reserve(body.size() + static_cast<std::size_t>(packet_->size) + 16);
        for (auto nal : demux::splitAnnexB(
                 {packet_->data, static_cast<std::size_t>(std::max(packet_->size, 0))})) {
            demux::appendLengthPrefixed(body, nal);
        }
        out.push_back(videoPacket(dts, pts - dts, key, false, std::move(body)));
        av_packet_unref(packet_.get());
    }
}

} // namespace stagecast::media::transcode
