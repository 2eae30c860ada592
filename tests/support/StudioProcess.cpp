#include "StudioProcess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QThread>

#include <csignal>

namespace stagecast::test {

QString StudioProcess::binary() {
    // STAGECAST_BINARY in the environment runs another build (a frozen copy for a test loop
    // while the tree is rebuilt, or a sanitizer build).
    return qEnvironmentVariable("STAGECAST_BINARY", QStringLiteral(STAGECAST_BINARY));
}

StudioProcess::StudioProcess() {
    process_.setProcessChannelMode(QProcess::MergedChannels);
}

StudioProcess::~StudioProcess() {
    if (process_.state() != QProcess::NotRunning) {
        process_.kill();
        process_.waitForFinished(5000);
    }
}

bool StudioProcess::start(int timeoutMs) {
    QStringList args{"--headless", "--data-dir", dir_.path(), "--rtmp-port", "0", "--http-port",
                     "0",          "--srt-port", "0"};
    if (!config_.isEmpty()) {
        QFile f(dir_.filePath("config.toml"));
        if (!f.open(QIODevice::WriteOnly)) {
            error_ = "cannot write config";
            return false;
        }
        f.write(config_.toUtf8());
        f.close();
        args << "--config" << f.fileName();
    }
    if (process_.isOpen()) {
        output_ += QString::fromUtf8(process_.readAll());
    }
    const auto before = output_.size();
    process_.start(binary(), args);
    if (!process_.waitForStarted(5000)) {
        error_ = "cannot start " + binary() + ": " + process_.errorString();
        return false;
    }
    static const QRegularExpression ready("STAGECAST READY rtmp=(\\d+) http=(\\d+) srt=(\\d+)");
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        process_.waitForReadyRead(100);
        output_ += QString::fromUtf8(process_.readAll());
        auto m = ready.match(output_, before);
        if (m.hasMatch()) {
            rtmpPort_ = m.captured(1).toInt();
            httpPort_ = m.captured(2).toInt();
            srtPort_ = m.captured(3).toInt();
            return true;
        }
        if (process_.state() == QProcess::NotRunning) {
            break;
        }
    }
    error_ = "stagecast did not become ready; output:\n" + output_;
    return false;
}

int StudioProcess::stop(int timeoutMs) {
    if (process_.state() == QProcess::NotRunning) {
        // Ended before the stop: a crash is not an exit code (QProcess gives the signal).
        if (process_.exitStatus() == QProcess::CrashExit) {
            output_ += QString::fromUtf8(process_.readAll());
            output_ += QString("\n[test] stagecast crashed (signal %1) before the stop\n")
                           .arg(process_.exitCode());
            return -1;
        }
        return process_.exitCode();
    }
    ::kill(static_cast<pid_t>(process_.processId()), SIGTERM);
    if (!process_.waitForFinished(timeoutMs)) {
        process_.kill();
        process_.waitForFinished(3000);
        return -1;
    }
    output_ += QString::fromUtf8(process_.readAll());
    return process_.exitStatus() == QProcess::NormalExit ? process_.exitCode() : -1;
}

void StudioProcess::killHard() {
    if (process_.state() == QProcess::NotRunning) {
        return;
    }
    ::kill(static_cast<pid_t>(process_.processId()), SIGKILL);
    process_.waitForFinished(5000);
    output_ += QString::fromUtf8(process_.readAll());
}

QString StudioProcess::rtmpUrl(const QString& appStream) const {
    return QString("rtmp://127.0.0.1:%1/%2").arg(rtmpPort_).arg(appStream);
}

QString StudioProcess::flvUrl(const QString& appStream) const {
    return QString("http://127.0.0.1:%1/%2.flv").arg(httpPort_).arg(appStream);
}

QString StudioProcess::sign(const QString& url, int expiresSeconds) const {
    QString out, err;
    QStringList args{
        "sign-url", "--data-dir", dir_.path(), "--expires", QString::number(expiresSeconds), url};
    if (!config_.isEmpty()) {
        args << "--config" << QDir(dir_.path()).filePath("config.toml");
    }
    runStagecast(args, &out, &err);
    return out.trimmed();
}

QString StudioProcess::apiToken() const {
    QString out, err;
    runStagecast({"api-token", "--data-dir", dir_.path()}, &out, &err);
    return out.trimmed();
}

QString StudioProcess::log() {
    output_ += QString::fromUtf8(process_.readAll());
    return output_;
}

bool StudioProcess::waitForLog(const QString& fragment, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (log().contains(fragment)) {
            return true;
        }
        process_.waitForReadyRead(100);
    }
    return log().contains(fragment);
}

int runStagecast(const QStringList& args, QString* out, QString* err, int timeoutMs) {
    QProcess p;
    p.start(StudioProcess::binary(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (out) {
        *out = QString::fromUtf8(p.readAllStandardOutput());
    }
    if (err) {
        *err = QString::fromUtf8(p.readAllStandardError());
    }
    return p.exitCode();
}

} // namespace stagecast::test
