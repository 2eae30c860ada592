// Audit log: append and list with filters, newest first.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/Audit.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

class tst_Audit : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::optional<Database> db_;

private slots:
    void initTestCase() {
        auto db = storetest::openDb(storetest::dbPath(dir_));
        STORE_VERIFY(db);
        db_.emplace(std::move(*db));
        WriteContext c(db_->connection());
        const AuditEntry entries[] = {
            {storetest::at(1), "operator:alice", "stream.kick", "stream:live/a", "too loud"},
            {storetest::at(2), "api:token-1", "config.change", "hub.gop_cache", "{\"from\":1}"},
            {storetest::at(3), "operator:alice", "config.change", "auth.publish", ""},
            {storetest::at(4), "system", "store.corrupt", "stagecast.db", "moved aside"},
        };
        std::int64_t expected = 0;
        for (const AuditEntry& e : entries) {
            auto id = Audit::append(c, e);
            STORE_VERIFY(id);
            QCOMPARE(*id, ++expected);
        }
    }

    void list_data() {
        QTest::addColumn<QString>("actor");
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("fromSecond"); // -1: none
        QTest::addColumn<int>("toSecond");   // -1: none
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("everything, newest first") << ""
                                                  << "" << -1 << -1 << QList<qint64>{4, 3, 2, 1};
        QTest::newRow("by actor") << "operator:alice"
                                  << "" << -1 << -1 << QList<qint64>{3, 1};
        QTest::newRow("by action") << ""
                                   << "config.change" << -1 << -1 << QList<qint64>{3, 2};
        QTest::newRow("actor and action") << "operator:alice"
                                          << "config.change" << -1 << -1 << QList<qint64>{3};
        QTest::newRow("time range") << ""
                                    << "" << 2 << 4 << QList<qint64>{3, 2};
        QTest::newRow("no match") << "nobody"
                                  << "" << -1 << -1 << QList<qint64>{};
    }

    void list() {
        QFETCH(QString, actor);
        QFETCH(QString, action);
        QFETCH(int, fromSecond);
        QFETCH(int, toSecond);
        QFETCH(QList<qint64>, expected);
        AuditFilter f;
        f.actor = actor.toStdString();
        f.action = action.toStdString();
        if (fromSecond >= 0) {
            f.from = storetest::at(fromSecond);
        }
        if (toSecond >= 0) {
            f.to = storetest::at(toSecond);
        }
        auto reader = db_->openReader();
        STORE_VERIFY(reader);
        auto records = Audit::list(*reader, f);
        STORE_VERIFY(records);
        QList<qint64> ids;
        for (const auto& r : *records) {
            ids.append(r.id);
        }
        QCOMPARE(ids, expected);
    }

    void fieldsRoundTrip() {
        auto reader = db_->openReader();
        STORE_VERIFY(reader);
        AuditFilter f;
        f.limit = 1;
        f.offset = 2;
        auto records = Audit::list(*reader, f);
        STORE_VERIFY(records);
        QCOMPARE(records->size(), std::size_t{1});
        const AuditEntry& e = records->front().entry;
        QCOMPARE(e.at, storetest::at(2));
        QCOMPARE(e.actor, std::string("api:token-1"));
        QCOMPARE(e.action, std::string("config.change"));
        QCOMPARE(e.target, std::string("hub.gop_cache"));
        QCOMPARE(e.details, std::string("{\"from\":1}"));
    }
};

QTEST_APPLESS_MAIN(tst_Audit)
#include "tst_Audit.moc"
