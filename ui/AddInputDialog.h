#pragma once
/// "Add input": the director's own inputs as the API creates them: a media file (loop or
/// once), an image or slate, a colour, colour bars, text (static, clock, countdown, ticker), a
/// lower third (name and title) and local capture (screen, window, camera, microphone, desktop
/// audio, with the devices this machine offers right now). The fields shown follow the kind;
/// OK sends the body and the dialog stays open with the studio's refusal (e.g. "file: ... does
/// not exist") until an input is added. Object names: `inputKind`, `inputName`, `inputFile`,
/// `inputBrowse`, `inputLoop`, `inputColor`, `inputText`, `inputTitle`, `inputMode`,
/// `inputSeconds`, `captureKind`, `captureDevice`, `addInputOk`, `inputError`.

#include <QDialog>
#include <QJsonArray>
#include <QJsonObject>

#include "services/DirectorModel.h"
#include "ui/DialogParts.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace stagecast::ui {

class AddInputDialog : public QDialog {
    Q_OBJECT

public:
    explicit AddInputDialog(services::DirectorModel& model, QWidget* parent = nullptr);

    /// The body OK would send now.
    QJsonObject body() const;

private:
    void kindChanged();
    void captureKindChanged();
    void captureListed(const QJsonArray& capture);
    void submit();
    void show(QWidget* field, bool on);

    services::DirectorModel& model_;
    QFormLayout* form_;
    QComboBox* kind_;
    QLineEdit* name_;
    QLineEdit* file_;
    QCheckBox* loop_;
    QLineEdit* colour_;
    QLineEdit* text_;
    QLineEdit* title_;
    QComboBox* mode_;
    QSpinBox* seconds_;
    QComboBox* captureKind_;
    QComboBox* device_;
    DialogFoot foot_;
    QJsonArray capture_;
};

} // namespace stagecast::ui
