#include "Mp4Finaliser.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/mathematics.h>
}

#include "media/FfHandles.h"

namespace stagecast::media::record {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPartSuffix = ".part.mp4";

struct DictDeleter {
    void operator()(AVDictionary* dict) const noexcept { av_dict_free(&dict); }
};

std::int64_t toMillis(std::int64_t value, AVRational timeBase) {
    return av_rescale_q(value, timeBase, AVRational{1, 1000});
}

} // namespace

fs::path finalPathFor(const fs::path& partFile) {
    const std::string name = partFile.filename().string();
    if (name.size() <= kPartSuffix.size() ||
        name.compare(name.size() - kPartSuffix.size(), kPartSuffix.size(), kPartSuffix) != 0) {
        return {};
    }
    return partFile.parent_path() / (name.substr(0, name.size() - kPartSuffix.size()) + ".mp4");
}

base::Result<FinalisedFile> remuxToMp4(const fs::path& source, const fs::path& target) {
    const std::string from = source.string();
    AVFormatContext* rawIn = nullptr;
    if (int rc = avformat_open_input(&rawIn, from.c_str(), nullptr, nullptr); rc < 0) {
        return base::fail("cannot read " + from + ": " + ffErrorText(rc));
    }
    InputFormatPtr in(rawIn);
    if (int rc = avformat_find_stream_info(in.get(), nullptr); rc < 0) {
        return base::fail("cannot read " + from + ": " + ffErrorText(rc));
    }

    const fs::path temporary = target.string() + ".tmp";
    const std::string to = temporary.string();
    AVFormatContext* rawOut = nullptr;
    if (int rc = avformat_alloc_output_context2(&rawOut, nullptr, "mp4", to.c_str()); rc < 0) {
        return base::fail("cannot write " + to + ": " + ffErrorText(rc));
    }
    OutputFormatPtr out(rawOut);

    std::vector<int> mapping(in->nb_streams, -1);
    for (unsigned i = 0; i < in->nb_streams; ++i) {
        const AVStream* ist = in->streams[i];
        const auto type = ist->codecpar->codec_type;
        if (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO) {
            continue;
        }
        AVStream* ost = avformat_new_stream(out.get(), nullptr);
        if (ost == nullptr) {
            return base::fail("cannot write " + to + ": out of memory");
        }
        if (int rc = avcodec_parameters_copy(ost->codecpar, ist->codecpar); rc < 0) {
            return base::fail("cannot write " + to + ": " + ffErrorText(rc));
        }
        ost->codecpar->codec_tag = 0;
        ost->time_base = ist->time_base;
        mapping[i] = ost->index;
    }
    if (out->nb_streams == 0) {
        return base::fail(from + " holds no audio or video track");
    }

    if (int rc = avio_open(&out->pb, to.c_str(), AVIO_FLAG_WRITE); rc < 0) {
        return base::fail("cannot create " + to + ": " + ffErrorText(rc));
    }
    AVDictionary* rawOptions = nullptr;
    av_dict_set(&rawOptions, "movflags", "+faststart", 0);
    std::unique_ptr<AVDictionary, DictDeleter> options(rawOptions);
    rawOptions = options.release();
    int rc = avformat_write_header(out.get(), &rawOptions);
    options.reset(rawOptions);
    auto removeTemporary = [&] {
        out.reset();
        std::error_code ignored;
        fs::remove(temporary, ignored);
    };
    if (rc < 0) {
        removeTemporary();
        return base::fail("cannot write " + to + ": " + ffErrorText(rc));
    }

    auto packet = allocPacket();
    if (!packet) {
        removeTemporary();
        return base::fail("cannot remux " + from + ": out of memory");
    }
    std::int64_t firstMs = std::numeric_limits<std::int64_t>::max();
    std::int64_t endMs = std::numeric_limits<std::int64_t>::min();
    std::uint64_t packets = 0;
    while (true) {
        rc = av_read_frame(in.get(), packet.get());
        if (rc < 0) {
            // The end, or where a killed writer stopped: keep everything read so far.
            break;
        }
        const int index = packet->stream_index;
        if (index < 0 || static_cast<unsigned>(index) >= mapping.size() || mapping[index] < 0 ||
            (packet->flags & AV_PKT_FLAG_CORRUPT) != 0) {
            av_packet_unref(packet.get());
            continue;
        }
        const AVRational inBase = in->streams[index]->time_base;
        const std::int64_t start = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (start != AV_NOPTS_VALUE) {
            firstMs = std::min(firstMs, toMillis(start, inBase));
            endMs = std::max(endMs,
                             toMillis(start + std::max<std::int64_t>(0, packet->duration), inBase));
        }
        AVStream* ost = out->streams[mapping[index]];
        packet->stream_index = ost->index;
        av_packet_rescale_ts(packet.get(), inBase, ost->time_base);
        packet->pos = -1;
        rc = av_interleaved_write_frame(out.get(), packet.get());
        av_packet_unref(packet.get());
        if (rc < 0) {
            removeTemporary();
            return base::fail("cannot write " + to + ": " + ffErrorText(rc));
        }
        ++packets;
    }
    if (packets == 0) {
        removeTemporary();
        return base::fail(from + " holds no readable media");
    }
    if (rc = av_write_trailer(out.get()); rc < 0) {
        removeTemporary();
        return base::fail("cannot write " + to + ": " + ffErrorText(rc));
    }
    if (rc = avio_closep(&out->pb); rc < 0) {
        removeTemporary();
        return base::fail("cannot write " + to + ": " + ffErrorText(rc));
    }
    out.reset();
    std::error_code ec;
    fs::rename(temporary, target, ec);
    if (ec) {
        removeTemporary();
        return base::fail("cannot rename " + to + " to " + target.string() + ": " + ec.message());
    }
    FinalisedFile result;
    result.path = target;
    result.duration = std::chrono::milliseconds(endMs > firstMs ? endMs - firstMs : 0);
    result.bytes = fs::file_size(target, ec);
    if (ec) {
        return base::fail("cannot read the size of " + target.string() + ": " + ec.message());
    }
    return result;
}

