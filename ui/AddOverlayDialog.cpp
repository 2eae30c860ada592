#include "ui/AddOverlayDialog.h"

#include "ui/DialogParts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace stagecast::ui {

namespace {

QDoubleSpinBox* fraction(const QString& name, double value, QWidget* parent) {
    auto* spin = new QDoubleSpinBox(parent);
    spin->setObjectName(name);
    spin->setRange(0, 1);
    spin->setDecimals(3);
    spin->setSingleStep(0.01);
    spin->setValue(value);
    return spin;
}

} // namespace

AddOverlayDialog::AddOverlayDialog(services::DirectorModel& model, const QStringList& inputs,
                                   QWidget* parent)
    : QDialog(parent), model_(model) {
    setWindowTitle(tr("Add overlay"));
    auto* column = new QVBoxLayout(this);
    form_ = new QFormLayout;
    column->addLayout(form_);
    id_ = new QLineEdit(this);
    id_->setObjectName("overlayId");
    id_->setPlaceholderText(tr("logo, bug, lower3 ..."));
    form_->addRow(tr("Name"), id_);
    kind_ = new QComboBox(this);
    kind_->setObjectName("overlayKind");
    kind_->addItem(tr("Colour box"), "color");
    kind_->addItem(tr("Image"), "image");
    kind_->addItem(tr("Input"), "input");
    form_->addRow(tr("Kind"), kind_);
    colour_ = new QLineEdit(this);
    colour_->setObjectName("overlayColor");
    colour_->setPlaceholderText("#RRGGBB");
    form_->addRow(tr("Colour"), colour_);

    auto* fileRow = ui::fileRow(this, &file_, "overlayFile", tr("Overlay image"));
    form_->addRow(tr("Image file"), fileRow);
    input_ = new QComboBox(this);
    input_->setObjectName("overlayInput");
    input_->addItems(inputs);
    form_->addRow(tr("Input"), input_);

    x_ = fraction("overlayX", 0.02, this);
    y_ = fraction("overlayY", 0.02, this);
    w_ = fraction("overlayW", 0.15, this);
    h_ = fraction("overlayH", 0.1, this);
    auto* boxRow = new QHBoxLayout;
    for (const auto& [label, spin] :
         {std::pair{"x", x_}, std::pair{"y", y_}, std::pair{"w", w_}, std::pair{"h", h_}}) {
        boxRow->addWidget(new QLabel(label, this));
        boxRow->addWidget(spin);
    }
    form_->addRow(tr("Box (canvas fractions)"), boxRow);
    on_ = new QCheckBox(tr("on air at once"), this);
    on_->setObjectName("overlayOn");
    form_->addRow(QString(), on_);

    foot_ = addFoot(this, column, "overlayError", "addOverlayOk", [this] { submit(); });
    connect(kind_, &QComboBox::currentIndexChanged, this, &AddOverlayDialog::kindChanged);
    kindChanged();
}

void AddOverlayDialog::kindChanged() {
    const QString kind = kind_->currentData().toString();
    form_->setRowVisible(colour_, kind == "color");
    form_->setRowVisible(file_->parentWidget(), kind == "image");
    form_->setRowVisible(input_, kind == "input");
    foot_.error->clear();
}

QJsonObject AddOverlayDialog::body() const {
    const QString kind = kind_->currentData().toString();
    QJsonObject b{{"id", id_->text().trimmed()},
                  {"kind", kind},
                  {"x", x_->value()},
                  {"y", y_->value()},
                  {"w", w_->value()},
                  {"h", h_->value()},
                  {"on", on_->isChecked()}};
    if (kind == "color") {
        b["color"] = colour_->text().trimmed();
    } else if (kind == "image") {
        b["path"] = file_->text().trimmed();
    } else {
        b["input"] = input_->currentText();
    }
    return b;
}

void AddOverlayDialog::submit() {
    if (id_->text().trimmed().isEmpty()) {
        foot_.error->setText(tr("Name: give the overlay a name"));
        return;
    }
    submitOnce(this, foot_,
               [this](Completion done) { model_.defineOverlay(body(), std::move(done)); });
}

} // namespace stagecast::ui
