#pragma once
/// The operator's window for the director: preview and program monitors, the inputs as
/// buttons in their tally colours with their thumbnails (click: to preview), Cut, Auto and a T-bar,
/// layout buttons, Auto's transition (TransitionEditor: type, duration, the type's fields), the
/// saved layouts (recall, save the preview as one), the overlay layer's items and the multiview
/// (on/off), an audio mixer (volume, mute, sync offset, level per input) and a status line with the
/// canvas' figures and the last refused command. Every action is a DirectorModel command (the
/// control API). Object names on the controls (`cutButton`, `autoButton`, `tbarSlider`, `input:ID`,
/// `volume:ID`, `mute:ID`, `sync:ID`, `previewMonitor`, `programMonitor`, `statusText`,
/// `transition*` (see TransitionEditor), `saveName`, `saveButton`, `saved:NAME`, `overlay:ID`,
/// `multiviewCheck`, `addInputButton`, `addInputDialog`, `manageInput`, `backupChoice`,
/// `removeInputButton`) let tests and accessibility tools find them.

#include <QLabel>
#include <QMainWindow>
#include <QSlider>
#include <QStringList>
#include <map>

#include "services/DirectorModel.h"
#include "services/StreamMonitor.h"
#include "ui/MonitorView.h"

class QComboBox;
class QGridLayout;
class QHBoxLayout;
class QLineEdit;
class QSpinBox;
class QPushButton;
class QCheckBox;
class QTimer;
class QVBoxLayout;

namespace stagecast::ui {

class TransitionEditor;

class DirectorWindow : public QMainWindow {
    Q_OBJECT

public:
    DirectorWindow(services::DirectorModel& model, services::StreamMonitor* preview,
                   services::StreamMonitor* program, QWidget* parent = nullptr);

    MonitorView* previewMonitor() const { return previewView_; }
    MonitorView* programMonitor() const { return programView_; }

private:
    struct Strip {
        QPushButton* button = nullptr;
        QSlider* volume = nullptr;
        QCheckBox* mute = nullptr;
        QSpinBox* sync = nullptr;
        QLabel* level = nullptr;
    };

    void refresh();
    void rebuildInputs();
    void layoutPreset(const QString& kind);
    void tbarMoved(int value);
    void rebuildSaved();
    void refreshOverlays();
    void refreshManage();
    void nextThumbnail();

    services::DirectorModel& model_;
    MonitorView* previewView_;
    MonitorView* programView_;
    QGridLayout* inputGrid_;
    QVBoxLayout* mixer_;
    QSlider* tbar_;
    QLabel* status_;
    QLabel* onAir_;
    QLabel* programLevel_;
    TransitionEditor* transition_;
    QHBoxLayout* savedRow_;
    QLineEdit* saveName_;
    QStringList shownSaved_;
    std::map<QString, QPushButton*> savedButtons_;
    QTimer* thumbnails_;
    int thumbnailTurn_ = 0;
    QComboBox* manage_;
    QComboBox* backup_;
    QHBoxLayout* overlayRow_;
    QCheckBox* multiview_;
    QStringList shownOverlays_;
    std::map<QString, QCheckBox*> overlayChecks_;
    QStringList shownIds_;
    std::map<QString, Strip> strips_;
};

} // namespace stagecast::ui
