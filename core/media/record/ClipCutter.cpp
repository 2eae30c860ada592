#include "media/record/ClipCutter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include "media/FfHandles.h"
#include "media/record/ClipReencoder.h"

namespace stagecast::media::record {

namespace fs = std::filesystem;

namespace {

// A timestamp this close to a bound counts as on it (millisecond-rounded containers).
constexpr double kEpsilon = 0.001;
// Longer than any GOP a recorder should see (OBS and encoders default to 2..10 s).
constexpr double kUnindexedSeekMargin = 10.0;

std::string secondsText(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", s);
    return text;
}

double toSeconds(std::int64_t ts, AVRational tb) {
    return static_cast<double>(ts) * av_q2d(tb);
}

std::int64_t fromSeconds(double s, AVRational tb) {
    return av_rescale_q(std::llround(s * AV_TIME_BASE), AV_TIME_BASE_Q, tb);
}

class Cutter {
public:
    Cutter(const ClipRequest& request, const ClipProgressFn& progress,
           const std::atomic<bool>& cancelled)
        : r_(request), from_(request.from.count()), to_(request.to.count()), progressFn_(progress),
          cancelled_(cancelled) {}

    base::Result<ClipOutcome> run() {
        auto ok = cut();
        out_.reset(); // closes the file before it is removed or measured
        if (!ok) {
            if (created_) {
                std::error_code ec;
                fs::remove(r_.output, ec);
            }
            return base::fail(ok.error());
        }
        ClipOutcome outcome;
        outcome.startsAt = std::chrono::duration<double>(start_);
        outcome.duration = std::chrono::duration<double>(std::max(0.0, end_ - start_));
        std::error_code ec;
        outcome.bytes = fs::file_size(r_.output, ec);
        if (progressFn_) {
            progressFn_(1.0);
        }
        return outcome;
    }

private:
    base::Status cut() {
        if (auto ok = checkRequest(); !ok) {
            return ok;
        }
        if (auto ok = openInput(); !ok) {
            return ok;
        }
        if (auto ok = openOutput(); !ok) {
            return ok;
        }
        seekToKeyframe();
        auto ok = r_.mode == ClipMode::Accurate && video_ >= 0 ? reencode() : copy();
        if (!ok) {
            return ok;
        }
        if (!wrote_) {
            return pastEnd();
        }
        if (int rc = av_write_trailer(out_.get()); rc < 0) {
            return base::fail("cannot finish clip " + r_.output.string() + ": " + ffErrorText(rc));
        }
        return {};
    }

    base::Status checkRequest() const {
        if (!std::isfinite(from_) || !std::isfinite(to_) || from_ < 0) {
            return base::fail("clip start " + secondsText(from_) +
                              " s is not allowed: a time from 0 s on");
        }
        if (from_ >= to_) {
            return base::fail("clip start " + secondsText(from_) + " s must be before its end " +
                              secondsText(to_) + " s");
        }
        std::error_code ec;
        if (!fs::is_regular_file(r_.input, ec)) {
            return base::fail("recording not found: " + r_.input.string());
        }
        if (fs::equivalent(r_.input, r_.output, ec)) {
            return base::fail("clip output " + r_.output.string() +
                              " is the recording itself: choose another file");
        }
        return {};
    }

    base::Status pastEnd() const {
        std::string length;
        if (duration_) {
            char text[32];
            std::snprintf(text, sizeof text, " (%.1f s)", *duration_);
            length = text;
        }
        return base::fail("clip start " + secondsText(from_) +
                          " s is past the end of the recording" + length);
    }

