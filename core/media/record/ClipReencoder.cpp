#include "media/record/ClipReencoder.h"

#include <algorithm>
#include <cmath>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

namespace stagecast::media::record {

base::Status ClipReencoder::open(AVFormatContext& input, const AVStream& source,
                                 const AVFormatContext& output, AVStream& target) {
    const AVCodec* decoder = avcodec_find_decoder(source.codecpar->codec_id);
    const AVCodec* encoder = avcodec_find_encoder_by_name("libx264");
    if (decoder == nullptr) {
        return base::fail("accurate clip: no decoder for the recording's video codec " +
                          std::string(avcodec_get_name(source.codecpar->codec_id)));
    }
    if (encoder == nullptr) {
        return base::fail("accurate clip: FFmpeg has no libx264 encoder; use copy mode");
    }
    decoder_ = allocCodecContext(decoder);
    encoder_ = allocCodecContext(encoder);
    picture_ = allocFrame();
    packet_ = allocPacket();
    if (!decoder_ || !encoder_ || !picture_ || !packet_) {
        return base::fail("clip: out of memory");
    }
    avcodec_parameters_to_context(decoder_.get(), source.codecpar);
    decoder_->pkt_timebase = source.time_base;
    decoder_->thread_count = 2;
    if (int rc = avcodec_open2(decoder_.get(), decoder, nullptr); rc < 0) {
        return base::fail("accurate clip: cannot open the " + std::string(decoder->name) +
                          " decoder: " + ffErrorText(rc));
    }
    AVRational rate = av_guess_frame_rate(&input, const_cast<AVStream*>(&source), nullptr);
    if (rate.num <= 0 || rate.den <= 0) {
        rate = AVRational{30, 1};
    }
    encoder_->width = decoder_->width;
    encoder_->height = decoder_->height;
    encoder_->sample_aspect_ratio = decoder_->sample_aspect_ratio;
    encoder_->pix_fmt = decoder_->pix_fmt;
    encoder_->time_base = source.time_base;
    encoder_->framerate = rate;
    encoder_->gop_size = std::max(1, static_cast<int>(std::lround(av_q2d(rate) * 2)));
    if ((output.oformat->flags & AVFMT_GLOBALHEADER) != 0) {
        encoder_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    // x264's per-clip statistics are info-level: shifted to verbose, out of the log.
    encoder_->log_level_offset = AV_LOG_VERBOSE - AV_LOG_INFO;
    av_opt_set(encoder_->priv_data, "preset", "veryfast", 0);
    av_opt_set(encoder_->priv_data, "crf", "18", 0);
    if (int rc = avcodec_open2(encoder_.get(), encoder, nullptr); rc < 0) {
        return base::fail("accurate clip: cannot open libx264 for " +
                          std::to_string(encoder_->width) + "x" + std::to_string(encoder_->height) +
                          ": " + ffErrorText(rc));
    }
    avcodec_parameters_from_context(target.codecpar, encoder_.get());
    target.time_base = encoder_->time_base;
    return {};
}

double ClipReencoder::frameSeconds() const {
    return encoder_ ? av_q2d(av_inv_q(encoder_->framerate)) : 0.0;
}

base::Status ClipReencoder::decode(const AVPacket* packet, const PictureSink& sink) {
    const int sent = avcodec_send_packet(decoder_.get(), packet);
    if (sent < 0 && sent != AVERROR(EAGAIN) && sent != AVERROR_EOF) {
        return base::fail("accurate clip: decoding: " + ffErrorText(sent));
    }
    while (true) {
        const int rc = avcodec_receive_frame(decoder_.get(), picture_.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            return {};
        }
        if (rc < 0) {
            return base::fail("accurate clip: decoding: " + ffErrorText(rc));
        }
        auto ok = sink(*picture_);
        av_frame_unref(picture_.get());
        if (!ok) {
            return ok;
        }
    }
}

base::Status ClipReencoder::encode(const AVFrame* picture, const PacketSink& sink) {
    if (int rc = avcodec_send_frame(encoder_.get(), picture); rc < 0) {
        return base::fail("accurate clip: libx264: " + ffErrorText(rc));
    }
    while (true) {
        const int rc = avcodec_receive_packet(encoder_.get(), packet_.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            return {};
        }
        if (rc < 0) {
            return base::fail("accurate clip: libx264: " + ffErrorText(rc));
        }
        auto ok = sink(*packet_);
        av_packet_unref(packet_.get());
        if (!ok) {
            return ok;
        }
    }
}

} // namespace stagecast::media::record
