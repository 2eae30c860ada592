#include "DirectorApi.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <QUrl>
#include <algorithm>

#include "AudioLevels.h"
#include "FfTools.h"

namespace stagecast::test {

DirectorApi::~DirectorApi() {
    unpublishAll();
}

bool DirectorApi::start(const QString& extraConfig) {
    error_.clear();
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        error_ = "the director needs an X display (run under xvfb-run: ctest does) or a Wayland "
                 "one";
        return false;
    }
    studio_.setConfig(QString("[director]\nenabled = true\nwidth = %1\nheight = %2\n")
                          .arg(kCanvasWidth)
                          .arg(kCanvasHeight) +
                      extraConfig);
    if (!studio_.start(60000)) {
        error_ = studio_.error();
        return false;
    }
    if (!studio_.waitForLog("program publishes live/program", 20000)) {
        error_ = "the director's program did not publish live/program; log:\n" + studio_.log();
        return false;
    }
    return true;
}

bool DirectorApi::stop() {
    error_.clear();
    events_.close();
    const int code = studio_.stop(20000);
    if (code != 0) {
        // QtTest shortens a failure's message: the log's last lines go out one by one.
        const QStringList lines = studio_.log().split('\n');
        for (qsizetype i = std::max<qsizetype>(0, lines.size() - 60); i < lines.size(); ++i) {
            qWarning("stagecast: %s", qPrintable(lines[i]));
        }
        error_ = QString("stagecast exited with %1 (-1: crashed or killed); its last log "
                         "lines are above")
                     .arg(code);
        return false;
    }
    return true;
}

bool DirectorApi::restart() {
    error_.clear();
    if (!studio_.start(60000)) {
        error_ = studio_.error();
        return false;
    }
    return true;
}

QString DirectorApi::url(const QString& path) const {
    return QString("http://127.0.0.1:%1/api/v1%2").arg(studio_.httpPort()).arg(path);
}

QString DirectorApi::token() {
    // Asked of `stagecast api-token` for every request, as the tests did before this fixture:
    // caching it shortened the time between requests enough that a stinger set just before
    // Auto sometimes showed no frame of its clip (tst_DirectorTransitions).
    return studio_.apiToken();
}

HttpReply DirectorApi::send(const QString& method, const QString& path, const QByteArray& body,
                            int timeoutMs) {
    if (method == "GET" || method == "DELETE") {
        return httpRequest(method, url(path), token(), timeoutMs);
    }
    return httpSend(method, url(path), body, token(), "application/json", timeoutMs);
}

HttpReply DirectorApi::get(const QString& path) {
    return send("GET", "/director" + path, {}, 20000);
}

HttpReply DirectorApi::post(const QString& path, const QByteArray& body) {
    return send("POST", "/director" + path, QByteArray(body).replace('\'', '"'));
}

HttpReply DirectorApi::put(const QString& path, const QByteArray& body) {
    return send("PUT", "/director" + path, QByteArray(body).replace('\'', '"'));
}

HttpReply DirectorApi::del(const QString& path) {
    return send("DELETE", "/director" + path);
}

HttpReply DirectorApi::take(const QByteArray& preview) {
    const auto r = post("/preview", preview);
    if (r.status != 200) {
        return r;
    }
    return post("/cut");
}

QJsonObject DirectorApi::state() {
    return get().json();
}

QJsonObject DirectorApi::input(const QString& stream) {
    for (const auto& i : state().value("inputs").toArray()) {
        if (i.toObject().value("stream").toString() == stream) {
            return i.toObject();
        }
    }
    return {};
}

QJsonObject DirectorApi::inputInfo(const QString& id) {
    for (const auto& i : get("/inputs").json().value("inputs").toArray()) {
        if (i.toObject().value("id").toString() == id) {
            return i.toObject();
        }
    }
    return {};
}

bool DirectorApi::waitForLive(const QStringList& streams, int timeoutMs) {
    const auto allLive = [&] {
        for (const auto& s : streams) {
            const auto i = input(s);
            if (i.value("state").toString() != "live" || i.value("standby").toBool()) {
                return false;
            }
        }
        return true;
    };
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (allLive()) {
            return true;
        }
        QTest::qWait(200);
    }
    return allLive();
}

bool DirectorApi::connectEvents() {
    const auto encoded = QUrl::toPercentEncoding(token()).toStdString();
    if (!events_.connect(studio_.httpPort(),
                         "/api/v1/events?topics=director&access_token=" + encoded)) {
        error_ = QString::fromStdString("director events: " + events_.error());
        return false;
    }
    return true;
}

QJsonObject DirectorApi::waitForEvent(const std::function<bool(const QJsonObject&)>& match,
                                      int timeoutMs) {
    return waitForTopicEvent(events_, "director", match, timeoutMs);
}

QProcess* DirectorApi::publish(const ColourSource& source) {
    unpublish(source.stream);
    PublisherSpec spec;
    spec.url = studio_.sign(studio_.rtmpUrl(source.stream));
    spec.seconds = source.seconds;
    spec.size = "320x240";
    spec.gopFrames = 30;
    spec.videoBitrate = source.videoBitrate;
    spec.videoSource = "color=c=" + source.colour;
    spec.audioSource = source.audio;
    auto& slot = publishers_[source.stream];
    slot = Ffmpeg::publish(spec);
    return slot.get();
}

void DirectorApi::unpublish(const QString& stream) {
    const auto it = publishers_.find(stream);
    if (it == publishers_.end()) {
        return;
    }
    if (it->second) {
        it->second->kill();
        it->second->waitForFinished(5000);
    }
    publishers_.erase(it);
}

void DirectorApi::unpublishAll() {
    while (!publishers_.empty()) {
        unpublish(publishers_.begin()->first);
    }
}

QList<double> DirectorApi::programTones(const QList<double>& hz, QString* log) {
    const auto samples = decodeAudio(programUrl(), 4.0, log);
    const std::size_t keep = 48000 * 3 / 2;
    QList<double> levels;
    for (const double f : hz) {
        levels << (samples.size() < keep * 2 ? 0.0 : toneDb(samples, f, samples.size() - keep));
    }
    if (samples.size() < keep * 2 && log != nullptr) {
        *log += QString(" (only %1 samples)").arg(samples.size());
    }
    return levels;
}

QString describeFrames(const FrameGrabber& grab, int n, const QList<NamedPoint>& points,
                       int logChars) {
    QStringList out;
    const auto& frames = grab.frames();
    const auto count = std::min(frames.size(), static_cast<std::size_t>(std::max(n, 0)));
    for (auto it = frames.end() - static_cast<std::ptrdiff_t>(count); it != frames.end(); ++it) {
        QString line = QString("#%1 pts %2:").arg(it->index).arg(it->pts);
        for (const auto& p : points) {
            line += QString(" %1 %2").arg(p.name, toString(it->meanAt(p.x, p.y)));
        }
        out << line;
    }
    return out.join("\n") + "\n" + grab.log().right(logChars);
}

} // namespace stagecast::test
