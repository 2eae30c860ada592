#pragma once
/// The director as the GUI sees it: GET /api/v1/director polled a few times a second (one
/// request in flight at most) into plain values, and the operator's commands (preview, Cut,
/// Auto, T-bar, layouts, volume, mute, sync offset, overlays, multiview), each a control API
/// request, so the window, a web remote and a hardware panel drive the same thing. GUI thread only.

#include <QImage>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <functional>
#include <map>
#include <vector>

#include "services/StudioClient.h"

namespace stagecast::services {

struct InputRow {
    QString id;    // hub stream APP/NAME or director input KIND:NAME
    QString state; // live, stalled, standby, off
    bool onProgram = false;
    bool onPreview = false;
    double volume = 1.0;
    bool muted = false;
    double meterDb = -100; // RMS after volume and mute
    bool hasAudio = true;  // colour, bars, text, images: no sound, no mixer strip
    int syncOffsetMs = 0;  // the sound against the picture: positive delays it
};

/// One item of the overlay layer (logo, lower third, ticker, box), bottom to top.
struct OverlayRow {
    QString id;
    QString kind; // image, input, color
    bool on = false;
};

class DirectorModel : public QObject {
    Q_OBJECT

public:
    explicit DirectorModel(StudioClient& client, QObject* parent = nullptr);

    /// Starts polling every `intervalMs`.
    void start(int intervalMs = 250);

    const std::vector<InputRow>& inputs() const { return inputs_; }
    /// "live/cam" or "2x2: live/a, live/b, ..."; empty when nothing is there.
    QString previewText() const { return previewText_; }
    QString programText() const { return programText_; }
    bool running() const { return running_; }
    /// "rendered 1234, lagged 5; encoder obs_x264"
    QString canvasText() const { return canvasText_; }
    QString lastError() const { return lastError_; }
    /// "Program  RMS -20.0 dB  peak -17.0 dB" (or "silent") from the program's meter.
    QString programMeterText() const;
    const QJsonObject& state() const { return state_; }

    void setPreviewInput(const QString& id);
    /// A layout body as POST /preview takes it ({"layout":"2x2","slots":[...]}).
    void setPreviewLayout(const QJsonObject& layout);
    void cut();
    void autoTake();
    void setTbar(double position);
    void setVolume(const QString& id, double volume);
    /// Auto's and the T-bar's transition: {"type":"swipe","duration_ms":800,...}.
    void setTransition(const QJsonObject& transition);
    /// The configured transition's type ("fade") and duration, as the studio reports them.
    QString transitionType() const;
    int transitionMs() const;
    /// The saved layouts' names (GET /director/layouts, fetched at start and after saves).
    const QStringList& savedLayouts() const { return savedLayouts_; }
    /// Saves what is in preview now under `name` (PUT /director/layouts/{name}), with
    /// `transition` as its own when not empty.
    void savePreviewAs(const QString& name, const QJsonObject& transition = {});
    void recallLayout(const QString& name);
    void setMuted(const QString& id, bool muted);
    /// The input's audio sync offset in ms (-950..20000, positive delays the sound).
    void setSyncOffset(const QString& id, int ms);
    /// The overlay layer's items as the studio reports them; `setOverlay` shows or hides one.
    const std::vector<OverlayRow>& overlays() const { return overlays_; }
    void setOverlay(const QString& id, bool on);
    /// Defines (or replaces) an overlay item (POST /director/overlay with "kind"); `done` gets
    /// the API's refusal or an empty string.
    void defineOverlay(const QJsonObject& body, std::function<void(const QString& error)> done);
    void removeOverlay(const QString& id);
    /// Whether the multiview stream (live/multiview) is on; `setMultiview` switches it.
    bool multiviewOn() const { return multiviewOn_; }
    void setMultiview(bool on);

    /// Adds a director input (POST /director/inputs, a body as the API takes it:
    /// {"id":"color:green","kind":"color","color":"#00FF00"}); `done` gets the API's refusal
    /// or an empty string.
    void addInput(const QJsonObject& body, std::function<void(const QString& error)> done);
    /// Removes a director input (refused while it is on program or another input's backup).
    void removeInput(const QString& id);
    /// The input shown while `id` is in standby (empty: the slate), as the studio reports it
    /// (GET /director/inputs, fetched about once a second); `setBackup` changes it.
    QString backupOf(const QString& id) const;
    void setBackup(const QString& id, const QString& backup);
    /// The local capture this machine offers (GET /director/capture): `capture[]` with
    /// kind, available, reason, devices[] (id, name).
    void fetchCapture(std::function<void(const QJsonArray& capture)> done);
    /// An input's thumbnail (GET /director/inputs/{id}/thumbnail.jpg, 320 px wide, made by
    /// the studio at most every 2 s); a null image when none could be made.
    void fetchThumbnail(const QString& id, std::function<void(const QImage& picture)> done);

signals:
    void changed();
    /// A command or poll failed: the problem as the API named it.
    void failed(const QString& error);

private:
    void poll();
    void parse(const QJsonObject& state);
    void command(const QString& path, const QJsonObject& body);
    void fetchLayouts();
    void fetchInputs();

    StudioClient& client_;
    QTimer timer_;
    bool inFlight_ = false;
    bool running_ = false;
    QJsonObject state_;
    std::vector<InputRow> inputs_;
    std::vector<OverlayRow> overlays_;
    bool multiviewOn_ = false;
    std::map<QString, QString> backups_;
    bool inputsInFlight_ = false;
    int polls_ = 0;
    QString previewText_;
    QString programText_;
    QString canvasText_;
    QString lastError_;
    QStringList savedLayouts_;
};

/// "live/cam" for a full layout, "pip: live/a + live/b", "2x2: a, b, -, d".
QString describeLayout(const QJsonObject& layout);

} // namespace stagecast::services
