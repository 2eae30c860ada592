#include "MediaFixtures.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <memory>
#include <span>

#include "FfTools.h"
#include "protocol/flv/Flv.h"
#include "protocol/mpegts/TsDemuxer.h"

namespace stagecast::media::test {

namespace flv = protocol::flv;

namespace {

std::vector<std::uint8_t> readAll(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = "cannot open " + path + ": " + file.errorString();
        return {};
    }
    const QByteArray bytes = file.readAll();
    return {bytes.begin(), bytes.end()};
}

stream::PacketPtr makePacket(stream::TrackKind kind, std::int64_t dts, std::int32_t cts,
                             bool keyframe, bool config, std::span<const std::uint8_t> body) {
    auto p = std::make_shared<stream::MediaPacket>();
    p->kind = kind;
    p->dts = std::chrono::milliseconds(dts);
    p->cts = std::chrono::milliseconds(cts);
    p->keyframe = keyframe;
    p->config = config;
    p->payload.assign(body.begin(), body.end());
    return p;
}

} // namespace

bool runFfmpeg(const QStringList& args, QString* log) {
    QStringList all{"-hide_banner", "-loglevel", "error", "-y"};
    all += args;
    return stagecast::test::Ffmpeg::run(all, log, 120000) == 0;
}

QStringList h264AacFlvArgs(const QString& video, const QString& audio, double seconds,
                           const QString& out) {
    return {"-f",
            "lavfi",
            "-i",
            video,
            "-f",
            "lavfi",
            "-i",
            audio,
            "-t",
            QString::number(seconds),
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-g",
            "30",
            "-keyint_min",
            "30",
            "-sc_threshold",
            "0",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-f",
            "flv",
            out};
}

QString sineMinus20dBFS() {
    return "aevalsrc=0.1*sin(2*PI*1000*t):s=48000:c=stereo";
}

std::vector<stream::PacketPtr> flvPackets(const QString& path, QString* error) {
    auto bytes = readAll(path, error);
    if (bytes.empty()) {
        return {};
    }
    flv::FlvReader reader;
    std::vector<flv::Tag> tags;
    if (auto ok = reader.feed(bytes, tags); !ok) {
        *error = QString::fromStdString(ok.error().message());
        return {};
    }
    std::vector<stream::PacketPtr> out;
    for (const auto& tag : tags) {
        const auto ts = static_cast<std::int64_t>(tag.timestampMs);
        if (tag.type == flv::TagType::Video) {
            auto info = flv::parseVideoTag(tag.body);
            if (!info) {
                *error = QString::fromStdString(info.error().message());
                return {};
            }
            const bool config = info->kind == flv::VideoPacketKind::SequenceHeader;
            const bool key = info->keyframe && info->kind == flv::VideoPacketKind::CodedFrames;
            out.push_back(makePacket(stream::TrackKind::Video, ts, info->compositionTime, key,
                                     config, tag.body));
        } else if (tag.type == flv::TagType::Audio) {
            auto info = flv::parseAudioTag(tag.body);
            if (!info) {
                *error = QString::fromStdString(info.error().message());
                return {};
            }
            out.push_back(
                makePacket(stream::TrackKind::Audio, ts, 0, false, info->sequenceHeader, tag.body));
        }
    }
    return out;
}

std::vector<stream::PacketPtr> tsPackets(const QString& path, QString* error) {
    auto bytes = readAll(path, error);
    if (bytes.empty()) {
        return {};
    }
    protocol::mpegts::TsDemuxer demuxer;
    std::vector<protocol::mpegts::DemuxedPacket> demuxed;
    if (auto ok = demuxer.feed(bytes, demuxed); !ok) {
        *error = QString::fromStdString(ok.error().message());
        return {};
    }
    demuxer.flush(demuxed);
    std::vector<stream::PacketPtr> out;
    for (const auto& d : demuxed) {
        const auto kind = d.kind == protocol::mpegts::DemuxedPacket::Kind::Video
                              ? stream::TrackKind::Video
                              : stream::TrackKind::Audio;
        out.push_back(makePacket(kind, d.dtsMs, d.ctsMs, d.keyframe, d.config, d.flvBody));
    }
    return out;
}

std::optional<double> ffmpegIntegratedLoudness(const QString& path, QString* log) {
    QString output;
    const int rc = stagecast::test::Ffmpeg::run(
        {"-hide_banner", "-nostats", "-i", path, "-af", "ebur128", "-f", "null", "-"}, &output,
        120000);
    *log = output;
    const auto summary = output.indexOf("Summary:");
    if (rc != 0 || summary < 0) {
        return std::nullopt;
    }
    static const QRegularExpression integrated("I:\\s+(-?[0-9.]+) LUFS");
    auto match = integrated.match(output, summary);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    return match.captured(1).toDouble();
}

QJsonObject ffprobeJson(const QStringList& args, QString* log) {
    QProcess p;
    QStringList all{"-hide_banner", "-v", "error"};
    all += args;
    all += QStringList{"-of", "json"};
    p.start("ffprobe", all);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        *log = "ffprobe timed out";
        return {};
    }
    *log = QString::fromUtf8(p.readAllStandardError());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

stream::PacketPtr truncated(const stream::PacketPtr& packet, std::size_t size) {
    auto copy = std::make_shared<stream::MediaPacket>(*packet);
    copy->payload.resize(std::min(size, copy->payload.size()));
    return copy;
}

} // namespace stagecast::media::test
