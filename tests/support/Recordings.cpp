#include "Recordings.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include "FfTools.h"
#include "Http.h"

namespace stagecast::test {

std::unique_ptr<QProcess> publishSmall(StudioProcess& studio, const QString& stream, int seconds) {
    PublisherSpec spec;
    spec.url = studio.sign(studio.rtmpUrl(stream));
    spec.seconds = seconds;
    spec.size = "320x240";
    spec.gopFrames = 30;
    spec.videoBitrate = "300k";
    return Ffmpeg::publish(spec);
}

QJsonArray listRecordings(StudioProcess& studio, const QString& query) {
    auto url = QString("http://127.0.0.1:%1/api/v1/recordings").arg(studio.httpPort());
    if (!query.isEmpty()) {
        url += "?" + query;
    }
    return httpRequest("GET", url, studio.apiToken()).json().value("recordings").toArray();
}

QJsonObject waitForRecording(StudioProcess& studio, const QString& stream, const QString& state,
                             int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        for (const auto& r : listRecordings(studio, "stream=" + stream)) {
            if (r.toObject().value("state").toString() == state) {
                return r.toObject();
            }
        }
        QTest::qWait(250);
    }
    return {};
}

double mediaSeconds(const QString& path) {
    QProcess p;
    p.start("ffprobe", {"-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path});
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        return -1;
    }
    bool ok = false;
    const double seconds = QString::fromUtf8(p.readAllStandardOutput()).trimmed().toDouble(&ok);
    return ok ? seconds : -1;
}

QStringList codecNames(const QString& path) {
    QProcess p;
    p.start("ffprobe",
            {"-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path});
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        return {};
    }
    auto names = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    for (auto& n : names) {
        n = n.trimmed();
    }
    names.sort();
    return names;
}

} // namespace stagecast::test
