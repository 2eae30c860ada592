#include "MuxerWriter.h"

#include <algorithm>
#include <cstring>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/mem.h>
}

namespace stagecast::media::record {

namespace {

constexpr AVRational kMillis{1, 1000};

const char* muxerName(Container container) {
    switch (container) {
    case Container::FragmentedMp4:
        return "mp4";
    case Container::MpegTs:
        return "mpegts";
    case Container::Flv:
        return "flv";
    }
    return "mp4";
}

AVCodecID codecIdOf(VideoCodecId codec) {
    return codec == VideoCodecId::Hevc ? AV_CODEC_ID_HEVC : AV_CODEC_ID_H264;
}

base::Status setExtradata(AVCodecParameters& par, const std::vector<std::uint8_t>& bytes) {
    if (bytes.empty()) {
        return {};
    }
    auto* data =
        static_cast<std::uint8_t*>(av_mallocz(bytes.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (data == nullptr) {
        return base::fail("out of memory");
    }
    std::memcpy(data, bytes.data(), bytes.size());
    par.extradata = data; // owned by the parameters from here on
    par.extradata_size = static_cast<int>(bytes.size());
    return {};
}

base::Status checkCodec(const AVOutputFormat* format, AVCodecID id, Container container) {
    // 1: the container can hold it; 0: it cannot; negative: the muxer does not say (mpegts).
    if (avformat_query_codec(format, id, FF_COMPLIANCE_NORMAL) == 0) {
        return base::fail(std::string("the ") + toString(container) + " container cannot hold " +
                          avcodec_get_name(id) + " in this FFmpeg build (libavformat " +
                          LIBAVFORMAT_IDENT + "): choose mp4 or ts");
    }
    return {};
}

struct DictDeleter {
    void operator()(AVDictionary* dict) const noexcept { av_dict_free(&dict); }
};

} // namespace

MuxerWriter::MuxerWriter(std::filesystem::path path, OutputFormatPtr context)
    : path_(std::move(path)), context_(std::move(context)) {}

MuxerWriter::~MuxerWriter() {
    abandon();
}

base::Result<std::unique_ptr<MuxerWriter>> MuxerWriter::open(const std::filesystem::path& path,
                                                             const MuxerSetup& setup) {
    const std::string where = path.string();
    if (setup.tracks.empty()) {
        return base::fail("cannot record " + where + ": the stream has no track to record");
    }
    AVFormatContext* raw = nullptr;
    int rc =
        avformat_alloc_output_context2(&raw, nullptr, muxerName(setup.container), where.c_str());
    OutputFormatPtr context(raw);
    if (rc < 0 || !context) {
        return base::fail("cannot record " + where + ": " + ffErrorText(rc));
    }
    auto writer = std::unique_ptr<MuxerWriter>(new MuxerWriter(path, std::move(context)));
    AVFormatContext* ctx = writer->context_.get();

    if (setup.tracks.video) {
        const auto& v = *setup.tracks.video;
        const AVCodecID id = codecIdOf(v.codec);
        if (auto ok = checkCodec(ctx->oformat, id, setup.container); !ok) {
            return base::fail(ok.error().withContext("cannot record " + where));
        }
        AVStream* st = avformat_new_stream(ctx, nullptr);
        if (st == nullptr) {
            return base::fail("cannot record " + where + ": out of memory");
        }
        st->time_base = kMillis;
        st->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
        st->codecpar->codec_id = id;
        st->codecpar->width = static_cast<int>(v.width);
        st->codecpar->height = static_cast<int>(v.height);
        if (auto ok = setExtradata(*st->codecpar, v.config); !ok) {
            return base::fail(ok.error().withContext("cannot record " + where));
        }
        writer->video_.index = st->index;
    }
    if (setup.tracks.audio) {
        const auto& a = *setup.tracks.audio;
        if (auto ok = checkCodec(ctx->oformat, AV_CODEC_ID_AAC, setup.container); !ok) {
            return base::fail(ok.error().withContext("cannot record " + where));
        }
        AVStream* st = avformat_new_stream(ctx, nullptr);
        if (st == nullptr) {
            return base::fail("cannot record " + where + ": out of memory");
        }
        st->time_base = kMillis;
        st->codecpar->codec_type = AVMEDIA_TYPE_AUDIO;
        st->codecpar->codec_id = AV_CODEC_ID_AAC;
        st->codecpar->sample_rate = static_cast<int>(a.sampleRate);
        av_channel_layout_default(&st->codecpar->ch_layout, static_cast<int>(a.channels));
        st->codecpar->frame_size = 1024;
        if (auto ok = setExtradata(*st->codecpar, a.config); !ok) {
            return base::fail(ok.error().withContext("cannot record " + where));
        }
        writer->audio_.index = st->index;
        // An AAC frame is 1024 samples: the duration of a lone last frame.
        writer->audio_.lastDuration =
            std::max<std::int64_t>(1, 1024000 / std::max(1U, a.sampleRate));
    }

    if (rc = avio_open(&ctx->pb, where.c_str(), AVIO_FLAG_WRITE); rc < 0) {
        return base::fail("cannot create " + where + ": " + ffErrorText(rc));
    }
    // Hand every packet to the operating system at once: a killed process must not take
    // written media with it. The muxer interleaves over at most a second.
    ctx->flush_packets = 1;
    ctx->max_interleave_delta = 1000000;

    AVDictionary* rawOptions = nullptr;
    if (setup.container == Container::FragmentedMp4) {
        av_dict_set(&rawOptions, "movflags", "frag_keyframe+empty_moov+default_base_moof", 0);
        const auto fragmentMicros =
            std::chrono::duration_cast<std::chrono::microseconds>(setup.fragmentDuration);
        av_dict_set_int(&rawOptions, "frag_duration", fragmentMicros.count(), 0);
    }
    std::unique_ptr<AVDictionary, DictDeleter> options(rawOptions);
    rawOptions = options.release();
    rc = avformat_write_header(ctx, &rawOptions);
    options.reset(rawOptions);
    if (rc < 0) {
        return base::fail("cannot write " + where + ": " + ffErrorText(rc));
    }
    if (ctx->pb->error < 0) {
        return base::fail("cannot write " + where + ": " + ffErrorText(ctx->pb->error));
    }
    return writer;
}

MuxerWriter::Track* MuxerWriter::trackFor(stream::TrackKind kind) {
    Track* track = kind == stream::TrackKind::Video   ? &video_
                   : kind == stream::TrackKind::Audio ? &audio_
                                                      : nullptr;
    return track != nullptr && track->index >= 0 ? track : nullptr;
}

base::Status MuxerWriter::ioError(const char* what, int code) {
    failed_ = true;
    return base::fail(std::string("cannot ") + what + " " + path_.string() + ": " +
                      ffErrorText(code));
}

base::Status MuxerWriter::write(const MuxerSample& sample) {
    if (failed_ || closed_) {
        return base::fail("cannot write " + path_.string() + ": the file is closed");
    }
    Track* track = trackFor(sample.kind);
    if (track == nullptr) {
        return base::fail("cannot write " + path_.string() + ": the file has no " +
                          (sample.kind == stream::TrackKind::Video ? "video" : "audio") + " track");
    }
    if (sample.data.size() > static_cast<std::size_t>(INT32_MAX - AV_INPUT_BUFFER_PADDING_SIZE)) {
        return base::fail("cannot write " + path_.string() + ": a packet of " +
                          std::to_string(sample.data.size()) + " bytes is too large");
    }
    auto packet = allocPacket();
    if (!packet) {
        return ioError("write", AVERROR(ENOMEM));
    }
    if (int rc = av_new_packet(packet.get(), static_cast<int>(sample.data.size())); rc < 0) {
        return ioError("write", rc);
    }
    if (!sample.data.empty()) {
        std::memcpy(packet->data, sample.data.data(), sample.data.size());
    }
    packet->stream_index = track->index;
    packet->dts = sample.dts.count();
    packet->pts = sample.pts.count();
    if (sample.keyframe) {
        packet->flags |= AV_PKT_FLAG_KEY;
    }
    if (track->held) {
        if (auto ok = release(*track, packet->dts); !ok) {
            return ok;
        }
    }
    track->held = std::move(packet);
    return {};
}

base::Status MuxerWriter::release(Track& track, std::int64_t nextDts) {
    AVPacket* packet = track.held.get();
    std::int64_t duration = nextDts - packet->dts;
    if (duration <= 0) {
        duration = track.lastDuration;
    }
    track.lastDuration = duration;
    packet->duration = duration;
    AVStream* st = context_->streams[track.index];
    av_packet_rescale_ts(packet, kMillis, st->time_base);
    // Takes the packet's data; the held packet is left blank.
    const int rc = av_interleaved_write_frame(context_.get(), packet);
    track.held.reset();
    if (rc < 0) {
        return ioError("write", rc);
    }
    if (context_->pb != nullptr && context_->pb->error < 0) {
        return ioError("write", context_->pb->error);
    }
    return {};
}

base::Status MuxerWriter::finish() {
    if (closed_) {
        return {};
    }
    if (failed_) {
        abandon();
        return base::fail("cannot finish " + path_.string() + ": an earlier write failed");
    }
    for (Track* track : {&video_, &audio_}) {
        if (track->held) {
            const std::int64_t last = track->held->dts;
            auto ok = release(*track, last + track->lastDuration);
            if (!ok) {
                abandon();
                return ok;
            }
        }
    }
    if (int rc = av_write_trailer(context_.get()); rc < 0) {
        auto error = ioError("finish", rc);
        abandon();
        return error;
    }
    finalBytes_ = bytes();
    if (int rc = avio_closep(&context_->pb); rc < 0) {
        auto error = ioError("close", rc);
        abandon();
        return error;
    }
    context_.reset();
    closed_ = true;
    return {};
}

void MuxerWriter::abandon() {
    if (closed_) {
        return;
    }
    if (context_ && context_->pb != nullptr) {
        finalBytes_ =
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, avio_tell(context_->pb)));
    }
    video_.held.reset();
    audio_.held.reset();
    context_.reset(); // closes the file as it is: no trailer
    closed_ = true;
}

std::uint64_t MuxerWriter::bytes() const {
    if (closed_ || !context_ || context_->pb == nullptr) {
        return finalBytes_;
    }
    return static_cast<std::uint64_t>(std::max<std::int64_t>(0, avio_tell(context_->pb)));
}

} // namespace stagecast::media::record
