#pragma once
/// The studio's monitoring and moderation as the GUI's dashboard sees it: stream health
/// (GET /health), viewers (GET /viewers), open alerts (GET /alerts?state=open), the review
/// queue (pending and escalated items, oldest first) and the recordings polled once a second, each
/// with at most one request in flight; and the moderator's decisions, sent per item with the state
/// the moderator saw, so a decision someone else made meanwhile is refused (409), not overwritten.
/// GUI thread only.

#include <QObject>
#include <QString>
#include <QTimer>
#include <vector>

#include "services/StudioClient.h"

namespace stagecast::services {

struct StreamRow {
    QString stream;
    QString protocol; // of the publisher: rtmp, srt, ...
    QString video;    // "h264 1280x720"
    double videoKbps = 0;
    double audioKbps = 0;
    double fps = 0;
    double keyframeIntervalS = 0;
    int viewers = 0;
    bool stalled = false;
    qint64 uptimeS = 0;
};

struct AlertRow {
    qint64 id = 0;
    QString stream;
    QString kind;
    QString severity;
    qint64 durationS = 0;
    QString details; // the alert's details as compact JSON
};

struct ReviewRow {
    qint64 id = 0;
    QString kind; // chat, question, manual, auth, ...
    QString stream;
    QString author;
    QString text;
    QString state;  // pending, escalated
    QString labels; // "word:badword, pii:phone"
};

struct RecordingRow {
    qint64 id = 0;
    QString stream;
    QString startedAt; // RFC 3339
    qint64 durationMs = 0;
    qint64 sizeBytes = 0;
    QString state; // recording, complete, failed, recovered, deleted
    QString reason;
};

class DashboardModel : public QObject {
    Q_OBJECT

public:
    /// `moderator` is stored with every decision (as "operator:NAME" by the studio).
    DashboardModel(StudioClient& client, QString moderator, QObject* parent = nullptr);

    void start(int intervalMs = 1000);

    const std::vector<StreamRow>& streams() const { return streams_; }
    const std::vector<AlertRow>& alerts() const { return alerts_; }
    const std::vector<ReviewRow>& queue() const { return queue_; }
    int viewersNow() const { return viewersNow_; }
    int viewersPeak() const { return viewersPeak_; }
    /// "rtmp 1, flv 2, hls 0" for the protocols that had viewers.
    QString viewersByProtocol() const { return viewersByProtocol_; }
    /// The newest recordings (GET /recordings?limit=50) and the streams being recorded now
    /// (GET /recordings/active), with the disk guard's word when the disk is low.
    const std::vector<RecordingRow>& recordings() const { return recordings_; }
    const QStringList& recording() const { return recordingNow_; }
    QString diskProblem() const { return diskProblem_; }
    /// Starts or stops an on-demand recording of `stream` (APP/NAME); the outcome comes as
    /// `recordingChanged`.
    void startRecording(const QString& stream);
    void stopRecording(const QString& stream);

    /// One decision (approve, reject, dismiss, answer, followup, hold) on queue items, each
    /// with the state shown; `decided` reports each item's outcome.
    void decide(const std::vector<qint64>& ids, const QString& action, const QString& reason);

signals:
    void changed();
    /// An item's decision: `error` empty when it was stored, else the API's reason.
    void decided(qint64 id, const QString& action, const QString& error);
    /// A recording was started or stopped: `error` empty, else the API's reason.
    void recordingChanged(const QString& stream, bool started, const QString& error);
    /// A poll failed: the problem as the API or the network named it.
    void failed(const QString& error);

private:
    void poll();
    void fetch(const QString& path, int which);
    void parseHealth(const QJsonObject& answer);
    void parseViewers(const QJsonObject& answer);
    void parseAlerts(const QJsonObject& answer);
    void parseQueue(const QJsonObject& answer);
    void parseRecordings(const QJsonObject& answer);
    void parseActive(const QJsonObject& answer);

    StudioClient& client_;
    const QString moderator_;
    QTimer timer_;
    bool inFlight_[6] = {false, false, false, false, false, false};
    std::vector<StreamRow> streams_;
    std::vector<AlertRow> alerts_;
    std::vector<ReviewRow> queue_;
    int viewersNow_ = 0;
    int viewersPeak_ = 0;
    QString viewersByProtocol_;
    std::vector<RecordingRow> recordings_;
    QStringList recordingNow_;
    QString diskProblem_;
};

} // namespace stagecast::services
