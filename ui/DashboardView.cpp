#include "ui/DashboardView.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace stagecast::ui {

namespace {

QTableWidget* table(const QString& name, const QStringList& headers, QWidget* parent) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setObjectName(name);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->setVisible(false);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

void setCell(QTableWidget* t, int row, int column, const QString& text,
             const QColor& background = {}) {
    auto* item = t->item(row, column);
    if (item == nullptr) {
        item = new QTableWidgetItem;
        t->setItem(row, column, item);
    }
    if (item->text() != text) {
        item->setText(text);
    }
    item->setBackground(background.isValid() ? QBrush(background) : QBrush());
}

QString duration(qint64 seconds) {
    return QString("%1:%2:%3")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QChar('0'))
        .arg(seconds % 60, 2, 10, QChar('0'));
}

QColor severityColour(const QString& severity) {
    return severity == "critical"  ? QColor(230, 120, 120)
           : severity == "warning" ? QColor(240, 200, 110)
                                   : QColor();
}

} // namespace

DashboardView::DashboardView(services::DashboardModel& model, QWidget* parent)
    : QWidget(parent), model_(model) {
    auto* column = new QVBoxLayout(this);
    viewers_ = new QLabel(this);
    viewers_->setObjectName("viewersText");
    column->addWidget(viewers_);

    auto* streamsBox = new QGroupBox(tr("Streams"), this);
    auto* streamsLayout = new QVBoxLayout(streamsBox);
    streams_ = table("streamsTable",
                     {tr("Stream"), tr("From"), tr("Video"), tr("Video kbit/s"), tr("Audio kbit/s"),
                      tr("fps"), tr("Keyframe s"), tr("Viewers"), tr("State"), tr("Up")},
                     streamsBox);
    streamsLayout->addWidget(streams_);
    // On-demand recording of the selected stream (the program, a presenter).
    auto* recordRow = new QHBoxLayout;
    auto* record = new QPushButton(tr("Record selected"), streamsBox);
    record->setObjectName("recordButton");
    auto* stopRecord = new QPushButton(tr("Stop recording"), streamsBox);
    stopRecord->setObjectName("stopRecordButton");
    recordingNow_ = new QLabel(streamsBox);
    recordingNow_->setObjectName("recordingText");
    connect(record, &QPushButton::clicked, this, [this] { recordSelected(true); });
    connect(stopRecord, &QPushButton::clicked, this, [this] { recordSelected(false); });
    recordRow->addWidget(record);
    recordRow->addWidget(stopRecord);
    recordRow->addWidget(recordingNow_, 1);
    streamsLayout->addLayout(recordRow);
    column->addWidget(streamsBox, 3);

    auto* alertsBox = new QGroupBox(tr("Open alerts"), this);
    auto* alertsLayout = new QVBoxLayout(alertsBox);
    alerts_ =
        table("alertsTable", {tr("Severity"), tr("Stream"), tr("Alert"), tr("For"), tr("Details")},
              alertsBox);
    alertsLayout->addWidget(alerts_);
    column->addWidget(alertsBox, 2);

    tabs_ = new QTabWidget(this);
    auto* queueBox = new QWidget(tabs_);
    auto* queueLayout = new QVBoxLayout(queueBox);
    queue_ = table(
        "queueTable",
        {tr("#"), tr("Kind"), tr("Stream"), tr("Author"), tr("State"), tr("Why held"), tr("Text")},
        queueBox);
    queue_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    queueLayout->addWidget(queue_);
    auto* actions = new QHBoxLayout;
    reason_ = new QLineEdit(queueBox);
    reason_->setObjectName("reasonEdit");
    reason_->setPlaceholderText(tr("reason (kept with the decision)"));
    actions->addWidget(reason_, 1);
    for (const auto& [action, label] :
         {std::pair{"approve", "Approve"}, std::pair{"answer", "Answered"},
          std::pair{"followup", "Follow up"}, std::pair{"dismiss", "Dismiss"},
          std::pair{"reject", "Reject"}}) {
        auto* b = new QPushButton(tr(label), queueBox);
        b->setObjectName(QString("action:") + action);
        connect(b, &QPushButton::clicked, this, [this, a = QString(action)] { act(a); });
        actions->addWidget(b);
    }
    queueLayout->addLayout(actions);
    tabs_->addTab(queueBox, tr("Review queue"));
    recordings_ = table(
        "recordingsTable",
        {tr("#"), tr("Stream"), tr("Started"), tr("Length"), tr("MB"), tr("State"), tr("Reason")},
        tabs_);
    tabs_->addTab(recordings_, tr("Recordings"));
    column->addWidget(tabs_, 4);

    status_ = new QLabel(this);
    status_->setObjectName("dashboardStatus");
    status_->setWordWrap(true);
    column->addWidget(status_);

    connect(&model_, &services::DashboardModel::changed, this, &DashboardView::refresh);
    connect(&model_, &services::DashboardModel::failed, this,
            [this](const QString& error) { status_->setText(error); });
    connect(&model_, &services::DashboardModel::recordingChanged, this,
            [this](const QString& stream, bool started, const QString& error) {
                status_->setText(
                    error.isEmpty()
                        ? (started ? tr("recording %1").arg(stream)
                                   : tr("recording of %1 stopped").arg(stream))
                        : tr("%1 %2: %3")
                              .arg(started ? tr("record") : tr("stop recording"), stream, error));
            });
    connect(&model_, &services::DashboardModel::decided, this,
            [this](qint64 id, const QString& action, const QString& error) {
                status_->setText(error.isEmpty()
                                     ? tr("#%1: %2 done").arg(id).arg(action)
                                     : tr("#%1: %2 refused: %3").arg(id).arg(action, error));
            });
}

