#pragma once
// Inputs for the core/media tests: media files made by the ffmpeg CLI, read back into hub
// packets the way the ingests make them (FLV tag bodies).

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "stream/MediaPacket.h"

namespace stagecast::media::test {

/// Runs `ffmpeg -hide_banner -loglevel error -y ARGS`; false (with its output in `log`) on
/// failure.
bool runFfmpeg(const QStringList& args, QString* log);

/// Arguments for a small H.264 + AAC FLV with one keyframe per second: `video` and `audio`
/// are lavfi source descriptions, `out` the file.
QStringList h264AacFlvArgs(const QString& video, const QString& audio, double seconds,
                           const QString& out);

/// The lavfi description of a 1 kHz sine at −20 dBFS peak, stereo, 48 kHz.
QString sineMinus20dBFS();

/// Reads an FLV file into hub packets (configs flagged, keyframes flagged, cts kept), as
/// MediaIngest does. Empty with `error` set on failure.
std::vector<stream::PacketPtr> flvPackets(const QString& path, QString* error);

/// Reads an MPEG-TS file through the TS demuxer (HEVC comes out as Enhanced RTMP 'hvc1').
std::vector<stream::PacketPtr> tsPackets(const QString& path, QString* error);

/// The integrated loudness ffmpeg's ebur128 filter reports for `path` (its summary "I:").
std::optional<double> ffmpegIntegratedLoudness(const QString& path, QString* log);

/// Runs `ffprobe -hide_banner -v error ARGS -of json` and parses its output; an empty object
/// (with stderr in `log`) when it fails or prints no JSON.
QJsonObject ffprobeJson(const QStringList& args, QString* log);

/// A copy of `packet` with its payload cut to `size` bytes.
stream::PacketPtr truncated(const stream::PacketPtr& packet, std::size_t size);

} // namespace stagecast::media::test
