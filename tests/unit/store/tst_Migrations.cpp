// The migration runner: ordered steps, one transaction each, refusal of newer databases.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/Connection.h"
#include "store/Migrations.h"

using namespace stagecast::store;
using storetest::why;

namespace {

constexpr Migration kTwoSteps[] = {
    {1, "table a", "CREATE TABLE a(x INTEGER)"},
    {2, "table b", "CREATE TABLE b(x INTEGER); INSERT INTO a VALUES(2)"},
};

// Step 2 creates b, then fails (a already exists): b must not survive.
constexpr Migration kFailingSecond[] = {
    {1, "table a", "CREATE TABLE a(x INTEGER)"},
    {2, "broken", "CREATE TABLE b(x INTEGER); CREATE TABLE a(y INTEGER)"},
};

constexpr Migration kGap[] = {
    {1, "one", "CREATE TABLE a(x INTEGER)"},
    {3, "three", "CREATE TABLE c(x INTEGER)"},
};

} // namespace

class tst_Migrations : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    Connection fresh() {
        auto path = storetest::dbPath(dir_, ("m" + std::to_string(++counter_) + ".db").c_str());
        auto c = Connection::open(path, OpenMode::ReadWriteCreate);
        if (!c) {
            qFatal("open: %s", c.error().message().c_str());
        }
        return std::move(*c);
    }

    static bool hasTable(Connection& c, const char* name) {
        auto stmt = c.prepare("SELECT count(*) FROM sqlite_schema WHERE name = ?1");
        if (!stmt) {
            return false;
        }
        stmt->bind(1, name);
        return stmt->step().value_or(false) && stmt->int64(0) == 1;
    }

private slots:
    void shippedStepsAreNumberedFromOne() {
        auto steps = migrations();
        QVERIFY(!steps.empty());
        for (std::size_t i = 0; i < steps.size(); ++i) {
            QCOMPARE(steps[i].version, static_cast<int>(i) + 1);
            QVERIFY(!steps[i].description.empty());
            QVERIFY(!steps[i].sql.empty());
        }
        QCOMPARE(knownSchemaVersion(), steps.back().version);
    }

    void appliesEveryStepInOrder() {
        Connection c = fresh();
        auto outcome = migrate(c, storetest::at(0), kTwoSteps);
        STORE_VERIFY(outcome);
        QCOMPARE(outcome->from, 0);
        QCOMPARE(outcome->to, 2);
        QCOMPARE(schemaVersion(c).value_or(-1), 2);
        QCOMPARE(c.queryInt64("SELECT x FROM a").value_or(-1), std::int64_t{2});
        QCOMPARE(c.queryInt64("SELECT count(*) FROM schema_version").value_or(-1), std::int64_t{2});
        QCOMPARE(
            c.queryInt64("SELECT applied_at FROM schema_version WHERE version = 2").value_or(-1),
            toUnixMs(storetest::at(0)));
    }

    void upgradesFromAnOlderVersion() {
        Connection c = fresh();
        STORE_VERIFY(migrate(c, storetest::at(0), std::span(kTwoSteps).first(1)));
        QCOMPARE(schemaVersion(c).value_or(-1), 1);
        auto outcome = migrate(c, storetest::at(1), kTwoSteps);
        STORE_VERIFY(outcome);
        QCOMPARE(outcome->from, 1);
        QCOMPARE(outcome->to, 2);
    }

    void secondRunDoesNothing() {
        Connection c = fresh();
        STORE_VERIFY(migrate(c, storetest::at(0), kTwoSteps));
        auto outcome = migrate(c, storetest::at(1), kTwoSteps);
        STORE_VERIFY(outcome);
        QCOMPARE(outcome->from, 2);
        QCOMPARE(outcome->to, 2);
        QCOMPARE(c.queryInt64("SELECT count(*) FROM a").value_or(-1), std::int64_t{1});
    }

    void failedStepIsRolledBack() {
        Connection c = fresh();
        auto outcome = migrate(c, storetest::at(0), kFailingSecond);
        QVERIFY(!outcome);
        const std::string& message = outcome.error().message();
        QVERIFY2(message.find("migration to schema version 2 (broken) failed") == 0,
                 message.c_str());
        QVERIFY2(message.find("table a already exists") != std::string::npos, message.c_str());
        QCOMPARE(schemaVersion(c).value_or(-1), 1);
        QVERIFY(hasTable(c, "a"));
        QVERIFY(!hasTable(c, "b"));
        QVERIFY(!c.inTransaction());
    }

    void newerDatabaseIsRefused() {
        Connection c = fresh();
        STORE_VERIFY(migrate(c, storetest::at(0), kTwoSteps));
        auto outcome = migrate(c, storetest::at(0), std::span(kTwoSteps).first(1));
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().message(),
                 "database " + c.path().string() +
                     " has schema version 2; this Stagecast knows up to 1: upgrade Stagecast or "
                     "use another data folder");
        QVERIFY(!checkNotNewer(c, std::span(kTwoSteps).first(1)));
        STORE_VERIFY(checkNotNewer(c, kTwoSteps));
    }

    void listWithAGapIsRefused() {
        Connection c = fresh();
        auto outcome = migrate(c, storetest::at(0), kGap);
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().message(),
                 std::string("migration list out of order: step 2 has version 3"));
        QVERIFY(!hasTable(c, "a"));
    }

    void emptyDatabaseReportsVersionZero() {
        Connection c = fresh();
        QCOMPARE(schemaVersion(c).value_or(-1), 0);
        STORE_VERIFY(checkNotNewer(c));
    }
};

QTEST_APPLESS_MAIN(tst_Migrations)
#include "tst_Migrations.moc"
