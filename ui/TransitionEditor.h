#pragma once
/// Auto's and the T-bar's transition, edited in one row: the type and duration, and the fields
/// of the chosen type only: direction (swipe, slide), colour and switch point (fade to
/// colour), luma image, softness and invert (luma wipe), file, transition point, track matte
/// and its inversion (stinger). Every change sends the whole transition (POST
/// /director/transition); the studio's refusal (a stinger file that does not exist) shows in
/// the window's status line. Fields follow the studio's state while none has focus. Object
/// names: `transitionType`, `transitionDuration`, `transitionDirection`, `transitionColor`,
/// `transitionSwitchPoint`, `transitionImage`, `transitionSoftness`, `transitionInvert`,
/// `transitionPath`, `transitionBrowse`, `transitionPoint`, `transitionMatte`,
/// `transitionInvertMatte`.

#include <QJsonObject>
#include <QWidget>
#include <map>

#include "services/DirectorModel.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace stagecast::ui {

class TransitionEditor : public QWidget {
    Q_OBJECT

public:
    explicit TransitionEditor(services::DirectorModel& model, QWidget* parent = nullptr);

    /// The transition as the fields show it now, as the API takes it.
    QJsonObject spec() const;
    /// Shows the studio's transition (unless the operator is editing) and its luma images.
    void refresh();

private:
    void edited();
    void showFieldsOf(const QString& type);
    bool editing() const;
    QWidget* field(QWidget* w, const QString& label, const QString& types);

    services::DirectorModel& model_;
    QHBoxLayout* row_;
    QComboBox* type_;
    QSpinBox* duration_;
    QComboBox* direction_;
    QLineEdit* colour_;
    QSpinBox* switchPoint_;
    QComboBox* image_;
    QDoubleSpinBox* softness_;
    QCheckBox* invert_;
    QLineEdit* path_;
    QPushButton* browse_;
    QSpinBox* point_;
    QComboBox* matte_;
    QCheckBox* invertMatte_;
    /// Each optional field's box (label + control) and the types it belongs to.
    std::map<QWidget*, QStringList> owners_;
};

} // namespace stagecast::ui
