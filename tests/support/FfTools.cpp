#include "FfTools.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace stagecast::test {

bool finished(QProcess& p, int timeoutMs) {
    return p.state() == QProcess::NotRunning || p.waitForFinished(timeoutMs);
}

std::unique_ptr<QProcess> Ffmpeg::publish(const PublisherSpec& s) {
    auto p = std::make_unique<QProcess>();
    p->setProcessChannelMode(QProcess::MergedChannels);
    QString video = QString("%1=size=%2:rate=%3").arg(s.videoSource, s.size).arg(s.fps);
    if (s.videoSource.contains('=')) {
        video = QString("%1:size=%2:rate=%3").arg(s.videoSource, s.size).arg(s.fps);
    }
    QStringList args{"-hide_banner", "-loglevel", "warning", "-re", "-f", "lavfi", "-i", video};
    if (s.audio) {
        args << "-f"
             << "lavfi"
             << "-i" << s.audioSource;
    }
    args << "-t" << QString::number(s.seconds) << "-c:v"
         << "libx264"
         << "-preset"
         << "ultrafast"
         << "-tune"
         << "zerolatency"
         << "-pix_fmt"
         << "yuv420p"
         << "-g" << QString::number(s.gopFrames) << "-b:v" << s.videoBitrate << "-maxrate"
         << s.videoBitrate << "-bufsize" << s.videoBitrate;
    if (s.audio) {
        args << "-c:a"
             << "aac"
             << "-b:a"
             << "128k"
             << "-ar"
             << "48000"
             << "-ac"
             << "2";
    }
    args << "-f"
         << "flv" << s.url;
    p->start("ffmpeg", args);
    p->waitForStarted(5000);
    return p;
}

QJsonObject Ffmpeg::probe(const QString& url, QString* err, int timeoutMs) {
    QProcess p;
    p.start("ffprobe", {"-hide_banner", "-v", "error", "-rw_timeout", "10000000", "-show_streams",
                        "-of", "json", url});
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        if (err) {
            *err = "ffprobe timed out";
        }
        return {};
    }
    if (err) {
        *err = QString::fromUtf8(p.readAllStandardError());
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

Ffmpeg::DecodeResult Ffmpeg::decode(const QString& url, int seconds, int timeoutMs) {
    DecodeResult r;
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("ffmpeg",
            {"-hide_banner", "-nostats", "-loglevel", "info", "-rw_timeout", "10000000", "-i", url,
             "-t", QString::number(seconds), "-map", "0:v:0", "-f", "null", "-"});
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    r.exitCode = p.exitCode();
    r.log = QString::fromUtf8(p.readAll());
    static const QRegularExpression frames("frame=\\s*(\\d+)");
    auto it = frames.globalMatch(r.log);
    while (it.hasNext()) {
        r.videoFrames = it.next().captured(1).toInt();
    }
    static const QRegularExpression errors(
        "(error while decoding|corrupt|concealing|non-existing PPS|no frame!|Invalid data)",
        QRegularExpression::CaseInsensitiveOption);
    r.decodeErrors = static_cast<int>(r.log.count(errors));
    return r;
}

int Ffmpeg::run(const QStringList& args, QString* log, int timeoutMs) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("ffmpeg", args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (log) {
        *log = QString::fromUtf8(p.readAll());
    }
    return p.exitCode();
}

} // namespace stagecast::test
