#include "services/DirectorModel.h"

#include <QJsonArray>
#include <QUrl>

namespace stagecast::services {

QString describeLayout(const QJsonObject& layout) {
    if (layout.isEmpty()) {
        return {};
    }
    const QString kind = layout.value("layout").toString();
    if (kind == "full") {
        return layout.value("main").toString();
    }
    if (kind == "pip") {
        return "pip: " + layout.value("main").toString() + " + " + layout.value("inset").toString();
    }
    QStringList names;
    for (const auto& slot : layout.value("slots").toArray()) {
        const auto input = slot.toObject().value("input");
        names << (input.isString() ? input.toString() : QString("-"));
    }
    return kind + ": " + names.join(", ");
}

DirectorModel::DirectorModel(StudioClient& client, QObject* parent)
    : QObject(parent), client_(client) {
    connect(&timer_, &QTimer::timeout, this, &DirectorModel::poll);
}

void DirectorModel::start(int intervalMs) {
    timer_.start(intervalMs);
    poll();
    fetchLayouts();
}

void DirectorModel::fetchLayouts() {
    client_.get("/director/layouts", [this](const QJsonObject& answer, const QString& error) {
        if (!error.isEmpty()) {
            return; // the poll reports a director that is not there
        }
        QStringList names;
        for (const auto& v : answer.value("layouts").toArray()) {
            names << v.toObject().value("name").toString();
        }
        if (names != savedLayouts_) {
            savedLayouts_ = names;
            emit changed();
        }
    });
}

QString DirectorModel::transitionType() const {
    return state_.value("transition").toObject().value("type").toString();
}

int DirectorModel::transitionMs() const {
    return state_.value("transition").toObject().value("duration_ms").toInt(1000);
}

void DirectorModel::setTransition(const QJsonObject& transition) {
    command("/director/transition", transition);
}

void DirectorModel::recallLayout(const QString& name) {
    command("/director/preview", {{"name", name}});
}

void DirectorModel::savePreviewAs(const QString& name, const QJsonObject& transition) {
    const auto preview = state_.value("preview").toObject();
    if (preview.isEmpty()) {
        lastError_ = tr("save: nothing in preview to save");
        emit failed(lastError_);
        return;
    }
    QJsonObject body{{"layout", preview}};
    if (!transition.isEmpty()) {
        body["transition"] = transition;
    }
    client_.put("/director/layouts/" + QUrl::toPercentEncoding(name), body,
                [this](const QJsonObject&, const QString& error) {
                    if (!error.isEmpty()) {
                        lastError_ = "save: " + error;
                        emit failed(lastError_);
                    }
                    fetchLayouts();
                });
}

void DirectorModel::poll() {
    if (++polls_ % 4 == 1) {
        fetchInputs();
    }
    if (inFlight_) {
        return;
    }
    inFlight_ = true;
    client_.get("/director", [this](const QJsonObject& answer, const QString& error) {
        inFlight_ = false;
        if (!error.isEmpty()) {
            running_ = false;
            if (error != lastError_) {
                lastError_ = error;
                emit failed(error);
            }
            emit changed();
            return;
        }
        parse(answer);
        emit changed();
    });
}

void DirectorModel::parse(const QJsonObject& s) {
    state_ = s;
    running_ = s.value("running").toBool();
    inputs_.clear();
    for (const auto& v : s.value("inputs").toArray()) {
        const auto o = v.toObject();
        InputRow row;
        row.id = o.value("stream").toString();
        row.state = o.value("standby").toBool() ? QString("standby") : o.value("state").toString();
        row.onProgram = o.value("on_program").toBool();
        row.onPreview = o.value("on_preview").toBool();
        row.volume = o.value("volume").toDouble(1.0);
        row.muted = o.value("muted").toBool();
        row.hasAudio = o.value("has_audio").toBool(true);
        row.syncOffsetMs = o.value("sync_offset_ms").toInt();
        row.meterDb = o.value("meter").toObject().value("rms_db").toDouble(-100);
        inputs_.push_back(row);
    }
    overlays_.clear();
    for (const auto& v : s.value("overlays").toArray()) {
        const auto o = v.toObject();
        overlays_.push_back(
            {o.value("id").toString(), o.value("kind").toString(), o.value("on").toBool()});
    }
    multiviewOn_ = s.value("multiview").toObject().value("on").toBool();
    previewText_ = describeLayout(s.value("preview").toObject());
    programText_ = describeLayout(s.value("program").toObject());
    const auto canvas = s.value("canvas").toObject();
    canvasText_ = QString("%1x%2@%3, rendered %4, lagged %5; encoder %6")
                      .arg(canvas.value("width").toInt())
                      .arg(canvas.value("height").toInt())
                      .arg(canvas.value("fps").toInt())
                      .arg(canvas.value("rendered_frames").toInteger())
                      .arg(canvas.value("lagged_frames").toInteger())
                      .arg(s.value("program_encoder").toObject().value("id").toString());
}

void DirectorModel::command(const QString& path, const QJsonObject& body) {
    client_.post(path, body, [this, path](const QJsonObject&, const QString& error) {
        if (!error.isEmpty()) {
            lastError_ = path.mid(path.lastIndexOf('/') + 1) + ": " + error;
            emit failed(lastError_);
        } else {
            lastError_.clear();
        }
        poll(); // show the result at once
    });
}

void DirectorModel::setPreviewInput(const QString& id) {
    command("/director/preview", {{"input", id}});
}

void DirectorModel::setPreviewLayout(const QJsonObject& layout) {
    command("/director/preview", layout);
}

void DirectorModel::cut() {
    command("/director/cut", {});
}

void DirectorModel::autoTake() {
    command("/director/auto", {});
}

void DirectorModel::setTbar(double position) {
    command("/director/tbar", {{"position", position}});
}

void DirectorModel::setVolume(const QString& id, double volume) {
    command("/director/audio", {{"input", id}, {"volume", volume}});
}

void DirectorModel::setMuted(const QString& id, bool muted) {
    command("/director/audio", {{"input", id}, {"muted", muted}});
}

void DirectorModel::setSyncOffset(const QString& id, int ms) {
    command("/director/audio", {{"input", id}, {"sync_offset_ms", ms}});
}

QString DirectorModel::programMeterText() const {
    const auto meter = state_.value("program_meter").toObject();
    const double rms = meter.value("rms_db").toDouble(-100);
    const double peak = meter.value("peak_db").toDouble(-100);
    if (rms <= -99 && peak <= -99) {
        return tr("Program  silent");
    }
    return tr("Program  RMS %1 dB  peak %2 dB").arg(rms, 0, 'f', 1).arg(peak, 0, 'f', 1);
}

void DirectorModel::setOverlay(const QString& id, bool on) {
    command("/director/overlay", {{"id", id}, {"on", on}});
}

void DirectorModel::defineOverlay(const QJsonObject& body,
                                  std::function<void(const QString& error)> done) {
    client_.post("/director/overlay", body,
                 [this, done = std::move(done)](const QJsonObject&, const QString& error) {
                     done(error);
                     poll();
                 });
}

void DirectorModel::removeOverlay(const QString& id) {
    command("/director/overlay", {{"id", id}, {"remove", true}});
}

void DirectorModel::setMultiview(bool on) {
    command("/director/multiview", {{"on", on}});
}

namespace {

QString inputPath(const QString& id) {
    return "/director/inputs/" + QString::fromUtf8(QUrl::toPercentEncoding(id, "/:"));
}

} // namespace

void DirectorModel::fetchInputs() {
    if (inputsInFlight_) {
        return;
    }
    inputsInFlight_ = true;
    client_.get("/director/inputs", [this](const QJsonObject& answer, const QString& error) {
        inputsInFlight_ = false;
        if (!error.isEmpty()) {
            return; // the state poll reports a director that is not there
        }
        std::map<QString, QString> backups;
        for (const auto& v : answer.value("inputs").toArray()) {
            const auto o = v.toObject();
            backups[o.value("id").toString()] = o.value("backup").toString();
        }
        if (backups != backups_) {
            backups_ = std::move(backups);
            emit changed();
        }
    });
}

QString DirectorModel::backupOf(const QString& id) const {
    const auto it = backups_.find(id);
    return it != backups_.end() ? it->second : QString();
}

void DirectorModel::addInput(const QJsonObject& body,
                             std::function<void(const QString& error)> done) {
    client_.post("/director/inputs", body,
                 [this, done = std::move(done)](const QJsonObject&, const QString& error) {
                     done(error);
                     poll();
                 });
}

void DirectorModel::removeInput(const QString& id) {
    client_.del(inputPath(id), [this, id](const QJsonObject&, const QString& error) {
        if (!error.isEmpty()) {
            lastError_ = "remove " + id + ": " + error;
            emit failed(lastError_);
        }
        poll();
    });
}

void DirectorModel::setBackup(const QString& id, const QString& backup) {
    client_.post(inputPath(id) + "/backup", {{"backup", backup}},
                 [this, id](const QJsonObject&, const QString& error) {
                     if (!error.isEmpty()) {
                         lastError_ = "backup of " + id + ": " + error;
                         emit failed(lastError_);
                     }
                     polls_ = 0; // fetch the inputs' backups with the next poll
                     poll();
                 });
}

void DirectorModel::fetchCapture(std::function<void(const QJsonArray& capture)> done) {
    client_.get("/director/capture",
                [done = std::move(done)](const QJsonObject& answer, const QString&) {
                    done(answer.value("capture").toArray());
                });
}

void DirectorModel::fetchThumbnail(const QString& id,
                                   std::function<void(const QImage& picture)> done) {
    client_.getBytes(inputPath(id) + "/thumbnail.jpg",
                     [done = std::move(done)](const QByteArray& jpeg, const QString& error) {
                         done(error.isEmpty() ? QImage::fromData(jpeg, "JPEG") : QImage());
                     });
}

} // namespace stagecast::services
