#pragma once
// The director's control API of a real studio, for the director integration tests: starts
// `stagecast --headless` with the director on (under the test's Xvfb display), sends
// authenticated requests to /api/v1/director, reads its state and its event topic, publishes
// solid-colour ffmpeg sources, and measures the program's sound. Each test keeps its own
// assertions; these helpers only fetch and wait, and say what went wrong.
// Lives on the test's thread (blocking calls; the event loop runs while they wait).

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <functional>
#include <map>
#include <memory>

#include "FrameGrabber.h"
#include "Http.h"
#include "StudioProcess.h"
#include "WsClient.h"

namespace stagecast::test {

/// The director tests' canvas: 640x360 rather than the default 1280x720, so Mesa's software
/// OpenGL keeps up on a busy 2-core machine (tst_Engine and the benchmark run the default).
inline constexpr int kCanvasWidth = 640;
inline constexpr int kCanvasHeight = 360;

/// A solid lavfi colour published over RTMP as a hub stream (H.264 + AAC, in real time).
struct ColourSource {
    QString stream;                                         // e.g. "live/red"
    QString colour;                                         // lavfi colour: "red", "0xFF0000"
    QString audio = "sine=frequency=440:sample_rate=48000"; // lavfi audio source
    QString videoBitrate = "300k";
    int seconds = 600;
};

class DirectorApi {
public:
    DirectorApi() = default;
    /// Kills the publishers that still run.
    ~DirectorApi();
    DirectorApi(const DirectorApi&) = delete;
    DirectorApi& operator=(const DirectorApi&) = delete;

    /// The studio process, for its ports, log and data folder.
    StudioProcess& studio() { return studio_; }

    /// Starts the studio with `[director] enabled` on the kCanvasWidth x kCanvasHeight canvas
    /// (plus `extraConfig`, more keys of the [director] table) and waits until the program
    /// publishes. False with the reason in `error()` (no X display, no start, no program).
    bool start(const QString& extraConfig = {});
    /// Closes the event topic and stops the studio (SIGTERM); false unless it exited with 0
    /// (the exit code and the log's tail in `error()`). start() or restart() may follow.
    bool stop();
    /// Starts the stopped studio again: same data folder and config, new ports. The program
    /// is not waited for (its inputs may not be back yet).
    bool restart();
    QString error() const { return error_; }

    /// http://127.0.0.1:PORT/api/v1 + `path`.
    QString url(const QString& path) const;
    /// An authenticated request to /api/v1 + `path`, the body sent as it is.
    HttpReply send(const QString& method, const QString& path, const QByteArray& body = {},
                   int timeoutMs = 10000);
    /// GET/POST/PUT/DELETE on /api/v1/director + `path`. POST and PUT bodies may be written
    /// with single quotes (moc cannot read raw string literals holding JSON): every ' becomes
    /// a " (use send() for a body that needs a literal ').
    HttpReply get(const QString& path = {});
    HttpReply post(const QString& path, const QByteArray& body = {});
    HttpReply put(const QString& path, const QByteArray& body);
    HttpReply del(const QString& path);
    /// Sets the preview to `preview` and takes it with a cut: the cut's reply, or the
    /// preview's when that was refused.
    HttpReply take(const QByteArray& preview);

    /// GET /api/v1/director as JSON (empty on failure).
    QJsonObject state();
    /// The entry of `inputs` in the state whose "stream" is `stream`; empty when absent.
    QJsonObject input(const QString& stream);
    /// The entry of GET /api/v1/director/inputs whose "id" is `id`; empty when absent.
    QJsonObject inputInfo(const QString& id);
    /// Polls the state until every stream is an input in state "live" (not on standby).
    bool waitForLive(const QStringList& streams, int timeoutMs = 30000);

    /// Subscribes to the "director" event topic.
    bool connectEvents();
    void closeEvents() { events_.close(); }
    WsClient& events() { return events_; }
    /// Reads director events until one passes `match`; empty object on timeout.
    QJsonObject waitForEvent(const std::function<bool(const QJsonObject&)>& match,
                             int timeoutMs = 15000);

    /// Publishes `source` to this studio (signed RTMP URL), 320x240, a keyframe a second; a
    /// publisher of the same stream that still runs is killed first. The process stays owned
    /// here (until unpublish()); check that it runs with the director's state.
    QProcess* publish(const ColourSource& source);
    /// Kills the stream's publisher (as a presenter's encoder that stops) and waits for it.
    void unpublish(const QString& stream);
    void unpublishAll();

    /// The levels (dBFS) of the tones `hz` in the program's latest 1.5 s of sound (of 4 s
    /// decoded: the player starts a GOP back). All 0 when too little was decoded (the
    /// reason in `log`, which gets ffmpeg's messages).
    QList<double> programTones(const QList<double>& hz, QString* log);

    /// The program's HTTP-FLV URL (live/program).
    QString programUrl() const { return studio_.flvUrl("live/program"); }

private:
    QString token();

    StudioProcess studio_;
    WsClient events_;
    std::map<QString, std::unique_ptr<QProcess>> publishers_; // by stream
    QString error_;
};

/// The last `n` frames of `grab`, each with the mean colour at the named points (fractions of
/// the picture), then the tail of ffmpeg's log: a failure message.
struct NamedPoint {
    QString name;
    double x = 0.5;
    double y = 0.5;
};
QString describeFrames(const FrameGrabber& grab, int n, const QList<NamedPoint>& points,
                       int logChars = 2000);

} // namespace stagecast::test
