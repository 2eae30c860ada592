#include "ui/MonitorView.h"

#include <QPainter>

namespace stagecast::ui {

MonitorView::MonitorView(const QString& caption, QColor frame, services::StreamMonitor* source,
                         QWidget* parent)
    : QWidget(parent), caption_(caption), frame_(frame), source_(source) {
    setMinimumSize(320, 180);
    connect(source_, &services::StreamMonitor::picture, this, [this] {
        picture_ = source_->latest();
        update();
    });
}

void MonitorView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), Qt::black);
    const int border = 4;
    const QRect inner = rect().adjusted(border, border, -border, -border);
    if (!picture_.isNull()) {
        QSize size = picture_.size().scaled(inner.size(), Qt::KeepAspectRatio);
        QRect target(QPoint(0, 0), size);
        target.moveCenter(inner.center());
        p.drawImage(target, picture_);
    } else {
        p.setPen(Qt::lightGray);
        const QString why = source_->problem();
        p.drawText(inner, Qt::AlignCenter | Qt::TextWordWrap,
                   why.isEmpty() ? tr("waiting for pictures") : why);
    }
    p.setPen(QPen(frame_, border));
    p.drawRect(rect().adjusted(border / 2, border / 2, -border / 2, -border / 2));
    p.setPen(Qt::white);
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    p.drawText(inner.adjusted(8, 4, -8, -4), Qt::AlignLeft | Qt::AlignTop, caption_);
}

} // namespace stagecast::ui
