#pragma once
/// A monitor's pictures: a hub stream (the program, the preview, the multiview) read from
/// the studio's HTTP-FLV URL and decoded on a thread of its own (media::StreamPictures),
/// reconnecting after a second when it is not there (yet) or ends. The GUI thread gets the
/// latest picture only: one hand-off pending at most, never a growing queue.

#include <QImage>
#include <QObject>
#include <QString>
#include <atomic>
#include <mutex>
#include <thread>

namespace stagecast::services {

class StreamMonitor : public QObject {
    Q_OBJECT

public:
    /// `url`: the stream's FLV URL (signed when play auth is on); pictures at most
    /// `maxWidth` wide.
    StreamMonitor(QString url, int maxWidth, QObject* parent = nullptr);
    ~StreamMonitor() override;

    void start();
    void stop();
    /// The latest picture (null before the first one).
    QImage latest() const;
    /// Why the last connection ended, empty while pictures come.
    QString problem() const;

signals:
    void picture();

private:
    void run();

    const QString url_;
    const int maxWidth_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> pending_{false};
    mutable std::mutex mutex_;
    QImage latest_;
    QString problem_;
    std::thread worker_;
};

} // namespace stagecast::services
