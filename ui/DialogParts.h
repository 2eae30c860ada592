#pragma once
/// Parts the "Add ..." dialogs share: a file field with a chooser, and the foot (the studio's
/// refusal in red, OK and Cancel) with the submit step that keeps the dialog open on a refusal.

#include <QString>
#include <functional>

class QDialog;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;
class QWidget;

namespace stagecast::ui {

/// A row with a line edit (named `editName`) and "Browse..." (named `browseName` when given)
/// that fills it from a file chooser titled `title`. The row is the edit's parent.
QWidget* fileRow(QWidget* parent, QLineEdit** edit, const QString& editName, const QString& title,
                 const QString& browseName = {});

struct DialogFoot {
    QLabel* error = nullptr;
    QPushButton* ok = nullptr;
};

/// Adds the error label (`errorName`) and OK (`okName`)/Cancel to `column`; OK calls `submit`.
DialogFoot addFoot(QDialog* dialog, QVBoxLayout* column, const QString& errorName,
                   const QString& okName, std::function<void()> submit);

/// The studio's answer to a dialog's request: `send` is called with a completion that takes
/// the refusal (empty: done). OK is disabled meanwhile; done closes the dialog, a refusal
/// shows in the error label. Safe when the dialog closes before the answer.
using Completion = std::function<void(const QString& error)>;
void submitOnce(QDialog* dialog, const DialogFoot& foot,
                const std::function<void(Completion)>& send);

} // namespace stagecast::ui
