#include "ui/DirectorWindow.h"

#include "ui/AddInputDialog.h"
#include "ui/AddOverlayDialog.h"
#include "ui/TransitionEditor.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QJsonArray>
#include <QLineEdit>
#include <QPixmap>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace stagecast::ui {

namespace {

constexpr int kTbarSteps = 1000;

QString tallyStyle(const services::InputRow& row) {
    const char* colour = row.onProgram ? "#c01818" : (row.onPreview ? "#18a018" : "#404040");
    const char* text = row.state == "live" ? "white" : "#c0c0c0";
    return QString("QPushButton { background: %1; color: %2; padding: 8px; }").arg(colour, text);
}

} // namespace

DirectorWindow::DirectorWindow(services::DirectorModel& model, services::StreamMonitor* preview,
                               services::StreamMonitor* program, QWidget* parent)
    : QMainWindow(parent), model_(model) {
    setWindowTitle(tr("Stagecast Studio - Director"));
    auto* central = new QWidget(this);
    auto* column = new QVBoxLayout(central);

    auto* monitors = new QHBoxLayout;
    previewView_ = new MonitorView(tr("PREVIEW"), QColor(24, 160, 24), preview, central);
    previewView_->setObjectName("previewMonitor");
    programView_ = new MonitorView(tr("PROGRAM"), QColor(192, 24, 24), program, central);
    programView_->setObjectName("programMonitor");
    monitors->addWidget(previewView_, 1);
    monitors->addWidget(programView_, 1);
    column->addLayout(monitors, 3);

    auto* middle = new QHBoxLayout;
    auto* inputsBox = new QGroupBox(tr("Inputs (click: to preview)"), central);
    auto* inputsColumn = new QVBoxLayout(inputsBox);
    inputGrid_ = new QGridLayout;
    inputsColumn->addLayout(inputGrid_, 1);
    // Manage: add a director input; choose an input to set its standby backup or remove it.
    auto* manageRow = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add input..."), inputsBox);
    add->setObjectName("addInputButton");
    connect(add, &QPushButton::clicked, this, [this] {
        auto* dialog = new AddInputDialog(model_, this);
        dialog->setObjectName("addInputDialog");
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    manageRow->addWidget(add);
    manageRow->addSpacing(16);
    manageRow->addWidget(new QLabel(tr("Input"), inputsBox));
    manage_ = new QComboBox(inputsBox);
    manage_->setObjectName("manageInput");
    manageRow->addWidget(manage_, 1);
    manageRow->addWidget(new QLabel(tr("in standby shows"), inputsBox));
    backup_ = new QComboBox(inputsBox);
    backup_->setObjectName("backupChoice");
    manageRow->addWidget(backup_, 1);
    auto* remove = new QPushButton(tr("Remove"), inputsBox);
    remove->setObjectName("removeInputButton");
    connect(remove, &QPushButton::clicked, this, [this] {
        if (!manage_->currentText().isEmpty()) {
            model_.removeInput(manage_->currentText());
        }
    });
    manageRow->addWidget(remove);
    inputsColumn->addLayout(manageRow);
    connect(manage_, &QComboBox::currentIndexChanged, this, &DirectorWindow::refreshManage);
    connect(backup_, &QComboBox::activated, this, [this] {
        if (!manage_->currentText().isEmpty()) {
            model_.setBackup(manage_->currentText(), backup_->currentData().toString());
        }
    });
    middle->addWidget(inputsBox, 3);

    auto* takes = new QVBoxLayout;
    auto* cut = new QPushButton(tr("CUT"), central);
    cut->setObjectName("cutButton");
    auto* autoTake = new QPushButton(tr("AUTO"), central);
    autoTake->setObjectName("autoButton");
    connect(cut, &QPushButton::clicked, this, [this] { model_.cut(); });
    connect(autoTake, &QPushButton::clicked, this, [this] { model_.autoTake(); });
    tbar_ = new QSlider(Qt::Vertical, central);
    tbar_->setObjectName("tbarSlider");
    tbar_->setRange(0, kTbarSteps);
    connect(tbar_, &QSlider::valueChanged, this, &DirectorWindow::tbarMoved);
    takes->addWidget(cut);
    takes->addWidget(autoTake);
    takes->addWidget(new QLabel(tr("T-bar"), central));
    takes->addWidget(tbar_, 1);
    middle->addLayout(takes);

    auto* layouts = new QVBoxLayout;
    for (const auto& [kind, label] : {std::pair{"pip", "PiP"}, std::pair{"side-by-side", "2-up"},
                                      std::pair{"2x2", "2x2"}, std::pair{"1+3", "1+3"}}) {
        auto* b = new QPushButton(tr(label), central);
        b->setObjectName(QString("layout:") + kind);
        connect(b, &QPushButton::clicked, this, [this, k = QString(kind)] { layoutPreset(k); });
        layouts->addWidget(b);
    }
    layouts->addStretch();
    middle->addLayout(layouts);
    column->addLayout(middle, 2);

    transition_ = new TransitionEditor(model_, central);
    auto* transitionRow = new QHBoxLayout;
    transitionRow->addWidget(transition_);
    transitionRow->addStretch();
    column->addLayout(transitionRow);

    auto* extras = new QHBoxLayout;
    extras->addWidget(new QLabel(tr("Saved layouts"), central));
    savedRow_ = new QHBoxLayout;
    extras->addLayout(savedRow_, 1);
    saveName_ = new QLineEdit(central);
    saveName_->setObjectName("saveName");
    saveName_->setPlaceholderText(tr("name"));
    auto* save = new QPushButton(tr("Save preview as"), central);
    save->setObjectName("saveButton");
    // "with its transition": the layout keeps the transition shown above as its own, used
    // when Auto or the T-bar takes it (OBS's per-scene transition override).
    auto* withTransition = new QCheckBox(tr("with this transition"), central);
    withTransition->setObjectName("saveWithTransition");
    connect(save, &QPushButton::clicked, this, [this, withTransition] {
        if (!saveName_->text().isEmpty()) {
            model_.savePreviewAs(saveName_->text(),
                                 withTransition->isChecked() ? transition_->spec() : QJsonObject());
        }
    });
    extras->addWidget(saveName_);
    extras->addWidget(withTransition);
    extras->addWidget(save);
    column->addLayout(extras);

    auto* layer = new QHBoxLayout;
    layer->addWidget(new QLabel(tr("Overlays (over every layout)"), central));
    overlayRow_ = new QHBoxLayout;
    layer->addLayout(overlayRow_, 1);
    auto* addOverlay = new QPushButton(tr("Add overlay..."), central);
    addOverlay->setObjectName("addOverlayButton");
    connect(addOverlay, &QPushButton::clicked, this, [this] {
        auto* dialog = new AddOverlayDialog(model_, shownIds_, this);
        dialog->setObjectName("addOverlayDialog");
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    layer->addWidget(addOverlay);
    multiview_ = new QCheckBox(tr("Multiview stream (live/multiview)"), central);
    multiview_->setObjectName("multiviewCheck");
    connect(multiview_, &QCheckBox::toggled, this, [this](bool on) { model_.setMultiview(on); });
    layer->addWidget(multiview_);
    column->addLayout(layer);

    auto* mixerBox = new QGroupBox(tr("Audio mixer"), central);
    auto* scroll = new QScrollArea(mixerBox);
    auto* mixerWidget = new QWidget(scroll);
    mixer_ = new QVBoxLayout(mixerWidget);
    mixer_->addStretch();
    scroll->setWidget(mixerWidget);
    scroll->setWidgetResizable(true);
    auto* mixerLayout = new QVBoxLayout(mixerBox);
    programLevel_ = new QLabel(mixerBox);
    programLevel_->setObjectName("programLevel");
    mixerLayout->addWidget(programLevel_);
    mixerLayout->addWidget(scroll);
    column->addWidget(mixerBox, 2);

    onAir_ = new QLabel(central);
    column->addWidget(onAir_);
    setCentralWidget(central);
    status_ = new QLabel(this);
    status_->setObjectName("statusText");
    statusBar()->addWidget(status_, 1);

    // The inputs' thumbnails, one input per tick in turn (each is a libobs render in the
    // studio), while the window is shown.
    thumbnails_ = new QTimer(this);
    connect(thumbnails_, &QTimer::timeout, this, &DirectorWindow::nextThumbnail);
    thumbnails_->start(700);

    connect(&model_, &services::DirectorModel::changed, this, &DirectorWindow::refresh);
    connect(&model_, &services::DirectorModel::failed, this,
            [this](const QString& error) { status_->setText(error); });
    resize(1280, 900);
}

void DirectorWindow::refresh() {
    QStringList ids;
    for (const auto& row : model_.inputs()) {
        ids << row.id;
    }
    if (ids != shownIds_) {
        shownIds_ = ids;
        rebuildInputs();
        const QString chosen = manage_->currentText();
        const QSignalBlocker quiet(manage_);
        manage_->clear();
        manage_->addItems(ids);
        manage_->setCurrentIndex(std::max(0, static_cast<int>(ids.indexOf(chosen))));
    }
    refreshManage();
    for (const auto& row : model_.inputs()) {
        auto& s = strips_.at(row.id);
        s.button->setStyleSheet(tallyStyle(row));
        s.button->setToolTip(row.state);
        s.button->setText(row.state == "live" ? row.id : row.id + "\n" + row.state);
        s.volume->parentWidget()->setVisible(row.hasAudio); // no strip for silent kinds
        if (!s.volume->isSliderDown()) {
            const QSignalBlocker quiet(s.volume);
            s.volume->setValue(static_cast<int>(std::lround(row.volume * 100)));
        }
        const QSignalBlocker quiet(s.mute);
        s.mute->setChecked(row.muted);
        if (!s.sync->hasFocus()) {
            const QSignalBlocker still(s.sync);
            s.sync->setValue(row.syncOffsetMs);
        }
        s.level->setText(row.meterDb <= -99 ? QString("  -inf dB")
                                            : QString("%1 dB").arg(row.meterDb, 6, 'f', 1));
    }
    if (model_.savedLayouts() != shownSaved_) {
        shownSaved_ = model_.savedLayouts();
        rebuildSaved();
    }
    refreshOverlays();
    programLevel_->setText(model_.programMeterText());
    {
        const QSignalBlocker quiet(multiview_);
        multiview_->setChecked(model_.multiviewOn());
    }
    transition_->refresh();
    onAir_->setText(tr("Preview: %1    Program: %2")
                        .arg(model_.previewText().isEmpty() ? "-" : model_.previewText(),
                             model_.programText().isEmpty() ? "-" : model_.programText()));
    if (model_.lastError().isEmpty()) {
        status_->setText(model_.running() ? model_.canvasText()
                                          : tr("the director is not running"));
    }
}

void DirectorWindow::rebuildInputs() {
    for (auto& [id, s] : strips_) {
        delete s.button;
        delete s.volume->parentWidget();
    }
    strips_.clear();
    int index = 0;
    for (const auto& id : shownIds_) {
        Strip s;
        s.button = new QPushButton(id, inputGrid_->parentWidget());
        s.button->setObjectName("input:" + id);
        s.button->setIconSize(QSize(128, 72));
        connect(s.button, &QPushButton::clicked, this, [this, id] { model_.setPreviewInput(id); });
        inputGrid_->addWidget(s.button, index / 4, index % 4);
        ++index;

        auto* row = new QWidget;
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(new QLabel(id, row), 2);
        s.volume = new QSlider(Qt::Horizontal, row);
        s.volume->setObjectName("volume:" + id);
        s.volume->setRange(0, 200); // percent: 0 silent, 100 unchanged, 200 +6 dB
        connect(s.volume, &QSlider::valueChanged, this,
                [this, id](int v) { model_.setVolume(id, v / 100.0); });
        h->addWidget(s.volume, 3);
        s.mute = new QCheckBox(tr("mute"), row);
        s.mute->setObjectName("mute:" + id);
        connect(s.mute, &QCheckBox::toggled, this,
                [this, id](bool on) { model_.setMuted(id, on); });
        h->addWidget(s.mute);
        // The sound against the picture, as OBS' advanced audio properties set it.
        s.sync = new QSpinBox(row);
        s.sync->setObjectName("sync:" + id);
        s.sync->setRange(-950, 20000);
        s.sync->setSingleStep(10);
        s.sync->setSuffix(tr(" ms"));
        s.sync->setKeyboardTracking(false); // one request per value entered, not per digit
        s.sync->setToolTip(tr("Audio sync offset: positive delays the sound"));
        connect(s.sync, &QSpinBox::valueChanged, this,
                [this, id](int ms) { model_.setSyncOffset(id, ms); });
        h->addWidget(s.sync);
        s.level = new QLabel(row);
        s.level->setMinimumWidth(70);
        h->addWidget(s.level);
        mixer_->insertWidget(mixer_->count() - 1, row);
        strips_.emplace(id, s);
    }
}

void DirectorWindow::layoutPreset(const QString& kind) {
    const int needs = kind == "pip" || kind == "side-by-side" ? 2 : 4;
    if (shownIds_.size() < 2) {
        status_->setText(tr("%1 needs at least two inputs").arg(kind));
        return;
    }
    QJsonObject body{{"layout", kind}};
    if (kind == "pip") {
        body["main"] = shownIds_.at(0);
        body["inset"] = shownIds_.at(1);
    } else {
        QJsonArray slotList;
        for (int i = 0; i < needs; ++i) {
            slotList.append(i < shownIds_.size() ? QJsonValue(shownIds_.at(i)) : QJsonValue());
        }
        body["slots"] = slotList;
    }
    model_.setPreviewLayout(body);
}

void DirectorWindow::rebuildSaved() {
    for (auto& [name, b] : savedButtons_) {
        delete b;
    }
    savedButtons_.clear();
    for (const auto& name : shownSaved_) {
        auto* b = new QPushButton(name, centralWidget());
        b->setObjectName("saved:" + name);
        connect(b, &QPushButton::clicked, this, [this, name] { model_.recallLayout(name); });
        savedRow_->addWidget(b);
        savedButtons_.emplace(name, b);
    }
}

void DirectorWindow::nextThumbnail() {
    if (!isVisible() || shownIds_.isEmpty()) {
        return;
    }
    const QString id = shownIds_.at(thumbnailTurn_++ % shownIds_.size());
    model_.fetchThumbnail(id, [self = QPointer<DirectorWindow>(this), id](const QImage& picture) {
        if (!self) {
            return; // the window closed meanwhile
        }
        auto it = self->strips_.find(id);
        if (it == self->strips_.end() || picture.isNull()) {
            return; // removed meanwhile, or none could be made: keep the last one
        }
        it->second.button->setIcon(QIcon(QPixmap::fromImage(picture)));
    });
}

void DirectorWindow::refreshManage() {
    // The backup choice: the slate, or any other input; the current one as the studio has it.
    const QString input = manage_->currentText();
    if (backup_->view()->isVisible()) {
        return; // the operator is choosing
    }
    QStringList choices{QString()};
    for (const auto& id : shownIds_) {
        if (id != input) {
            choices << id;
        }
    }
    QStringList shown;
    for (int i = 0; i < backup_->count(); ++i) {
        shown << backup_->itemData(i).toString();
    }
    const QSignalBlocker quiet(backup_);
    if (shown != choices) {
        backup_->clear();
        for (const auto& id : choices) {
            backup_->addItem(id.isEmpty() ? tr("the standby slate") : id, id);
        }
    }
    backup_->setCurrentIndex(std::max(0, backup_->findData(model_.backupOf(input))));
}

void DirectorWindow::refreshOverlays() {
    QStringList ids;
    for (const auto& o : model_.overlays()) {
        ids << o.id;
    }
    if (ids != shownOverlays_) {
        shownOverlays_ = ids;
        for (auto& [id, box] : overlayChecks_) {
            delete box;
        }
        overlayChecks_.clear();
        for (const auto& o : model_.overlays()) {
            auto* box = new QCheckBox(QString("%1 (%2)").arg(o.id, o.kind), centralWidget());
            box->setObjectName("overlay:" + o.id);
            // Right click: remove the item from the layer.
            auto* remove = new QAction(tr("Remove %1").arg(o.id), box);
            remove->setObjectName("removeOverlay:" + o.id);
            connect(remove, &QAction::triggered, this,
                    [this, id = o.id] { model_.removeOverlay(id); });
            box->addAction(remove);
            box->setContextMenuPolicy(Qt::ActionsContextMenu);
            connect(box, &QCheckBox::toggled, this,
                    [this, id = o.id](bool on) { model_.setOverlay(id, on); });
            overlayRow_->addWidget(box);
            overlayChecks_.emplace(o.id, box);
        }
    }
    for (const auto& o : model_.overlays()) {
        auto* box = overlayChecks_.at(o.id);
        const QSignalBlocker quiet(box);
        box->setChecked(o.on);
    }
}

void DirectorWindow::tbarMoved(int value) {
    model_.setTbar(static_cast<double>(value) / kTbarSteps);
    if (value >= kTbarSteps) {
        // The take is complete: the bar goes home without starting another one.
        const QSignalBlocker quiet(tbar_);
        tbar_->setValue(0);
    }
}

} // namespace stagecast::ui
