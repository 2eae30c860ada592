#include "ui/TransitionEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>

namespace stagecast::ui {

TransitionEditor::TransitionEditor(services::DirectorModel& model, QWidget* parent)
    : QWidget(parent), model_(model) {
    row_ = new QHBoxLayout(this);
    row_->setContentsMargins(0, 0, 0, 0);
    row_->addWidget(new QLabel(tr("Transition"), this));
    type_ = new QComboBox(this);
    type_->setObjectName("transitionType");
    type_->addItems({"cut", "fade", "swipe", "slide", "fade_to_color", "luma_wipe", "stinger"});
    row_->addWidget(type_);
    duration_ = new QSpinBox(this);
    duration_->setObjectName("transitionDuration");
    duration_->setRange(0, 10000);
    duration_->setSingleStep(100);
    duration_->setSuffix(" ms");
    row_->addWidget(duration_);

    direction_ = new QComboBox(this);
    direction_->setObjectName("transitionDirection");
    direction_->addItems({"left", "right", "up", "down"});
    field(direction_, tr("from"), "swipe slide");
    colour_ = new QLineEdit(this);
    colour_->setObjectName("transitionColor");
    colour_->setPlaceholderText("#000000");
    colour_->setMaximumWidth(90);
    field(colour_, tr("colour"), "fade_to_color");
    switchPoint_ = new QSpinBox(this);
    switchPoint_->setObjectName("transitionSwitchPoint");
    switchPoint_->setRange(0, 100);
    switchPoint_->setSuffix(" %");
    field(switchPoint_, tr("switch at"), "fade_to_color");
    image_ = new QComboBox(this);
    image_->setObjectName("transitionImage");
    field(image_, tr("image"), "luma_wipe");
    softness_ = new QDoubleSpinBox(this);
    softness_->setObjectName("transitionSoftness");
    softness_->setRange(0, 1);
    softness_->setSingleStep(0.01);
    field(softness_, tr("softness"), "luma_wipe");
    invert_ = new QCheckBox(tr("invert"), this);
    invert_->setObjectName("transitionInvert");
    field(invert_, QString(), "luma_wipe");
    path_ = new QLineEdit(this);
    path_->setObjectName("transitionPath");
    path_->setPlaceholderText(tr("stinger clip (absolute path)"));
    path_->setMinimumWidth(200);
    field(path_, tr("clip"), "stinger");
    browse_ = new QPushButton(tr("..."), this);
    browse_->setObjectName("transitionBrowse");
    field(browse_, QString(), "stinger");
    point_ = new QSpinBox(this);
    point_->setObjectName("transitionPoint");
    point_->setRange(0, 60000);
    point_->setSingleStep(100);
    point_->setSuffix(" ms");
    field(point_, tr("cut at"), "stinger");
    matte_ = new QComboBox(this);
    matte_->setObjectName("transitionMatte");
    matte_->addItems({"none", "horizontal", "vertical", "mask"});
    field(matte_, tr("matte"), "stinger");
    invertMatte_ = new QCheckBox(tr("invert matte"), this);
    invertMatte_->setObjectName("transitionInvertMatte");
    field(invertMatte_, QString(), "stinger");

    connect(type_, &QComboBox::currentTextChanged, this, [this](const QString& type) {
        showFieldsOf(type);
        edited();
    });
    for (auto* spin : {duration_, switchPoint_, point_}) {
        connect(spin, &QSpinBox::editingFinished, this, &TransitionEditor::edited);
    }
    connect(softness_, &QDoubleSpinBox::editingFinished, this, &TransitionEditor::edited);
    for (auto* line : {colour_, path_}) {
        connect(line, &QLineEdit::editingFinished, this, &TransitionEditor::edited);
    }
    for (auto* combo : {direction_, image_, matte_}) {
        connect(combo, &QComboBox::activated, this, &TransitionEditor::edited);
    }
    for (auto* box : {invert_, invertMatte_}) {
        connect(box, &QCheckBox::toggled, this, &TransitionEditor::edited);
    }
    connect(browse_, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Stinger clip"));
        if (!file.isEmpty()) {
            path_->setText(file);
            edited();
        }
    });
    showFieldsOf(type_->currentText());
}