void DashboardView::refresh() {
    viewers_->setText(tr("Viewers now %1, peak %2%3")
                          .arg(model_.viewersNow())
                          .arg(model_.viewersPeak())
                          .arg(model_.viewersByProtocol().isEmpty()
                                   ? QString()
                                   : "  (" + model_.viewersByProtocol() + ")"));
    refreshStreams();
    refreshAlerts();
    refreshQueue();
    refreshRecordings();
    tabs_->setTabText(0, tr("Review queue (%1)").arg(model_.queue().size()));
    const QString now = model_.recording().isEmpty()
                            ? tr("not recording")
                            : tr("recording: %1").arg(model_.recording().join(", "));
    recordingNow_->setText(model_.diskProblem().isEmpty() ? now
                                                          : now + "  - " + model_.diskProblem());
}

void DashboardView::refreshRecordings() {
    const auto& rows = model_.recordings();
    recordings_->setRowCount(static_cast<int>(rows.size()));
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const auto& r = rows[static_cast<std::size_t>(i)];
        setCell(recordings_, i, 0, QString::number(r.id));
        setCell(recordings_, i, 1, r.stream);
        setCell(recordings_, i, 2, r.startedAt.left(19).replace('T', ' '));
        setCell(recordings_, i, 3, duration(r.durationMs / 1000));
        setCell(recordings_, i, 4, QString::number(static_cast<double>(r.sizeBytes) / 1e6, 'f', 1));
        setCell(recordings_, i, 5, r.state,
                r.state == "failed"      ? QColor(230, 120, 120)
                : r.state == "recording" ? QColor(150, 210, 150)
                                         : QColor());
        setCell(recordings_, i, 6, r.reason);
    }
}

void DashboardView::recordSelected(bool start) {
    const auto rows = streams_->selectionModel()->selectedRows(0);
    if (rows.isEmpty()) {
        status_->setText(tr("select a stream first"));
        return;
    }
    const QString stream = streams_->item(rows.first().row(), 0)->text();
    if (start) {
        model_.startRecording(stream);
    } else {
        model_.stopRecording(stream);
    }
}

void DashboardView::refreshStreams() {
    const auto& rows = model_.streams();
    streams_->setRowCount(static_cast<int>(rows.size()));
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const auto& r = rows[static_cast<std::size_t>(i)];
        const QColor state = r.stalled ? QColor(230, 120, 120) : QColor(150, 210, 150);
        setCell(streams_, i, 0, r.stream);
        setCell(streams_, i, 1, r.protocol);
        setCell(streams_, i, 2, r.video);
        setCell(streams_, i, 3, QString::number(r.videoKbps, 'f', 0));
        setCell(streams_, i, 4, QString::number(r.audioKbps, 'f', 0));
        setCell(streams_, i, 5, QString::number(r.fps, 'f', 1));
        setCell(streams_, i, 6, QString::number(r.keyframeIntervalS, 'f', 1));
        setCell(streams_, i, 7, QString::number(r.viewers));
        setCell(streams_, i, 8, r.stalled ? tr("stalled") : tr("live"), state);
        setCell(streams_, i, 9, duration(r.uptimeS));
    }
}

void DashboardView::refreshAlerts() {
    const auto& rows = model_.alerts();
    alerts_->setRowCount(static_cast<int>(rows.size()));
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const auto& r = rows[static_cast<std::size_t>(i)];
        setCell(alerts_, i, 0, r.severity, severityColour(r.severity));
        setCell(alerts_, i, 1, r.stream);
        setCell(alerts_, i, 2, r.kind);
        setCell(alerts_, i, 3, duration(r.durationS));
        setCell(alerts_, i, 4, r.details);
    }
}

void DashboardView::refreshQueue() {
    // Keep the moderator's selection across refreshes (rows come and go as others decide).
    QSet<qint64> selected;
    for (const auto* item : queue_->selectedItems()) {
        if (item->column() == 0) {
            selected.insert(item->text().toLongLong());
        }
    }
    const auto& rows = model_.queue();
    const QSignalBlocker quiet(queue_);
    queue_->setRowCount(static_cast<int>(rows.size()));
    queue_->clearSelection();
    for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
        const auto& r = rows[static_cast<std::size_t>(i)];
        setCell(queue_, i, 0, QString::number(r.id));
        setCell(queue_, i, 1, r.kind);
        setCell(queue_, i, 2, r.stream);
        setCell(queue_, i, 3, r.author);
        setCell(queue_, i, 4, r.state, r.state == "escalated" ? QColor(240, 200, 110) : QColor());
        setCell(queue_, i, 5, r.labels);
        setCell(queue_, i, 6, r.text);
        if (selected.contains(r.id)) {
            queue_->selectionModel()->select(queue_->model()->index(i, 0),
                                             QItemSelectionModel::Select |
                                                 QItemSelectionModel::Rows);
        }
    }
}

void DashboardView::act(const QString& action) {
    std::vector<qint64> ids;
    for (const auto& index : queue_->selectionModel()->selectedRows(0)) {
        ids.push_back(queue_->item(index.row(), 0)->text().toLongLong());
    }
    if (ids.empty()) {
        status_->setText(tr("%1: select one or more items in the queue first").arg(action));
        return;
    }
    model_.decide(ids, action, reason_->text());
}

} // namespace stagecast::ui
