#include "LipSync.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>

#include "FfTools.h"

namespace stagecast::test {

namespace {

/// (pts, value) pairs from ffmpeg's metadata filter printing `key` for each frame.
QVector<QPair<double, double>> printed(const QString& output, const QString& key) {
    static const QRegularExpression ptsLine("pts_time:(-?[0-9.]+)");
    QVector<QPair<double, double>> out;
    double pts = NAN;
    for (const auto& line : output.split('\n')) {
        if (auto m = ptsLine.match(line); m.hasMatch()) {
            pts = m.captured(1).toDouble();
        } else if (line.startsWith(key + "=") && !std::isnan(pts)) {
            const auto value = line.mid(key.size() + 1).trimmed();
            out.append({pts, value == "-inf" ? -200.0 : value.toDouble()});
        }
    }
    return out;
}

QVector<double> onsets(const QVector<QPair<double, double>>& samples, double threshold) {
    QVector<double> out;
    bool above = true; // a stretch that starts mid-flash is not an onset
    for (const auto& [pts, value] : samples) {
        const bool now = value > threshold;
        if (now && !above) {
            out.append(pts);
        }
        above = now;
    }
    return out;
}

// The signal's inputs and its encoding (H.264 with a keyframe every second, AAC stereo 48 kHz).
QStringList flashAndBeep(int seconds) {
    return {"-f",
            "lavfi",
            "-i",
            "color=c=black:s=320x240:r=30,"
            "drawbox=c=white:t=fill:enable='lt(mod(t\\,1)\\,0.1)'",
            "-f",
            "lavfi",
            "-i",
            "aevalsrc='if(lt(mod(t\\,1)\\,0.1)\\,0.5*sin(2*PI*1000*t)\\,0)':s=48000",
            "-t",
            QString::number(seconds),
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-tune",
            "zerolatency",
            "-pix_fmt",
            "yuv420p",
            "-g",
            "30",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-ar",
            "48000",
            "-ac",
            "2"};
}

} // namespace

QStringList flashAndBeepPublisher(const QString& url, int seconds) {
    return QStringList{"-hide_banner", "-loglevel", "warning", "-re"} + flashAndBeep(seconds) +
           QStringList{"-f", "flv", url};
}

QStringList flashAndBeepFile(const QString& file, int seconds) {
    return QStringList{"-hide_banner", "-loglevel", "warning", "-y"} + flashAndBeep(seconds) +
           QStringList{"-movflags", "+faststart", file};
}

SyncMarks findSyncMarks(const QString& file) {
    SyncMarks marks;
    QString video;
    if (Ffmpeg::run({"-hide_banner", "-loglevel", "error", "-i", file, "-an", "-vf",
                     "signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-", "-f", "null",
                     "-"},
                    &video) != 0) {
        marks.log = video.right(2000);
        return marks;
    }
    QString audio;
    if (Ffmpeg::run({"-hide_banner", "-loglevel", "error", "-i", file, "-vn", "-af",
                     "aresample=48000,pan=mono|c0=c0,asetnsamples=n=240:p=0,"
                     "astats=metadata=1:reset=1,"
                     "ametadata=print:key=lavfi.astats.Overall.RMS_level:file=-",
                     "-f", "null", "-"},
                    &audio) != 0) {
        marks.log = audio.right(2000);
        return marks;
    }
    marks.flashes = onsets(printed(video, "lavfi.signalstats.YAVG"), 128);
    marks.beeps = onsets(printed(audio, "lavfi.astats.Overall.RMS_level"), -30);
    return marks;
}

QVector<double> syncOffsetsMs(const SyncMarks& marks) {
    QVector<double> out;
    for (double flash : marks.flashes) {
        const auto nearest =
            std::min_element(marks.beeps.begin(), marks.beeps.end(), [flash](double a, double b) {
                return std::fabs(a - flash) < std::fabs(b - flash);
            });
        if (nearest != marks.beeps.end() && std::fabs(*nearest - flash) < 0.5) {
            out.append((*nearest - flash) * 1000.0);
        }
    }
    return out;
}

double median(QVector<double> values) {
    if (values.isEmpty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace stagecast::test
