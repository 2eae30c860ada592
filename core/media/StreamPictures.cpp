#include "media/StreamPictures.h"

#include <algorithm>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include "media/FfHandles.h"

namespace stagecast::media {

namespace {

struct SwsDeleter {
    void operator()(SwsContext* c) const { sws_freeContext(c); }
};

/// libavformat's blocking calls give up once `stop` is set.
int interrupted(void* stop) {
    return static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

} // namespace

base::Status StreamPictures::run(const std::string& url, int maxWidth,
                                 const std::atomic<bool>& stop, const PictureHandler& onPicture) {
    AVFormatContext* raw = avformat_alloc_context();
    if (raw == nullptr) {
        return base::fail("out of memory");
    }
    raw->interrupt_callback.callback = interrupted;
    raw->interrupt_callback.opaque = const_cast<std::atomic<bool>*>(&stop);
    AVDictionary* options = nullptr;
    av_dict_set(&options, "rw_timeout", "5000000", 0); // 5 s without data: give up
    const int opened = avformat_open_input(&raw, url.c_str(), nullptr, &options);
    av_dict_free(&options);
    if (opened < 0) {
        return base::fail("cannot open " + url + ": " + ffErrorText(opened));
    }
    InputFormatPtr format(raw);
    if (const int rc = avformat_find_stream_info(format.get(), nullptr); rc < 0) {
        return base::fail("no stream information in " + url + ": " + ffErrorText(rc));
    }
    const AVCodec* codec = nullptr;
    const int index = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (index < 0 || codec == nullptr) {
        return base::fail(url + " has no video FFmpeg can decode");
    }
    CodecContextPtr decoder(avcodec_alloc_context3(codec));
    if (!decoder ||
        avcodec_parameters_to_context(decoder.get(), format->streams[index]->codecpar) < 0 ||
        avcodec_open2(decoder.get(), codec, nullptr) < 0) {
        return base::fail("cannot open the " + std::string(codec->name) + " decoder");
    }
    AvPacketPtr packet(av_packet_alloc());
    FramePtr frame(av_frame_alloc());
    std::unique_ptr<SwsContext, SwsDeleter> scaler;
    std::vector<std::uint8_t> bgra;
    int outWidth = 0;
    int outHeight = 0;
    while (!stop.load()) {
        const int rc = av_read_frame(format.get(), packet.get());
        if (rc < 0) {
            return stop.load() ? base::Status{}
                               : base::fail("the stream ended: " + ffErrorText(rc));
        }
        if (packet->stream_index != index) {
            av_packet_unref(packet.get());
            continue;
        }
        const int sent = avcodec_send_packet(decoder.get(), packet.get());
        av_packet_unref(packet.get());
        if (sent < 0 && sent != AVERROR(EAGAIN)) {
            continue; // a damaged packet: the next keyframe recovers
        }
        while (avcodec_receive_frame(decoder.get(), frame.get()) == 0) {
            const int w = frame->width;
            const int h = frame->height;
            if (w <= 0 || h <= 0) {
                continue;
            }
            const int targetW = std::max(2, std::min(w, maxWidth) & ~1);
            const int targetH =
                std::max(2, static_cast<int>(static_cast<long long>(h) * targetW / w) & ~1);
            scaler.reset(sws_getCachedContext(
                scaler.release(), w, h, static_cast<AVPixelFormat>(frame->format), targetW, targetH,
                AV_PIX_FMT_BGRA, SWS_BILINEAR, nullptr, nullptr, nullptr));
            if (!scaler) {
                return base::fail("swscale cannot convert this picture format");
            }
            if (targetW != outWidth || targetH != outHeight) {
                outWidth = targetW;
                outHeight = targetH;
                bgra.resize(static_cast<std::size_t>(outWidth) * outHeight * 4);
            }
            std::uint8_t* planes[4] = {bgra.data(), nullptr, nullptr, nullptr};
            int strides[4] = {outWidth * 4, 0, 0, 0};
            sws_scale(scaler.get(), frame->data, frame->linesize, 0, h, planes, strides);
            onPicture(outWidth, outHeight, bgra.data(), outWidth * 4);
            av_frame_unref(frame.get());
        }
    }
    return {};
}

} // namespace stagecast::media
