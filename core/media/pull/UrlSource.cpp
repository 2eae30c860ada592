#include "media/pull/UrlSource.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
}

#include <memory>
#include <mutex>
#include <vector>

#include "media/FfHandles.h"

namespace stagecast::media {

namespace {

constexpr int kIoBufferBytes = 64 * 1024;

struct Interrupt {
    const std::atomic<bool>* stop = nullptr;
    std::chrono::steady_clock::time_point deadline;
};

int interrupted(void* opaque) {
    const auto* i = static_cast<const Interrupt*>(opaque);
    return (i->stop->load() || std::chrono::steady_clock::now() > i->deadline) ? 1 : 0;
}

struct InputDeleter {
    void operator()(AVFormatContext* c) const noexcept { avformat_close_input(&c); }
};
struct OutputDeleter {
    void operator()(AVFormatContext* c) const noexcept {
        if (c->pb != nullptr) {
            av_freep(&c->pb->buffer);
            avio_context_free(&c->pb);
        }
        avformat_free_context(c);
    }
};
struct DictDeleter {
    void operator()(AVDictionary* d) const noexcept { av_dict_free(&d); }
};

/// Where the TS muxer's bytes go: straight into the demuxer, packets to the sink.
struct TsBridge {
    protocol::mpegts::TsDemuxer demuxer;
    std::vector<protocol::mpegts::DemuxedPacket> packets;
    const UrlSource::Sink* sink = nullptr;
    UrlSourceCounters* counters = nullptr;
    base::Status status;
};

int writeTs(void* opaque, std::uint8_t* data, int size) {
    auto& b = *static_cast<TsBridge*>(opaque);
    if (!b.status) {
        return AVERROR_EXIT;
    }
    b.packets.clear();
    if (auto ok = b.demuxer.feed({data, static_cast<std::size_t>(size)}, b.packets); !ok) {
        b.status = base::fail(ok.error().withContext("remuxed stream"));
        return AVERROR_EXIT;
    }
    for (const auto& p : b.packets) {
        if (auto ok = (*b.sink)(p); !ok) {
            b.status = ok;
            return AVERROR_EXIT;
        }
        ++b.counters->packets;
    }
    return size;
}

bool supported(const AVCodecParameters& p) {
    return p.codec_id == AV_CODEC_ID_H264 || p.codec_id == AV_CODEC_ID_HEVC ||
           p.codec_id == AV_CODEC_ID_AAC;
}

} // namespace

std::string redactedUrl(const std::string& url) {
    auto out = url.substr(0, url.find('?'));
    if (out.size() < url.size()) {
        out += "?(redacted)";
    }
    const auto scheme = out.find("://");
    const auto at = out.find('@');
    if (scheme != std::string::npos && at != std::string::npos && at < out.find('/', scheme + 3)) {
        out.erase(scheme + 3, at + 1 - (scheme + 3));
    }
    return out;
}

base::Status UrlSource::run(const std::string& url, const UrlSourceOptions& options,
                            const std::atomic<bool>& stop, const Opened& opened, const Sink& sink,
                            UrlSourceCounters& counters) {
    // Errors come back as values with the URL; FFmpeg's own log lines would only repeat them
    // (and print URLs with their tokens).
    static std::once_flag quiet;
    std::call_once(quiet, [] { av_log_set_level(AV_LOG_FATAL); });
    const auto where = redactedUrl(url) + ": ";
    Interrupt interrupt{&stop, std::chrono::steady_clock::now() + options.readTimeout};

    AVFormatContext* raw = avformat_alloc_context();
    if (raw == nullptr) {
        return base::fail(where + "out of memory");
    }
    raw->interrupt_callback = {interrupted, &interrupt};
    AVDictionary* dict = nullptr;
    av_dict_set_int(&dict, "probesize", options.probeBytes, 0);
    av_dict_set_int(&dict, "analyzeduration", 2'000'000, 0);
    // HLS: start at the live edge; RTMP: it is live (no buffering before play).
    av_dict_set(&dict, "live_start_index", "-1", 0);
    av_dict_set(&dict, "rtmp_live", "live", 0);
    std::unique_ptr<AVDictionary, DictDeleter> dictOwner(dict);
    AVDictionary* used = dictOwner.release();
    int rc = avformat_open_input(&raw, url.c_str(), nullptr, &used);
    dictOwner.reset(used);
    if (rc < 0) {
        return base::fail(where + (stop ? "stopped" : ffErrorText(rc)));
    }
    std::unique_ptr<AVFormatContext, InputDeleter> in(raw);
    interrupt.deadline = std::chrono::steady_clock::now() + options.readTimeout;
    if (rc = avformat_find_stream_info(in.get(), nullptr); rc < 0) {
        return base::fail(where + "cannot read the tracks: " + ffErrorText(rc));
    }

    TsBridge bridge;
    bridge.sink = &sink;
    bridge.counters = &counters;
    AVFormatContext* outRaw = nullptr;
    if (avformat_alloc_output_context2(&outRaw, nullptr, "mpegts", nullptr) < 0) {
        return base::fail(where + "cannot create the MPEG-TS remuxer");
    }
    std::unique_ptr<AVFormatContext, OutputDeleter> out(outRaw);
    auto* buffer = static_cast<std::uint8_t*>(av_malloc(kIoBufferBytes));
    out->pb = avio_alloc_context(buffer, kIoBufferBytes, 1, &bridge, nullptr, writeTs, nullptr);
    if (out->pb == nullptr) {
        av_free(buffer);
        return base::fail(where + "out of memory");
    }
    out->flags |= AVFMT_FLAG_CUSTOM_IO | AVFMT_FLAG_FLUSH_PACKETS;

    std::vector<int> map(in->nb_streams, -1);
    std::string description = in->iformat->name;
    bool haveVideo = false;
    bool haveAudio = false;
    for (unsigned i = 0; i < in->nb_streams; ++i) {
        const auto* par = in->streams[i]->codecpar;
        const bool video = par->codec_type == AVMEDIA_TYPE_VIDEO;
        if (!supported(*par) || (video && haveVideo) || (!video && haveAudio)) {
            continue;
        }
        AVStream* s = avformat_new_stream(out.get(), nullptr);
        if (s == nullptr || avcodec_parameters_copy(s->codecpar, par) < 0) {
            return base::fail(where + "out of memory");
        }
        s->codecpar->codec_tag = 0;
        s->time_base = in->streams[i]->time_base;
        map[i] = s->index;
        (video ? haveVideo : haveAudio) = true;
        description += std::string(map[i] == 0 ? ": " : ", ") + avcodec_get_name(par->codec_id);
        if (video) {
            description += " " + std::to_string(par->width) + "x" + std::to_string(par->height);
        }
    }
    if (!haveVideo && !haveAudio) {
        return base::fail(where + "no H.264, HEVC or AAC track to pull");
    }
    AVDictionary* muxOptions = nullptr;
    av_dict_set(&muxOptions, "mpegts_flags", "resend_headers", 0);
    av_dict_set(&muxOptions, "muxdelay", "0", 0);
    rc = avformat_write_header(out.get(), &muxOptions);
    av_dict_free(&muxOptions);
    if (rc < 0) {
        return base::fail(where + "cannot start the MPEG-TS remuxer: " + ffErrorText(rc));
    }
    if (opened) {
        opened(description);
    }

    auto packet = allocPacket();
    base::Status result = base::fail(where + "the source ended");
    for (;;) {
        interrupt.deadline = std::chrono::steady_clock::now() + options.readTimeout;
        rc = av_read_frame(in.get(), packet.get());
        if (rc < 0) {
            if (stop) {
                result = base::fail(where + "stopped");
            } else if (rc != AVERROR_EOF) {
                result = base::fail(
                    where +
                    (std::chrono::steady_clock::now() > interrupt.deadline
                         ? "no data for " + std::to_string(options.readTimeout.count()) + " ms"
                         : ffErrorText(rc)));
            }
            break;
        }
        const auto index = packet->stream_index;
        if (index < 0 || static_cast<unsigned>(index) >= map.size() || map[index] < 0) {
            av_packet_unref(packet.get());
            continue;
        }
        counters.bytesIn += static_cast<std::uint64_t>(packet->size);
        AVStream* target = out->streams[map[index]];
        av_packet_rescale_ts(packet.get(), in->streams[index]->time_base, target->time_base);
        packet->stream_index = map[index];
        packet->pos = -1;
        rc = av_write_frame(out.get(), packet.get());
        av_packet_unref(packet.get());
        if (!bridge.status) {
            result = bridge.status;
            break;
        }
        if (rc < 0) {
            result = base::fail(where + "remux failed: " + ffErrorText(rc));
            break;
        }
    }
    av_write_trailer(out.get());
    return result;
}

} // namespace stagecast::media
