// The thin SQLite wrappers: Connection, Statement, StatementCache, Transaction, Savepoint.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/Connection.h"
#include "store/Savepoint.h"
#include "store/StatementCache.h"
#include "store/Transaction.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

class tst_Connection : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    Connection openTable() {
        auto c = Connection::open(storetest::dbPath(dir_, "conn.db"), OpenMode::ReadWriteCreate);
        if (!c) {
            qFatal("open: %s", c.error().message().c_str());
        }
        (void)c->exec("DROP TABLE IF EXISTS t; CREATE TABLE t(i INTEGER, r REAL, s TEXT)");
        return std::move(*c);
    }

    static std::int64_t count(Connection& c) {
        return c.queryInt64("SELECT count(*) FROM t").value_or(-1);
    }

private slots:
    void bindsAndReadsEveryType() {
        Connection c = openTable();
        auto insert = c.prepare("INSERT INTO t VALUES(?1, ?2, ?3)");
        STORE_VERIFY(insert);
        insert->bindAll(std::int64_t{1} << 40, 2.5, std::string_view("h\xC3\xA9llo, \xE4\xB8\xAD"));
        STORE_VERIFY(insert->run());
        insert->reset();
        insert->bindAll(nullptr, std::optional<double>(), std::string());
        STORE_VERIFY(insert->run());

        auto select = c.prepare("SELECT i, r, s FROM t ORDER BY rowid");
        STORE_VERIFY(select);
        auto row = select->step();
        STORE_VERIFY(row);
        QVERIFY(*row);
        QCOMPARE(select->int64(0), std::int64_t{1} << 40);
        QCOMPARE(select->real(1), 2.5);
        QCOMPARE(select->text(2), std::string("h\xC3\xA9llo, \xE4\xB8\xAD"));
        row = select->step();
        QVERIFY(row && *row);
        QVERIFY(select->isNull(0));
        QCOMPARE(select->optionalReal(1), std::optional<double>());
        // An empty string stays '' (not NULL).
        QVERIFY(!select->isNull(2));
        QCOMPARE(select->text(2), std::string());
        row = select->step();
        QVERIFY(row && !*row);
    }

    void bindErrorIsReportedByStep() {
        Connection c = openTable();
        auto insert = c.prepare("INSERT INTO t(i) VALUES(?1)");
        STORE_VERIFY(insert);
        insert->bind(5, std::int64_t{1}); // there is no ?5
        auto ran = insert->run();
        QVERIFY(!ran);
        QVERIFY2(ran.error().message().find("binding parameter 5") != std::string::npos,
                 ran.error().message().c_str());
        QCOMPARE(count(c), std::int64_t{0});
    }

    void prepareErrorNamesTheSql() {
        Connection c = openTable();
        auto bad = c.prepare("SELECT nope FROM t");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message().find("SELECT nope FROM t") != std::string::npos,
                 bad.error().message().c_str());
        QVERIFY2(bad.error().message().find("no such column: nope") != std::string::npos,
                 bad.error().message().c_str());
    }

    void constraintErrorCarriesSqliteDetail() {
        Connection c = openTable();
        STORE_VERIFY(c.exec("CREATE TABLE u(k TEXT UNIQUE); INSERT INTO u VALUES('a')"));
        auto insert = c.prepare("INSERT INTO u VALUES('a')");
        STORE_VERIFY(insert);
        auto ran = insert->run();
        QVERIFY(!ran);
        QVERIFY2(ran.error().message().find("UNIQUE constraint failed: u.k") != std::string::npos,
                 ran.error().message().c_str());
    }

    void openReadOnlyMissingFileFails() {
        auto c = Connection::open(storetest::dbPath(dir_, "missing.db"), OpenMode::ReadOnly);
        QVERIFY(!c);
        QVERIFY2(c.error().message().find("missing.db") != std::string::npos,
                 c.error().message().c_str());
        QVERIFY(!std::filesystem::exists(storetest::dbPath(dir_, "missing.db")));
    }

    void movedConnectionKeepsWorking() {
        Connection a = openTable();
        Connection b = std::move(a);
        STORE_VERIFY(b.exec("INSERT INTO t(i) VALUES(1)"));
        auto other = Connection::open(storetest::dbPath(dir_, "conn.db"), OpenMode::ReadOnly);
        STORE_VERIFY(other);
        *other = std::move(b); // closes other's own handle, takes b's
        QCOMPARE(count(*other), std::int64_t{1});
        STORE_VERIFY(other->exec("INSERT INTO t(i) VALUES(2)")); // b's handle was read-write
    }

    void cachedStatementIsResetBetweenUses() {
        Connection c = openTable();
        StatementCache cache;
        for (int i = 0; i < 3; ++i) {
            auto insert = cache.get(c, "INSERT INTO t(i) VALUES(?1)");
            STORE_VERIFY(insert);
            (*insert)->bind(1, i);
            STORE_VERIFY((*insert)->run());
        }
        QCOMPARE(cache.size(), std::size_t{1});
        {
            // Bindings are cleared when a lease ends: a bare reuse inserts NULL, not 2.
            auto insert = cache.get(c, "INSERT INTO t(i) VALUES(?1)");
            STORE_VERIFY(insert);
            STORE_VERIFY((*insert)->run());
        }
        QCOMPARE(c.queryInt64("SELECT count(*) FROM t WHERE i IS NULL").value_or(-1),
                 std::int64_t{1});
        QCOMPARE(count(c), std::int64_t{4});
        cache.clear();
    }

    void transactionRollsBackUnlessCommitted() {
        Connection c = openTable();
        {
            auto tx = Transaction::begin(c);
            STORE_VERIFY(tx);
            STORE_VERIFY(c.exec("INSERT INTO t(i) VALUES(1)"));
            QVERIFY(c.inTransaction());
        }
        QVERIFY(!c.inTransaction());
        QCOMPARE(count(c), std::int64_t{0});
        {
            auto tx = Transaction::begin(c);
            STORE_VERIFY(tx);
            STORE_VERIFY(c.exec("INSERT INTO t(i) VALUES(1)"));
            STORE_VERIFY(tx->commit());
            QVERIFY(!tx->commit()); // a second commit is an error, not a crash
        }
        QCOMPARE(count(c), std::int64_t{1});
    }

    void savepointUndoesOnlyItsUnit() {
        Connection c = openTable();
        WriteContext context(c);
        auto tx = Transaction::begin(c);
        STORE_VERIFY(tx);
        STORE_VERIFY(c.exec("INSERT INTO t(i) VALUES(1)"));
        {
            auto sp = Savepoint::begin(context);
            STORE_VERIFY(sp);
            STORE_VERIFY(c.exec("INSERT INTO t(i) VALUES(2)"));
        } // not released: undone
        {
            auto sp = Savepoint::begin(context);
            STORE_VERIFY(sp);
            STORE_VERIFY(c.exec("INSERT INTO t(i) VALUES(3)"));
            STORE_VERIFY(sp->release());
        }
        QVERIFY(c.inTransaction());
        STORE_VERIFY(tx->commit());
        QCOMPARE(
            c.queryText("SELECT group_concat(i) FROM (SELECT i FROM t ORDER BY i)").value_or("?"),
            std::string("1,3"));
    }

    void savepointAloneCommitsOnRelease() {
        Connection c = openTable();
        WriteContext context(c);
        auto sp = Savepoint::begin(context);
        STORE_VERIFY(sp);
        STORE_VERIFY(c.exec("INSERT INTO t(i) VALUES(7)"));
        STORE_VERIFY(sp->release());
        QVERIFY(!c.inTransaction());
        QCOMPARE(count(c), std::int64_t{1});
    }
};

QTEST_APPLESS_MAIN(tst_Connection)
#include "tst_Connection.moc"
