#include "ui/AddInputDialog.h"

#include "ui/DialogParts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace stagecast::ui {

AddInputDialog::AddInputDialog(services::DirectorModel& model, QWidget* parent)
    : QDialog(parent), model_(model) {
    setWindowTitle(tr("Add input"));
    auto* column = new QVBoxLayout(this);
    form_ = new QFormLayout;
    column->addLayout(form_);

    kind_ = new QComboBox(this);
    kind_->setObjectName("inputKind");
    for (const auto& [kind, label] :
         {std::pair{"media", "Media file"}, std::pair{"image", "Image / slate"},
          std::pair{"color", "Colour"}, std::pair{"pattern", "Colour bars"},
          std::pair{"text", "Text"}, std::pair{"lower3", "Lower third"},
          std::pair{"capture", "Local capture"}}) {
        kind_->addItem(tr(label), QString(kind));
    }
    form_->addRow(tr("Kind"), kind_);
    name_ = new QLineEdit(this);
    name_->setObjectName("inputName");
    name_->setPlaceholderText(tr("a short name: the input is KIND:NAME"));
    form_->addRow(tr("Name"), name_);

    auto* fileRow = ui::fileRow(this, &file_, "inputFile", tr("Choose a file"), "inputBrowse");
    form_->addRow(tr("File"), fileRow);
    loop_ = new QCheckBox(tr("loop"), this);
    loop_->setObjectName("inputLoop");
    loop_->setChecked(true);
    form_->addRow(QString(), loop_);

    mode_ = new QComboBox(this);
    mode_->setObjectName("inputMode");
    mode_->addItems({"static", "clock", "countdown", "ticker"});
    form_->addRow(tr("Text mode"), mode_);
    text_ = new QLineEdit(this);
    text_->setObjectName("inputText");
    form_->addRow(tr("Text / name"), text_);
    title_ = new QLineEdit(this);
    title_->setObjectName("inputTitle");
    form_->addRow(tr("Title"), title_);
    seconds_ = new QSpinBox(this);
    seconds_->setObjectName("inputSeconds");
    seconds_->setRange(1, 24 * 3600);
    seconds_->setValue(300);
    seconds_->setSuffix(" s");
    form_->addRow(tr("Count down"), seconds_);
    colour_ = new QLineEdit(this);
    colour_->setObjectName("inputColor");
    colour_->setPlaceholderText("#RRGGBB");
    form_->addRow(tr("Colour"), colour_);

    captureKind_ = new QComboBox(this);
    captureKind_->setObjectName("captureKind");
    form_->addRow(tr("Capture"), captureKind_);
    device_ = new QComboBox(this);
    device_->setObjectName("captureDevice");
    form_->addRow(tr("Device"), device_);

    foot_ = addFoot(this, column, "inputError", "addInputOk", [this] { submit(); });
    connect(kind_, &QComboBox::currentIndexChanged, this, &AddInputDialog::kindChanged);
    connect(mode_, &QComboBox::currentIndexChanged, this, &AddInputDialog::kindChanged);
    connect(captureKind_, &QComboBox::currentIndexChanged, this,
            &AddInputDialog::captureKindChanged);
    kindChanged();
    // What this machine can capture, asked when the dialog opens.
    model_.fetchCapture([self = QPointer<AddInputDialog>(this)](const QJsonArray& capture) {
        if (self) {
            self->captureListed(capture);
        }
    });
}

void AddInputDialog::captureListed(const QJsonArray& capture) {
    capture_ = capture;
    captureKind_->clear();
    for (const auto& v : capture_) {
        const auto o = v.toObject();
        const QString kind = o.value("kind").toString();
        captureKind_->addItem(
            o.value("available").toBool() ? kind : kind + " - " + o.value("reason").toString(),
            kind);
    }
    captureKindChanged();
}

void AddInputDialog::show(QWidget* field, bool on) {
    form_->setRowVisible(field == file_ ? file_->parentWidget() : field, on);
}

void AddInputDialog::kindChanged() {
    const QString kind = kind_->currentData().toString();
    const QString mode = mode_->currentText();
    show(file_, kind == "media" || kind == "image");
    show(loop_, kind == "media");
    show(mode_, kind == "text");
    show(text_, kind == "text" || kind == "lower3");
    show(title_, kind == "lower3");
    show(seconds_, kind == "text" && mode == "countdown");
    show(colour_, kind == "color" || kind == "text" || kind == "lower3");
    show(captureKind_, kind == "capture");
    show(device_, kind == "capture");
    foot_.error->clear();
}

void AddInputDialog::captureKindChanged() {
    device_->clear();
    const QString kind = captureKind_->currentData().toString();
    for (const auto& v : capture_) {
        const auto o = v.toObject();
        if (o.value("kind").toString() != kind) {
            continue;
        }
        for (const auto& d : o.value("devices").toArray()) {
            const auto device = d.toObject();
            device_->addItem(device.value("name").toString(), device.value("id").toString());
        }
    }
}

QJsonObject AddInputDialog::body() const {
    const QString kind = kind_->currentData().toString();
    QJsonObject b{{"id", kind + ":" + name_->text().trimmed()}, {"kind", kind}};
    if (kind == "media" || kind == "image") {
        b["file"] = file_->text().trimmed();
    }
    if (kind == "media") {
        b["loop"] = loop_->isChecked();
    }
    if ((kind == "color" || kind == "text" || kind == "lower3") &&
        !colour_->text().trimmed().isEmpty()) {
        b["color"] = colour_->text().trimmed();
    }
    if (kind == "text") {
        b["mode"] = mode_->currentText();
        b["text"] = text_->text();
        if (mode_->currentText() == "countdown") {
            b["seconds"] = seconds_->value();
        }
    }
    if (kind == "lower3") {
        b["name"] = text_->text();
        b["title"] = title_->text();
    }
    if (kind == "capture") {
        b["capture"] = captureKind_->currentData().toString();
        if (device_->count() > 0) {
            b["device"] = device_->currentData().toString();
        }
    }
    return b;
}

void AddInputDialog::submit() {
    if (name_->text().trimmed().isEmpty()) {
        foot_.error->setText(tr("Name: give the input a name"));
        return;
    }
    submitOnce(this, foot_, [this](Completion done) { model_.addInput(body(), std::move(done)); });
}

} // namespace stagecast::ui
