#include "SqliteFile.h"

#include <sqlite3.h>

namespace stagecast::test {

SqlRows sqlQuery(const QString& path, const QString& sql) {
    SqlRows out;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) !=
        SQLITE_OK) {
        out.error = QString("cannot open %1: %2").arg(path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return out;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    const QByteArray text = sql.toUtf8();
    if (sqlite3_prepare_v2(db, text.constData(), -1, &st, nullptr) != SQLITE_OK) {
        out.error = QString("%1: %2").arg(sql, sqlite3_errmsg(db));
        sqlite3_close(db);
        return out;
    }
    const int n = sqlite3_column_count(st);
    for (int i = 0; i < n; ++i) {
        out.columns << QString::fromUtf8(sqlite3_column_name(st, i));
    }
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        QVector<QVariant> row;
        for (int i = 0; i < n; ++i) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                row << QVariant(static_cast<qlonglong>(sqlite3_column_int64(st, i)));
                break;
            case SQLITE_FLOAT:
                row << QVariant(sqlite3_column_double(st, i));
                break;
            case SQLITE_NULL:
                row << QVariant();
                break;
            default:
                row << QVariant(
                    QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, i))));
            }
        }
        out.rows << row;
    }
    if (rc != SQLITE_DONE) {
        out.error = QString("%1: %2").arg(sql, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

} // namespace stagecast::test
