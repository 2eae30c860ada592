#pragma once
// The recordings API and files of a running studio, for integration tests.

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <memory>

#include "StudioProcess.h"

namespace stagecast::test {

/// A signed ffmpeg RTMP publish of `seconds` of 320x240 testsrc2 + sine (1 s GOP) to `stream`.
std::unique_ptr<QProcess> publishSmall(StudioProcess& studio, const QString& stream, int seconds);

/// GET /api/v1/recordings?QUERY: the "recordings" array (empty on any error).
QJsonArray listRecordings(StudioProcess& studio, const QString& query = {});
/// Waits until a recording of `stream` is in `state`; returns it (empty object on timeout).
QJsonObject waitForRecording(StudioProcess& studio, const QString& stream, const QString& state,
                             int timeoutMs);
/// The media duration of a file in seconds from ffprobe (-1 when it cannot be read).
double mediaSeconds(const QString& path);
/// ffprobe's codec names of a file's streams, sorted ("aac", "h264").
QStringList codecNames(const QString& path);

} // namespace stagecast::test
