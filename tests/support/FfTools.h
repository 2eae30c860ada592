#pragma once
// The ffmpeg and ffprobe command-line tools as real publishers and players.

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <memory>

namespace stagecast::test {

/// True once `p` has exited (also when it already exited while the test's event loop ran:
/// QProcess::waitForFinished alone answers false then).
bool finished(QProcess& p, int timeoutMs);

/// A running ffmpeg publisher: testsrc2 + sine, H.264 + AAC, in real time.
struct PublisherSpec {
    QString url;
    int seconds = 30;
    QString size = "1280x720";
    int fps = 30;
    int gopFrames = 60;
    QString videoBitrate = "1500k";
    QString videoSource = "testsrc2"; // lavfi source name (e.g. "color=c=black")
    bool audio = true;
    QString audioSource = "sine=frequency=1000:sample_rate=48000";
};

class Ffmpeg {
public:
    /// Starts a publisher; check `running()` shortly after.
    static std::unique_ptr<QProcess> publish(const PublisherSpec& spec);
    /// ffprobe -show_streams as JSON; empty object on failure (stderr in `err`).
    static QJsonObject probe(const QString& url, QString* err = nullptr, int timeoutMs = 20000);
    struct DecodeResult {
        int exitCode = -1;
        int videoFrames = 0;
        int decodeErrors = 0;
        QString log;
    };
    /// Decodes `seconds` of `url` to null and counts frames and decoder errors.
    static DecodeResult decode(const QString& url, int seconds, int timeoutMs = 60000);
    /// Runs ffmpeg with args to completion.
    static int run(const QStringList& args, QString* log, int timeoutMs = 60000);
};

} // namespace stagecast::test