    base::Status openInput() {
        AVFormatContext* raw = nullptr;
        if (int rc = avformat_open_input(&raw, r_.input.c_str(), nullptr, nullptr); rc < 0) {
            return base::fail("cannot read recording " + r_.input.string() + ": " +
                              ffErrorText(rc));
        }
        in_.reset(raw);
        if (int rc = avformat_find_stream_info(in_.get(), nullptr); rc < 0) {
            return base::fail("cannot read recording " + r_.input.string() + ": " +
                              ffErrorText(rc));
        }
        if (in_->duration != AV_NOPTS_VALUE && in_->duration > 0) {
            duration_ = static_cast<double>(in_->duration) / AV_TIME_BASE;
            if (from_ >= *duration_) {
                return pastEnd();
            }
        }
        map_.assign(in_->nb_streams, -1);
        setBase();
        for (unsigned i = 0; i < in_->nb_streams; ++i) {
            const auto* par = in_->streams[i]->codecpar;
            const bool picture = (in_->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
            if (par->codec_type == AVMEDIA_TYPE_VIDEO && !picture && video_ < 0) {
                video_ = static_cast<int>(i);
            } else if (par->codec_type != AVMEDIA_TYPE_AUDIO) {
                continue;
            }
            map_[i] = 0; // numbered in openOutput
        }
        if (std::ranges::count(map_, 0) == 0) {
            return base::fail("recording " + r_.input.string() + " has no video or audio track");
        }
        return {};
    }

    void setBase() {
        if (in_->start_time != AV_NOPTS_VALUE) {
            base_ = static_cast<double>(in_->start_time) / AV_TIME_BASE;
        }
        for (unsigned i = 0; i < in_->nb_streams; ++i) {
            const AVStream* s = in_->streams[i];
            if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
                (s->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0 &&
                s->start_time != AV_NOPTS_VALUE) {
                base_ = toSeconds(s->start_time, s->time_base);
                return;
            }
        }
    }

    base::Status openOutput() {
        AVFormatContext* raw = nullptr;
        avformat_alloc_output_context2(&raw, nullptr, nullptr, r_.output.c_str());
        if (raw == nullptr) {
            return base::fail("clip output " + r_.output.string() +
                              ": unknown container: name it .mp4, .mov, .mkv, .ts or .flv");
        }
        out_.reset(raw);
        int next = 0;
        for (unsigned i = 0; i < in_->nb_streams; ++i) {
            if (map_[i] < 0) {
                continue;
            }
            AVStream* s = avformat_new_stream(out_.get(), nullptr);
            if (s == nullptr) {
                return base::fail("clip: out of memory");
            }
            map_[i] = next++;
            if (r_.mode == ClipMode::Accurate && static_cast<int>(i) == video_) {
                if (auto ok = reencoder_.open(*in_, *in_->streams[i], *out_, *s); !ok) {
                    return ok;
                }
                continue;
            }
            if (int rc = avcodec_parameters_copy(s->codecpar, in_->streams[i]->codecpar); rc < 0) {
                return base::fail("clip: " + ffErrorText(rc));
            }
            s->codecpar->codec_tag = 0;
            s->time_base = in_->streams[i]->time_base;
        }
        if ((out_->oformat->flags & AVFMT_NOFILE) == 0) {
            if (int rc = avio_open(&out_->pb, r_.output.c_str(), AVIO_FLAG_WRITE); rc < 0) {
                return base::fail("cannot write clip " + r_.output.string() + ": " +
                                  ffErrorText(rc));
            }
            created_ = true;
        }
        if (int rc = avformat_write_header(out_.get(), nullptr); rc < 0) {
            return base::fail("cannot write clip " + r_.output.string() + ": " + ffErrorText(rc));
        }
        return {};
    }

    void seekToKeyframe() {
        // The last keyframe at or before `from` (max_ts = from); a file that cannot seek is
        // read from its start, and the loops below skip what comes before the cut.
        // Without an index (MPEG-TS, FLV without keyframe metadata) libavformat's seek is a
        // search by timestamp that can land past the keyframe wanted: start earlier.
        double target = from_;
        if (video_ >= 0 && avformat_index_get_entries_count(in_->streams[video_]) == 0) {
            target = std::max(0.0, from_ - kUnindexedSeekMargin);
        }
        const auto ts = std::llround((target + base_) * AV_TIME_BASE);
        if (avformat_seek_file(in_.get(), -1, INT64_MIN, ts, ts, 0) < 0) {
            av_seek_frame(in_.get(), -1, 0, AVSEEK_FLAG_BACKWARD);
        }
    }

    // Times in a request count from the recording's first picture: an MPEG-TS file's clock
    // starts at 1.4 s, an MP4's at 0.
    double sourceTime(std::int64_t ts, AVRational tb) const { return toSeconds(ts, tb) - base_; }
    std::int64_t sourceTs(double t, AVRational tb) const { return fromSeconds(t + base_, tb); }

    // A packet's presentation time (its dts when it has no pts).
    std::optional<double> packetTime(const AVPacket& p, AVRational tb) const {
        const auto ts = p.pts != AV_NOPTS_VALUE ? p.pts : p.dts;
        if (ts == AV_NOPTS_VALUE) {
            return std::nullopt;
        }
        return sourceTime(ts, tb);
    }

    base::Status cancelledError() const { return base::fail("clip export cancelled"); }

    void reportProgress(double sourceTime) {
        end_ = std::max(end_, sourceTime);
        if (!progressFn_) {
            return;
        }
        const double share = std::clamp((sourceTime - start_) / (to_ - start_), 0.0, 0.999);
        if (share >= lastProgress_ + 0.01) {
            lastProgress_ = share;
            progressFn_(share);
        }
    }

    /// Writes `p` (in the input stream's time base) shifted so the clip starts at start_.
    base::Status write(AVPacket& p, int inIndex) {
        const AVRational tb = in_->streams[inIndex]->time_base;
        const auto offset = sourceTs(start_, tb);
        if (p.pts != AV_NOPTS_VALUE) {
            p.pts -= offset;
        }
        if (p.dts != AV_NOPTS_VALUE) {
            p.dts -= offset;
        }
        AVStream* target = out_->streams[map_[inIndex]];
        av_packet_rescale_ts(&p, tb, target->time_base);
        p.stream_index = target->index;
        p.pos = -1;
        if (int rc = av_interleaved_write_frame(out_.get(), &p); rc < 0) {
            return base::fail("cannot write clip " + r_.output.string() + ": " + ffErrorText(rc));
        }
        wrote_ = true;
        return {};
    }

    base::Result<bool> readPacket(AVPacket& p) {
        const int rc = av_read_frame(in_.get(), &p);
        if (rc == AVERROR_EOF) {
            return false;
        }
        if (rc < 0) {
            return base::fail("cannot read recording " + r_.input.string() + ": " +
                              ffErrorText(rc));
        }
        return true;
    }

    base::Status copy();
    base::Status reencode();
    base::Status writeEncoded(AVPacket& packet);

    const ClipRequest& r_;
    const double from_;
    const double to_;
    const ClipProgressFn& progressFn_;
    const std::atomic<bool>& cancelled_;

    InputFormatPtr in_;
    OutputFormatPtr out_;
    ClipReencoder reencoder_;
    std::vector<int> map_; // input stream -> output stream, -1 when not copied
    int video_ = -1;
    std::optional<double> duration_;
    double base_ = 0; // source time of the first picture, in the container's clock
    bool created_ = false;
    bool wrote_ = false;
    double start_ = 0;
    double end_ = 0;
    double lastProgress_ = 0;
};

base::Status Cutter::copy() {
    // Packets from the last keyframe at or before `from` are held until a video packet past
    // `from` proves no later keyframe still qualifies; then everything streams through.
    std::vector<AvPacketPtr> held;
    std::optional<double> keyframeAt;
    bool started = video_ < 0;
    start_ = video_ < 0 ? from_ : 0;
    std::vector<bool> done(in_->nb_streams, false);
    auto packet = allocPacket();
    auto emit = [&](AVPacket& p) -> base::Status {
        const int index = p.stream_index;
        const AVRational tb = in_->streams[index]->time_base;
        const auto t = packetTime(p, tb);
        if (!t || *t < start_ - kEpsilon || *t >= to_ - kEpsilon) {
            return {}; // before the clip (audio ahead of the keyframe) or after it
        }
        reportProgress(*t + toSeconds(p.duration, tb));
        return write(p, index);
    };
    while (true) {
        if (cancelled_) {
            return cancelledError();
        }
        auto more = readPacket(*packet);
        if (!more) {
            return base::fail(more.error());
        }
        if (!*more) {
            break;
        }
        const int index = packet->stream_index;
        if (map_[index] < 0 || done[index]) {
            av_packet_unref(packet.get());
            continue;
        }
        const AVRational tb = in_->streams[index]->time_base;
        if (packet->dts != AV_NOPTS_VALUE && sourceTime(packet->dts, tb) >= to_ - kEpsilon) {
            done[index] = true; // decode order: nothing later in this track belongs in the clip
            av_packet_unref(packet.get());
            if (std::ranges::all_of(std::views::iota(0u, in_->nb_streams),
                                    [&](unsigned i) { return map_[i] < 0 || done[i]; })) {
                break;
            }
            continue;
        }
        if (!started) {
            const auto t = packetTime(*packet, tb);
            const bool isVideo = index == video_;
            const bool key = (packet->flags & AV_PKT_FLAG_KEY) != 0;
            if (isVideo && t && key && (*t <= from_ + kEpsilon || !keyframeAt)) {
                held.clear();
                keyframeAt = *t;
                start_ = *t;
                started = *t > from_ + kEpsilon; // no keyframe before `from`: start here
            } else if (isVideo && keyframeAt && t && *t > from_ + kEpsilon) {
                started = true;
            }
            if (!started) {
                if (keyframeAt) {
                    held.push_back(AvPacketPtr(av_packet_clone(packet.get())));
                }
                av_packet_unref(packet.get());
                continue;
            }
            for (auto& h : held) {
                if (auto ok = emit(*h); !ok) {
                    return ok;
                }
            }
            held.clear();
        }
        auto ok = emit(*packet);
        av_packet_unref(packet.get());
        if (!ok) {
            return ok;
        }
    }
    for (auto& h : held) { // a clip shorter than its first GOP, at the end of the file
        if (auto ok = emit(*h); !ok) {
            return ok;
        }
    }
    return {};
}

base::Status Cutter::writeEncoded(AVPacket& packet) {
    // Encoder timestamps are already relative to `from` (start_): no shift.
    AVStream* target = out_->streams[map_[video_]];
    av_packet_rescale_ts(&packet, in_->streams[video_]->time_base, target->time_base);
    packet.stream_index = target->index;
    if (int rc = av_interleaved_write_frame(out_.get(), &packet); rc < 0) {
        return base::fail("cannot write clip " + r_.output.string() + ": " + ffErrorText(rc));
    }
    wrote_ = true;
    return {};
}

base::Status Cutter::reencode() {
    start_ = from_;
    const AVRational tb = in_->streams[video_]->time_base;
    const auto offset = sourceTs(from_, tb);
    bool videoDone = false;
    bool encoded = false;
    std::vector<bool> done(in_->nb_streams, false);
    auto packet = allocPacket();
    const auto toWriter = [this](AVPacket& p) { return writeEncoded(p); };
    // Decoded pictures in [from, to) go to the encoder with times relative to `from`.
    const auto onPicture = [&](AVFrame& picture) -> base::Status {
        const auto ts = picture.best_effort_timestamp;
        const double t = sourceTime(ts, tb);
        if (ts == AV_NOPTS_VALUE || videoDone || t < from_ - kEpsilon) {
            return {};
        }
        if (t >= to_ - kEpsilon) {
            videoDone = true;
            return {};
        }
        picture.pts = ts - offset;
        picture.pict_type = AV_PICTURE_TYPE_NONE;
        reportProgress(t + reencoder_.frameSeconds());
        encoded = true;
        return reencoder_.encode(&picture, toWriter);
    };
    while (!videoDone ||
           !std::ranges::all_of(std::views::iota(0u, in_->nb_streams), [&](unsigned i) {
               return map_[i] < 0 || static_cast<int>(i) == video_ || done[i];
           })) {
        if (cancelled_) {
            return cancelledError();
        }
        auto more = readPacket(*packet);
        if (!more) {
            return base::fail(more.error());
        }
        if (!*more) {
            break;
        }
        const int index = packet->stream_index;
        if (index == video_ && !videoDone) {
            auto ok = reencoder_.decode(packet.get(), onPicture);
            av_packet_unref(packet.get());
            if (!ok) {
                return ok;
            }
            continue;
        }
        if (map_[index] < 0 || index == video_ || done[index]) {
            av_packet_unref(packet.get());
            continue;
        }
        const AVRational atb = in_->streams[index]->time_base;
        const auto t = packetTime(*packet, atb);
        if (packet->dts != AV_NOPTS_VALUE && sourceTime(packet->dts, atb) >= to_ - kEpsilon) {
            done[index] = true;
        } else if (t && *t >= from_ - kEpsilon && *t < to_ - kEpsilon) {
            if (auto ok = write(*packet, index); !ok) {
                av_packet_unref(packet.get());
                return ok;
            }
        }
        av_packet_unref(packet.get());
    }
    if (!videoDone) { // end of file: the decoder still holds reordered pictures
        if (auto ok = reencoder_.decode(nullptr, onPicture); !ok) {
            return ok;
        }
    }
    if (!encoded) {
        wrote_ = false; // audio alone does not make a clip of a video recording
        return {};
    }
    return reencoder_.encode(nullptr, toWriter);
}

} // namespace

base::Result<ClipMode> parseClipMode(std::string_view text) {
    if (text == "copy") {
        return ClipMode::Copy;
    }
    if (text == "accurate") {
        return ClipMode::Accurate;
    }
    return base::fail("clip mode '" + std::string(text) +
                      "' is not known: choose copy or accurate");
}

std::string_view toString(ClipMode mode) {
    return mode == ClipMode::Accurate ? "accurate" : "copy";
}

base::Result<ClipOutcome> cutClip(const ClipRequest& request, const ClipProgressFn& progress,
                                  const std::atomic<bool>& cancelled) {
    return Cutter(request, progress, cancelled).run();
}

} // namespace stagecast::media::record
