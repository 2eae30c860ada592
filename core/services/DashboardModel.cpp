#include "services/DashboardModel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace stagecast::services {

namespace {

enum Fetch { Health = 0, Viewers = 1, Alerts = 2, Queue = 3, Recordings = 4, Active = 5 };

QString compact(const QJsonValue& v) {
    if (v.isString()) {
        return v.toString();
    }
    if (v.isObject()) {
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    if (v.isArray()) {
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    }
    return {};
}

} // namespace

DashboardModel::DashboardModel(StudioClient& client, QString moderator, QObject* parent)
    : QObject(parent), client_(client), moderator_(std::move(moderator)) {
    connect(&timer_, &QTimer::timeout, this, &DashboardModel::poll);
}

void DashboardModel::start(int intervalMs) {
    timer_.start(intervalMs);
    poll();
}

void DashboardModel::poll() {
    fetch("/health", Health);
    fetch("/viewers", Viewers);
    fetch("/alerts?state=open&limit=200", Alerts);
    fetch("/moderation/items?state=pending,escalated&order=oldest&limit=200", Queue);
    fetch("/recordings?limit=50", Recordings);
    fetch("/recordings/active", Active);
}

void DashboardModel::fetch(const QString& path, int which) {
    if (inFlight_[which]) {
        return;
    }
    inFlight_[which] = true;
    client_.get(path, [this, path, which](const QJsonObject& answer, const QString& error) {
        inFlight_[which] = false;
        if (!error.isEmpty()) {
            emit failed(path.section('?', 0, 0).mid(1) + ": " + error);
            return;
        }
        switch (which) {
        case Health:
            parseHealth(answer);
            break;
        case Viewers:
            parseViewers(answer);
            break;
        case Alerts:
            parseAlerts(answer);
            break;
        case Recordings:
            parseRecordings(answer);
            break;
        case Active:
            parseActive(answer);
            break;
        default:
            parseQueue(answer);
            break;
        }
        emit changed();
    });
}

void DashboardModel::parseHealth(const QJsonObject& answer) {
    streams_.clear();
    for (const auto& v : answer.value("streams").toArray()) {
        const auto o = v.toObject();
        const auto video = o.value("video").toObject();
        const auto publisher = o.value("publisher").toObject();
        StreamRow row;
        row.stream = o.value("stream").toString();
        row.protocol = publisher.value("protocol").toString();
        if (!video.value("codec").toString().isEmpty()) {
            row.video = QString("%1 %2x%3")
                            .arg(video.value("codec").toString())
                            .arg(video.value("width").toInt())
                            .arg(video.value("height").toInt());
        }
        row.videoKbps = video.value("kbps").toDouble();
        row.audioKbps = o.value("audio").toObject().value("kbps").toDouble();
        row.fps = video.value("fps").toDouble();
        row.keyframeIntervalS = video.value("keyframe_interval_s").toDouble();
        row.viewers = o.value("viewers").toInt();
        row.stalled = o.value("stalled").toBool();
        row.uptimeS = static_cast<qint64>(std::floor(publisher.value("uptime_s").toDouble()));
        streams_.push_back(row);
    }
}

void DashboardModel::parseViewers(const QJsonObject& answer) {
    viewersNow_ = answer.value("current").toInt();
    viewersPeak_ = answer.value("peak").toInt();
    QStringList parts;
    const auto byProtocol = answer.value("by_protocol").toObject();
    for (auto it = byProtocol.begin(); it != byProtocol.end(); ++it) {
        parts << QString("%1 %2").arg(it.key()).arg(it.value().toObject().value("current").toInt());
    }
    viewersByProtocol_ = parts.join(", ");
}

void DashboardModel::parseAlerts(const QJsonObject& answer) {
    alerts_.clear();
    for (const auto& v : answer.value("alerts").toArray()) {
        const auto o = v.toObject();
        alerts_.push_back({o.value("id").toInteger(), o.value("stream").toString(),
                           o.value("kind").toString(), o.value("severity").toString(),
                           static_cast<qint64>(o.value("duration_s").toDouble()),
                           compact(o.value("details"))});
    }
}

void DashboardModel::parseQueue(const QJsonObject& answer) {
    queue_.clear();
    for (const auto& v : answer.value("items").toArray()) {
        const auto o = v.toObject();
        QStringList labels;
        for (const auto& l : o.value("labels").toArray()) {
            labels << compact(l);
        }
        queue_.push_back({o.value("id").toInteger(), o.value("kind").toString(),
                          o.value("stream").toString(), o.value("author").toString(),
                          o.value("text").toString(), o.value("state").toString(),
                          labels.join(", ")});
    }
}

void DashboardModel::parseRecordings(const QJsonObject& answer) {
    recordings_.clear();
    for (const auto& v : answer.value("recordings").toArray()) {
        const auto o = v.toObject();
        recordings_.push_back({o.value("id").toInteger(), o.value("stream").toString(),
                               o.value("started_at").toString(), o.value("duration_ms").toInteger(),
                               o.value("size_bytes").toInteger(), o.value("state").toString(),
                               o.value("reason").toString()});
    }
}

void DashboardModel::parseActive(const QJsonObject& answer) {
    recordingNow_.clear();
    for (const auto& v : answer.value("recorders").toArray()) {
        recordingNow_ << v.toObject().value("stream").toString();
    }
    const auto disk = answer.value("disk").toObject();
    diskProblem_ = disk.value("low").toBool()
                       ? tr("disk low: %1 MB free in %2")
                             .arg(disk.value("available_bytes").toInteger() / 1000000)
                             .arg(disk.value("folder").toString())
                       : QString();
}

void DashboardModel::startRecording(const QString& stream) {
    client_.post("/recordings/active", {{"stream", stream}},
                 [this, stream](const QJsonObject&, const QString& error) {
                     emit recordingChanged(stream, true, error);
                     fetch("/recordings/active", Active);
                 });
}

void DashboardModel::stopRecording(const QString& stream) {
    client_.del("/recordings/active/" + stream,
                [this, stream](const QJsonObject&, const QString& error) {
                    emit recordingChanged(stream, false, error);
                    fetch("/recordings/active", Active);
                    fetch("/recordings?limit=50", Recordings);
                });
}

void DashboardModel::decide(const std::vector<qint64>& ids, const QString& action,
                            const QString& reason) {
    for (const qint64 id : ids) {
        QString seen;
        for (const auto& row : queue_) {
            if (row.id == id) {
                seen = row.state;
            }
        }
        QJsonObject body{{"action", action}, {"moderator", moderator_}, {"reason", reason}};
        if (!seen.isEmpty()) {
            body["seen"] = seen;
        }
        client_.post(QString("/moderation/items/%1/actions").arg(id), body,
                     [this, id, action](const QJsonObject&, const QString& error) {
                         emit decided(id, action, error);
                         fetch("/moderation/items?state=pending,escalated&order=oldest&limit=200",
                               Queue);
                     });
    }
}

} // namespace stagecast::services
