// Opening the store: fresh schema, pragmas, refusing newer and foreign databases, moving
// unusable files aside.

#include <QFile>
#include <QRegularExpression>
#include <QtTest>

#include <fstream>

#include "StoreTestSupport.h"
#include "store/Connection.h"
#include "store/Database.h"
#include "store/Migrations.h"

using namespace stagecast::store;
using storetest::why;

namespace {

QByteArray readAll(const std::filesystem::path& path) {
    QFile f(QString::fromStdString(path.string()));
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    return f.readAll();
}

void writeAll(const std::filesystem::path& path, const QByteArray& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.constData(), bytes.size());
}

} // namespace

class tst_Database : public QObject {
    Q_OBJECT

private slots:
    void freshDatabaseHasSchemaV1() {
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir);
        auto db = storetest::openDb(path);
        STORE_VERIFY(db);
        QVERIFY(db->report().created);
        QCOMPARE(db->report().schemaBefore, 0);
        QCOMPARE(db->report().schemaAfter, 2);
        QCOMPARE(knownSchemaVersion(), 2);
        QVERIFY(!db->report().needsAttention());
        QCOMPARE(db->report().summary(),
                 "database " + path.string() + " created at schema version 2");

        Connection& c = db->connection();
        QCOMPARE(c.queryText("PRAGMA journal_mode").value_or("?"), std::string("wal"));
        QCOMPARE(c.queryInt64("PRAGMA foreign_keys").value_or(-1), std::int64_t{1});
        QCOMPARE(c.queryInt64("PRAGMA synchronous").value_or(-1), std::int64_t{1}); // NORMAL
        QCOMPARE(c.queryInt64("PRAGMA busy_timeout").value_or(-1), std::int64_t{5000});
        QCOMPARE(c.queryText("SELECT group_concat(name, ' ') FROM (SELECT name FROM "
                             "sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                             "'moderation_items_fts_%' ORDER BY name)")
                     .value_or("?"),
                 std::string("alerts audit_log health_minutes health_samples "
                             "moderation_decisions moderation_items moderation_items_fts "
                             "moderation_upvotes "
                             "publish_sessions recordings schema_version streams "
                             "viewer_sessions"));
        QCOMPARE(
            c.queryText("SELECT description FROM schema_version WHERE version = 1").value_or("?"),
            std::string(migrations()[0].description));
    }

    void reopenKeepsDataAndVersion() {
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir);
        {
            auto db = storetest::openDb(path);
            STORE_VERIFY(db);
            STORE_VERIFY(
                db->connection().exec("INSERT INTO streams(app, name) VALUES('live','a')"));
        }
        auto db = storetest::openDb(path);
        STORE_VERIFY(db);
        QVERIFY(!db->report().created);
        QCOMPARE(db->report().schemaBefore, 2);
        QCOMPARE(db->report().summary(),
                 "database " + path.string() + " opened at schema version 2");
        QCOMPARE(db->connection().queryInt64("SELECT count(*) FROM streams").value_or(-1),
                 std::int64_t{1});
    }

    void foreignKeysAreEnforced() {
        QTemporaryDir dir;
        auto db = storetest::openDb(storetest::dbPath(dir));
        STORE_VERIFY(db);
        auto ran = db->connection().exec("INSERT INTO publish_sessions(stream_id, client_id, "
                                         "protocol, address, started_at) VALUES(42, 1, 'rtmp', "
                                         "'x', 0)");
        QVERIFY(!ran);
        QVERIFY2(ran.error().message().find("FOREIGN KEY constraint failed") != std::string::npos,
                 ran.error().message().c_str());
    }

    void newerSchemaStopsStartUp() {
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir);
        {
            auto db = storetest::openDb(path);
            STORE_VERIFY(db);
            STORE_VERIFY(db->connection().exec(
                "INSERT INTO schema_version VALUES(99, 0, 'from the future')"));
        }
        QByteArray before = readAll(path);
        auto db = storetest::openDb(path);
        QVERIFY(!db);
        QCOMPARE(db.error().message(),
                 "database " + path.string() +
                     " has schema version 99; this Stagecast knows up to 2: upgrade Stagecast "
                     "or use another data folder");
        // Left exactly as it was: not moved aside, not modified.
        QCOMPARE(readAll(path), before);
        QCOMPARE(QDir(dir.path()).entryList({"*.corrupt-*"}, QDir::Files).size(), 0);
    }

    void foreignDatabaseIsRefusedNotMoved() {
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir);
        {
            auto c = Connection::open(path, OpenMode::ReadWriteCreate);
            STORE_VERIFY(c);
            STORE_VERIFY(c->exec("CREATE TABLE contacts(name TEXT); INSERT INTO contacts "
                                 "VALUES('alice')"));
        }
        auto db = storetest::openDb(path);
        QVERIFY(!db);
        QCOMPARE(db.error().message(),
                 "database " + path.string() +
                     " is not a Stagecast database (it has tables but no schema_version): use "
                     "another data folder");
        auto c = Connection::open(path, OpenMode::ReadOnly);
        STORE_VERIFY(c);
        QCOMPARE(c->queryText("SELECT name FROM contacts").value_or("?"), std::string("alice"));
    }

    void directoryIsRefused() {
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir, "folder");
        std::filesystem::create_directory(path);
        auto db = storetest::openDb(path);
        QVERIFY(!db);
        QCOMPARE(db.error().message(), "database " + path.string() + " is not a regular file");
    }

    void unusableFileIsMovedAside_data() {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("problem");
        QTest::newRow("text file") << QByteArray("this is not a database\n") << "not a database";
        QByteArray random(8192, '\0');
        for (int i = 0; i < random.size(); ++i) {
            random[i] = static_cast<char>((i * 7919 + 13) % 251);
        }
        QTest::newRow("8 KiB of noise") << random << "not a database";
        // A valid 16-byte magic followed by a nonsense header (page size 3).
        QByteArray header("SQLite format 3\0", 16);
        header += QByteArray("\x00\x03\x01\x01", 4) + QByteArray(200, '\x55');
        QTest::newRow("sqlite magic, bad header") << header << "not a database";
    }

    void unusableFileIsMovedAside() {
        QFETCH(QByteArray, contents);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir);
        writeAll(path, contents);
        auto db = storetest::openDb(path);
        STORE_VERIFY(db);
        const OpenReport& report = db->report();
        QVERIFY(report.needsAttention());
        QVERIFY(report.created);
        QCOMPARE(report.schemaAfter, knownSchemaVersion());
        QVERIFY2(report.problem.find(problem.toStdString()) != std::string::npos,
                 report.problem.c_str());
        QVERIFY(report.movedAsideTo.has_value());
        QString name = QString::fromStdString(report.movedAsideTo->filename().string());
        QVERIFY2(
            QRegularExpression("^stagecast\\.db\\.corrupt-\\d{8}-\\d{6}$").match(name).hasMatch(),
            qPrintable(name));
        // The old bytes are kept intact; the new database is a different, working file.
        QCOMPARE(readAll(*report.movedAsideTo), contents);
        QVERIFY(readAll(path) != contents);
        QCOMPARE(db->connection().queryInt64("SELECT count(*) FROM streams").value_or(-1),
                 std::int64_t{0});
        std::string summary = report.summary();
        QVERIFY2(summary.find("was not usable") != std::string::npos &&
                     summary.find("moved aside to " + report.movedAsideTo->string()) !=
                         std::string::npos,
                 summary.c_str());
    }

    void corruptPagesAreMovedAside() {
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir);
        {
            auto db = storetest::openDb(path);
            STORE_VERIFY(db);
            STORE_VERIFY(db->connection().exec("PRAGMA wal_checkpoint(TRUNCATE)"));
        }
        // Overwrite everything after the first page (the header stays valid).
        QByteArray bytes = readAll(path);
        QVERIFY(bytes.size() > 8192);
        for (int i = 4096; i < bytes.size(); ++i) {
            bytes[i] = static_cast<char>(0xA5);
        }
        writeAll(path, bytes);
        auto db = storetest::openDb(path);
        STORE_VERIFY(db);
        QVERIFY(db->report().movedAsideTo.has_value());
        QVERIFY(!db->report().problem.empty());
        QCOMPARE(readAll(*db->report().movedAsideTo), bytes);
        QCOMPARE(db->report().schemaAfter, knownSchemaVersion());
    }

    void secondCorruptFileGetsItsOwnName() {
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir);
        std::vector<std::filesystem::path> moved;
        for (int i = 0; i < 2; ++i) {
            writeAll(path, QByteArray("garbage ") + QByteArray::number(i));
            auto db = storetest::openDb(path);
            STORE_VERIFY(db);
            QVERIFY(db->report().movedAsideTo.has_value());
            moved.push_back(*db->report().movedAsideTo);
        }
        QVERIFY(moved[0] != moved[1]);
        QCOMPARE(readAll(moved[0]), QByteArray("garbage 0"));
        QCOMPARE(readAll(moved[1]), QByteArray("garbage 1"));
    }

    void readerSeesCommittedData() {
        QTemporaryDir dir;
        auto db = storetest::openDb(storetest::dbPath(dir));
        STORE_VERIFY(db);
        auto reader = db->openReader();
        STORE_VERIFY(reader);
        STORE_VERIFY(db->connection().exec("INSERT INTO streams(app, name) VALUES('live','a')"));
        QCOMPARE(reader->connection().queryInt64("SELECT count(*) FROM streams").value_or(-1),
                 std::int64_t{1});
        // Read-only: a reader cannot write.
        QVERIFY(!reader->connection().exec("INSERT INTO streams(app, name) VALUES('x','y')"));
    }
};

QTEST_APPLESS_MAIN(tst_Database)
#include "tst_Database.moc"
