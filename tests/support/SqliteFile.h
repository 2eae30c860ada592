#pragma once
// Reads a SQLite file the way an operator's tool would (sqlite3 C API, read-only), so
// integration tests check what stagecast stored without going through its own code.

#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

namespace stagecast::test {

struct SqlRows {
    QString error; // empty on success
    QStringList columns;
    QVector<QVector<QVariant>> rows; // NULL is an invalid QVariant
};

/// Runs one SELECT on `path` opened read-only.
SqlRows sqlQuery(const QString& path, const QString& sql);

} // namespace stagecast::test
