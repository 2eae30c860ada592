#include "ui/DialogParts.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace stagecast::ui {

QWidget* fileRow(QWidget* parent, QLineEdit** edit, const QString& editName, const QString& title,
                 const QString& browseName) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* line = new QLineEdit(row);
    line->setObjectName(editName);
    auto* browse = new QPushButton(QObject::tr("Browse..."), row);
    if (!browseName.isEmpty()) {
        browse->setObjectName(browseName);
    }
    QObject::connect(browse, &QPushButton::clicked, row, [row, line, title] {
        const QString path = QFileDialog::getOpenFileName(row, title);
        if (!path.isEmpty()) {
            line->setText(path);
        }
    });
    layout->addWidget(line, 1);
    layout->addWidget(browse);
    *edit = line;
    return row;
}

DialogFoot addFoot(QDialog* dialog, QVBoxLayout* column, const QString& errorName,
                   const QString& okName, std::function<void()> submit) {
    DialogFoot foot;
    foot.error = new QLabel(dialog);
    foot.error->setObjectName(errorName);
    foot.error->setWordWrap(true);
    foot.error->setStyleSheet("color: #c01818;");
    column->addWidget(foot.error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    foot.ok = buttons->button(QDialogButtonBox::Ok);
    foot.ok->setObjectName(okName);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, std::move(submit));
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    column->addWidget(buttons);
    return foot;
}

void submitOnce(QDialog* dialog, const DialogFoot& foot,
                const std::function<void(Completion)>& send) {
    foot.ok->setEnabled(false);
    send([self = QPointer<QDialog>(dialog), foot](const QString& error) {
        if (!self) {
            return;
        }
        foot.ok->setEnabled(true);
        if (error.isEmpty()) {
            self->accept();
        } else {
            foot.error->setText(error);
        }
    });
}

} // namespace stagecast::ui
