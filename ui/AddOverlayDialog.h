#pragma once
/// "Add overlay": an item of the overlay layer (drawn over every layout, on program and
/// preview), as the API defines it: a colour box, an image (logo, bug) or a director input
/// (a lower third, a ticker, a clock) in a box given as fractions of the canvas. OK sends it
/// (POST /director/overlay); the studio's refusal stays in the dialog. Object names:
/// `overlayId`, `overlayKind`, `overlayColor`, `overlayFile`, `overlayInput`, `overlayX`,
/// `overlayY`, `overlayW`, `overlayH`, `overlayOn`, `addOverlayOk`, `overlayError`.

#include <QDialog>
#include <QJsonObject>

#include "services/DirectorModel.h"
#include "ui/DialogParts.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace stagecast::ui {

class AddOverlayDialog : public QDialog {
    Q_OBJECT

public:
    AddOverlayDialog(services::DirectorModel& model, const QStringList& inputs,
                     QWidget* parent = nullptr);

    /// The body OK would send now.
    QJsonObject body() const;

private:
    void kindChanged();
    void submit();

    services::DirectorModel& model_;
    QFormLayout* form_;
    QLineEdit* id_;
    QComboBox* kind_;
    QLineEdit* colour_;
    QLineEdit* file_;
    QComboBox* input_;
    QDoubleSpinBox* x_;
    QDoubleSpinBox* y_;
    QDoubleSpinBox* w_;
    QDoubleSpinBox* h_;
    QCheckBox* on_;
    DialogFoot foot_;
};

} // namespace stagecast::ui
