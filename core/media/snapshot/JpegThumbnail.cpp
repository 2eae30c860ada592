#include "media/snapshot/JpegThumbnail.h"

#include <cmath>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include "media/FfHandles.h"

namespace stagecast::media::snapshot {

namespace {

struct SwsDeleter {
    void operator()(SwsContext* context) const noexcept { sws_freeContext(context); }
};
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

constexpr int kMinWidth = 16;
constexpr int kMaxWidth = 7680;

} // namespace

int thumbnailHeight(int width, int sourceWidth, int sourceHeight, int sarNum, int sarDen) {
    if (sourceWidth <= 0 || sourceHeight <= 0) {
        return 2;
    }
    double aspect = static_cast<double>(sourceWidth) / sourceHeight;
    if (sarNum > 0 && sarDen > 0) {
        aspect *= static_cast<double>(sarNum) / sarDen;
    }
    const auto half = std::lround(width / aspect / 2.0);
    return static_cast<int>(std::max<long>(1, half) * 2);
}

struct JpegThumbnail::State {
    SwsPtr scaler;
    CodecContextPtr encoder;
    FramePtr scaled;
    AvPacketPtr packet;
    int sourceWidth = 0;
    int sourceHeight = 0;
    int sourceFormat = -1;
    int height = 0;
    std::int64_t nextPts = 0; // the encoder wants increasing timestamps
};

JpegThumbnail::JpegThumbnail(ThumbnailOptions options)
    : options_(options), state_(std::make_unique<State>()) {}
JpegThumbnail::~JpegThumbnail() = default;
JpegThumbnail::JpegThumbnail(JpegThumbnail&&) noexcept = default;
JpegThumbnail& JpegThumbnail::operator=(JpegThumbnail&&) noexcept = default;

base::Result<Thumbnail> JpegThumbnail::encode(const AVFrame& picture) {
    auto& s = *state_;
    if (options_.width < kMinWidth || options_.width > kMaxWidth || options_.width % 2 != 0) {
        return base::fail("thumbnail width " + std::to_string(options_.width) +
                          " is not allowed: an even number of pixels, 16..7680");
    }
    if (picture.width <= 0 || picture.height <= 0 || picture.format < 0) {
        return base::fail("thumbnail: the decoded picture has no size or pixel format");
    }
    if (picture.width != s.sourceWidth || picture.height != s.sourceHeight ||
        picture.format != s.sourceFormat || !s.encoder) {
        s = State{};
        const int height =
            thumbnailHeight(options_.width, picture.width, picture.height,
                            picture.sample_aspect_ratio.num, picture.sample_aspect_ratio.den);
        // Scaled to 4:2:0 with full-range output (what yuvj420p means; swscale warns about the
        // deprecated J formats themselves), then handed to the encoder as yuvj420p.
        s.scaler.reset(sws_getContext(
            picture.width, picture.height, static_cast<AVPixelFormat>(picture.format),
            options_.width, height, AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
        if (!s.scaler) {
            const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(picture.format));
            return base::fail(std::string("thumbnail scaler: cannot convert ") +
                              (name != nullptr ? name : "this pixel format") + " " +
                              std::to_string(picture.width) + "x" + std::to_string(picture.height));
        }
        const int sourceFull = picture.color_range == AVCOL_RANGE_JPEG ? 1 : 0;
        const int* sourceMatrix = sws_getCoefficients(
            picture.colorspace == AVCOL_SPC_UNSPECIFIED ? SWS_CS_DEFAULT : picture.colorspace);
        sws_setColorspaceDetails(s.scaler.get(), sourceMatrix, sourceFull,
                                 sws_getCoefficients(SWS_CS_ITU601), 1, 0, 1 << 16, 1 << 16);
        const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        if (codec == nullptr) {
            return base::fail("jpeg encoder: FFmpeg has no mjpeg encoder");
        }
        s.encoder = allocCodecContext(codec);
        s.scaled = allocFrame();
        s.packet = allocPacket();
        if (!s.encoder || !s.scaled || !s.packet) {
            return base::fail("jpeg encoder: out of memory");
        }
        s.encoder->width = options_.width;
        s.encoder->height = height;
        s.encoder->pix_fmt = AV_PIX_FMT_YUVJ420P;
        s.encoder->time_base = AVRational{1, 25};
        s.encoder->flags |= AV_CODEC_FLAG_QSCALE;
        s.encoder->global_quality = FF_QP2LAMBDA * options_.quality;
        if (int rc = avcodec_open2(s.encoder.get(), codec, nullptr); rc < 0) {
            s.encoder.reset();
            return base::fail("jpeg encoder: cannot open: " + ffErrorText(rc));
        }
        s.scaled->width = options_.width;
        s.scaled->height = height;
        s.scaled->format = AV_PIX_FMT_YUVJ420P;
        if (int rc = av_frame_get_buffer(s.scaled.get(), 0); rc < 0) {
            s.encoder.reset();
            return base::fail("thumbnail: cannot allocate the picture: " + ffErrorText(rc));
        }
        s.sourceWidth = picture.width;
        s.sourceHeight = picture.height;
        s.sourceFormat = picture.format;
        s.height = height;
    }

    if (int rc = av_frame_make_writable(s.scaled.get()); rc < 0) {
        return base::fail("thumbnail: " + ffErrorText(rc));
    }
    sws_scale(s.scaler.get(), picture.data, picture.linesize, 0, picture.height, s.scaled->data,
              s.scaled->linesize);
    s.scaled->quality = s.encoder->global_quality;
    s.scaled->pts = s.nextPts++;
    if (int rc = avcodec_send_frame(s.encoder.get(), s.scaled.get()); rc < 0) {
        return base::fail("jpeg encoder: " + ffErrorText(rc));
    }
    Thumbnail out;
    out.width = options_.width;
    out.height = s.height;
    while (true) {
        const int rc = avcodec_receive_packet(s.encoder.get(), s.packet.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            break;
        }
        if (rc < 0) {
            return base::fail("jpeg encoder: " + ffErrorText(rc));
        }
        out.jpeg.insert(out.jpeg.end(), s.packet->data, s.packet->data + s.packet->size);
        av_packet_unref(s.packet.get());
    }
    if (out.jpeg.empty()) {
        return base::fail("jpeg encoder: produced no picture");
    }
    return out;
}

} // namespace stagecast::media::snapshot
