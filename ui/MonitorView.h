#pragma once
/// A monitor: the latest picture of a StreamMonitor, fitted (aspect kept) on black, under a
/// caption ("PREVIEW", "PROGRAM") in a frame of the tally colour (green, red). Says why when
/// there is no picture.

#include <QColor>
#include <QImage>
#include <QWidget>

#include "services/StreamMonitor.h"

namespace stagecast::ui {

class MonitorView : public QWidget {
    Q_OBJECT

public:
    MonitorView(const QString& caption, QColor frame, services::StreamMonitor* source,
                QWidget* parent = nullptr);

    /// What is painted now (null before the first picture): for tests and snapshots.
    QImage picture() const { return picture_; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString caption_;
    QColor frame_;
    services::StreamMonitor* source_;
    QImage picture_;
};

} // namespace stagecast::ui