base::Result<FinalisedFile> measureFile(const fs::path& file) {
    const std::string name = file.string();
    AVFormatContext* raw = nullptr;
    if (int rc = avformat_open_input(&raw, name.c_str(), nullptr, nullptr); rc < 0) {
        return base::fail("cannot read " + name + ": " + ffErrorText(rc));
    }
    InputFormatPtr in(raw);
    if (int rc = avformat_find_stream_info(in.get(), nullptr); rc < 0) {
        return base::fail("cannot read " + name + ": " + ffErrorText(rc));
    }
    auto packet = allocPacket();
    if (!packet) {
        return base::fail("cannot read " + name + ": out of memory");
    }
    std::int64_t firstMs = std::numeric_limits<std::int64_t>::max();
    std::int64_t endMs = std::numeric_limits<std::int64_t>::min();
    std::uint64_t packets = 0;
    while (av_read_frame(in.get(), packet.get()) >= 0) {
        const AVRational base = in->streams[packet->stream_index]->time_base;
        const std::int64_t start = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (start != AV_NOPTS_VALUE) {
            firstMs = std::min(firstMs, toMillis(start, base));
            endMs = std::max(endMs,
                             toMillis(start + std::max<std::int64_t>(0, packet->duration), base));
            ++packets;
        }
        av_packet_unref(packet.get());
    }
    if (packets == 0) {
        return base::fail(name + " holds no readable media");
    }
    FinalisedFile result;
    result.path = file;
    result.duration = std::chrono::milliseconds(endMs > firstMs ? endMs - firstMs : 0);
    std::error_code ec;
    result.bytes = fs::file_size(file, ec);
    if (ec) {
        return base::fail("cannot read the size of " + name + ": " + ec.message());
    }
    return result;
}

base::Result<FinalisedFile> recoverFragmented(const fs::path& partFile) {
    const fs::path target = finalPathFor(partFile);
    if (target.empty()) {
        return base::fail("cannot recover " + partFile.string() +
                          ": only a NAME.part.mp4 left by the recorder can be recovered");
    }
    std::error_code ec;
    if (!fs::is_regular_file(partFile, ec)) {
        return base::fail("cannot recover " + partFile.string() + ": " +
                          (ec ? ec.message() : std::string("no such file")));
    }
    auto done = remuxToMp4(partFile, target);
    if (!done) {
        return base::fail(done.error().withContext("cannot recover " + partFile.string()));
    }
    fs::remove(partFile, ec);
    if (ec) {
        return base::fail("recovered " + target.string() + " but cannot delete " +
                          partFile.string() + ": " + ec.message());
    }
    return done;
}

} // namespace stagecast::media::record
