#pragma once
/// The studio's dashboard: viewers now and at peak (per protocol), every live stream's health
/// (publisher, codec and size, video and audio kbit/s, frames/s, keyframe interval, viewers,
/// stalled, uptime), the open alerts, and the review queue (pending and escalated chat,
/// questions and flags) with the moderator's decisions on the selected items (approve,
/// answer, follow up, dismiss, reject) and a reason; on-demand recording of the selected
/// stream and the recent recordings. Binds to services::DashboardModel.
/// Object names for tests and accessibility tools: `viewersText`, `streamsTable`,
/// `alertsTable`, `queueTable`, `reasonEdit`, `action:NAME` (approve, answer, followup,
/// dismiss, reject), `dashboardStatus`, `recordButton`, `stopRecordButton` (the stream selected
/// in the streams table), `recordingText`, `recordingsTable`.

#include <QWidget>

#include "services/DashboardModel.h"

class QLabel;
class QLineEdit;
class QTabWidget;
class QTableWidget;

namespace stagecast::ui {

class DashboardView : public QWidget {
    Q_OBJECT

public:
    explicit DashboardView(services::DashboardModel& model, QWidget* parent = nullptr);

private:
    void refresh();
    void refreshStreams();
    void refreshAlerts();
    void refreshQueue();
    void act(const QString& action);
    void refreshRecordings();
    void recordSelected(bool start);

    services::DashboardModel& model_;
    QLabel* viewers_;
    QTableWidget* streams_;
    QTableWidget* alerts_;
    QTableWidget* queue_;
    QLineEdit* reason_;
    QLabel* status_;
    QLabel* recordingNow_;
    QTabWidget* tabs_;
    QTableWidget* recordings_;
};

} // namespace stagecast::ui