QWidget* TransitionEditor::field(QWidget* w, const QString& label, const QString& types) {
    auto* box = new QWidget(this);
    auto* h = new QHBoxLayout(box);
    h->setContentsMargins(0, 0, 0, 0);
    if (!label.isEmpty()) {
        h->addWidget(new QLabel(label, box));
    }
    w->setParent(box);
    h->addWidget(w);
    row_->addWidget(box);
    owners_[box] = types.split(' ');
    return box;
}

void TransitionEditor::showFieldsOf(const QString& type) {
    for (auto& [box, types] : owners_) {
        box->setVisible(types.contains(type));
    }
    duration_->setEnabled(type != "cut" && type != "stinger"); // a stinger lasts its clip
}

QJsonObject TransitionEditor::spec() const {
    const QString type = type_->currentText();
    QJsonObject s{{"type", type}, {"duration_ms", duration_->value()}};
    if (type == "swipe" || type == "slide") {
        s["direction"] = direction_->currentText();
    } else if (type == "fade_to_color") {
        s["color"] =
            colour_->text().trimmed().isEmpty() ? QString("#000000") : colour_->text().trimmed();
        s["switch_point"] = switchPoint_->value();
    } else if (type == "luma_wipe") {
        if (image_->count() > 0) {
            s["image"] = image_->currentText();
        }
        s["softness"] = softness_->value();
        s["invert"] = invert_->isChecked();
    } else if (type == "stinger") {
        s["path"] = path_->text().trimmed();
        s["transition_point_ms"] = point_->value();
        s["matte"] = matte_->currentText();
        s["invert_matte"] = invertMatte_->isChecked();
    }
    return s;
}

void TransitionEditor::edited() {
    model_.setTransition(spec());
}

bool TransitionEditor::editing() const {
    const QWidget* focus = focusWidget();
    return focus != nullptr && isAncestorOf(focus) && focus->hasFocus();
}

void TransitionEditor::refresh() {
    const auto state = model_.state();
    QStringList images;
    for (const auto& v : state.value("luma_images").toArray()) {
        images << v.toString();
    }
    QStringList shown;
    for (int i = 0; i < image_->count(); ++i) {
        shown << image_->itemText(i);
    }
    if (images != shown) {
        const QSignalBlocker quiet(image_);
        image_->clear();
        image_->addItems(images);
    }
    const auto t = state.value("transition").toObject();
    if (t.isEmpty() || editing()) {
        return;
    }
    const QSignalBlocker a(type_), b(duration_), c(direction_), d(colour_), e(switchPoint_),
        f(image_), g(softness_), h(invert_), i(path_), j(point_), k(matte_), l(invertMatte_);
    type_->setCurrentText(t.value("type").toString());
    showFieldsOf(type_->currentText());
    duration_->setValue(t.value("duration_ms").toInt(1000));
    if (t.contains("direction")) {
        direction_->setCurrentText(t.value("direction").toString());
    }
    if (t.contains("color")) {
        colour_->setText(t.value("color").toString());
        switchPoint_->setValue(t.value("switch_point").toInt(50));
    }
    if (t.contains("image")) {
        image_->setCurrentText(t.value("image").toString());
        softness_->setValue(t.value("softness").toDouble(0.03));
        invert_->setChecked(t.value("invert").toBool());
    }
    if (t.contains("path")) {
        path_->setText(t.value("path").toString());
        point_->setValue(t.value("transition_point_ms").toInt());
        matte_->setCurrentText(t.value("matte").toString("none"));
        invertMatte_->setChecked(t.value("invert_matte").toBool());
    }
}

} // namespace stagecast::ui
