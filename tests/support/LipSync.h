#pragma once
// Lip sync as a broadcast engineer checks it: a flash-and-beep test signal (a white picture
// and a 1 kHz beep for the first 100 ms of every second, black and silence otherwise) is
// published, a stretch of the stream under test is saved, and each flash's first frame is
// paired with its beep's first 5 ms by the file's own timestamps. The offset is audio minus
// video: negative when the sound comes first.

#include <QString>
#include <QStringList>
#include <QVector>

namespace stagecast::test {

/// The ffmpeg arguments of a real-time flash-and-beep publisher to `url` (FLV over RTMP),
/// 320x240 at 30 fps, a keyframe every second, AAC stereo 48 kHz.
QStringList flashAndBeepPublisher(const QString& url, int seconds);
/// The same signal as a file (MP4 when `file` ends so), written as fast as ffmpeg can.
QStringList flashAndBeepFile(const QString& file, int seconds);

struct SyncMarks {
    QVector<double> flashes; // seconds: a frame's mean luma first above half
    QVector<double> beeps;   // seconds: a 5 ms window's RMS first above -30 dBFS
    QString log;             // ffmpeg's messages when something failed
};

/// The flash and beep onsets in a media file (decoded with the ffmpeg tool).
SyncMarks findSyncMarks(const QString& file);

/// Audio minus video, in milliseconds, for every flash that has a beep within 500 ms.
QVector<double> syncOffsetsMs(const SyncMarks& marks);

/// The median of `values` (0 when empty).
double median(QVector<double> values);

} // namespace stagecast::test
