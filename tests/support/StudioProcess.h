#pragma once
// Runs a real `stagecast --headless` on free loopback ports with a private data folder, for
// integration tests. Captures its log so tests can assert on the lines a user would read.

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace stagecast::test {

class StudioProcess {
public:
    StudioProcess();
    ~StudioProcess();

    /// Optional TOML written to DATA/config.toml and passed with --config.
    void setConfig(const QString& toml) { config_ = toml; }
    /// Starts and waits for the READY line; false (with the log in `error()`) on failure.
    bool start(int timeoutMs = 20000);
    /// SIGTERM, then waits; returns the exit code (-1 if it had to be killed).
    int stop(int timeoutMs = 10000);
    /// SIGKILL, as a crash or a power cut would end it; waits until it is gone. start() may be
    /// called again afterwards: same data folder, new ports.
    void killHard();

    int rtmpPort() const { return rtmpPort_; }
    int httpPort() const { return httpPort_; }
    int srtPort() const { return srtPort_; }
    QString dataDir() const { return dir_.path(); }
    QString rtmpUrl(const QString& appStream) const;
    QString flvUrl(const QString& appStream) const;
    /// Runs `stagecast sign-url` against this data folder.
    QString sign(const QString& url, int expiresSeconds = 3600) const;
    QString apiToken() const;
    /// Everything the server logged so far (stderr) and printed (stdout).
    QString log();
    bool waitForLog(const QString& fragment, int timeoutMs);
    QString error() const { return error_; }
    qint64 pid() const { return process_.processId(); }

    static QString binary();

private:
    QTemporaryDir dir_;
    QProcess process_;
    QString config_;
    QString output_;
    QString error_;
    int rtmpPort_ = 0;
    int httpPort_ = 0;
    int srtPort_ = 0;
};

/// Runs `stagecast` with arguments to completion; returns exit code, fills stdout/stderr.
int runStagecast(const QStringList& args, QString* out, QString* err, int timeoutMs = 20000);

} // namespace stagecast::test
