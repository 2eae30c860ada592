// Crash safety: a writer process killed with SIGKILL mid-work leaves a database that passes
// integrity_check and holds every decision it reported as saved.

#include <QProcess>
#include <QtTest>

#include "StoreTestSupport.h"
#include "store/Connection.h"
#include "store/Database.h"

using namespace stagecast::store;
using storetest::why;

class tst_StoreCrash : public QObject {
    Q_OBJECT

private slots:
    void killedWriterLosesNothingReported() {
        QTemporaryDir dir;
        auto path = storetest::dbPath(dir);
        QProcess writer;
        writer.setProgram(QStringLiteral(STORE_CRASH_WRITER));
        writer.setArguments({QString::fromStdString(path.string())});
        writer.setProcessChannelMode(QProcess::SeparateChannels);
        writer.start();
        QVERIFY2(writer.waitForStarted(10'000), qPrintable(writer.errorString()));

        QByteArray output;
        QElapsedTimer timer;
        timer.start();
        while (output.count('\n') < 50 && timer.elapsed() < 120'000 &&
               writer.state() == QProcess::Running) {
            writer.waitForReadyRead(1000);
            output += writer.readAllStandardOutput();
        }
        QVERIFY2(output.count('\n') >= 50,
                 qPrintable("only " + QString::number(output.count('\n')) +
                            " decisions reported; stderr: " + writer.readAllStandardError()));
        writer.kill(); // SIGKILL: no destructor, no flush, maybe mid-transaction
        QVERIFY(writer.waitForFinished(10'000));
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        output += writer.readAllStandardOutput(); // lines printed before the kill landed

        // Only complete lines were reported as saved.
        QList<qint64> ids;
        QList<QByteArray> lines = output.split('\n');
        lines.removeLast();
        for (const QByteArray& line : lines) {
            bool ok = false;
            ids.append(line.toLongLong(&ok));
            QVERIFY2(ok, line.constData());
        }
        QVERIFY(ids.size() >= 50);

        {
            // A read-write connection replays the WAL the killed process left behind.
            auto c = Connection::open(path, OpenMode::ReadWriteCreate);
            STORE_VERIFY(c);
            QCOMPARE(c->queryText("PRAGMA integrity_check").value_or("?"), std::string("ok"));
        }
        auto db = storetest::openDb(path);
        STORE_VERIFY(db);
        QVERIFY(!db->report().needsAttention());
        Connection& c = db->connection();
        auto decision = c.prepare(
            "SELECT d.to_state, i.state, (SELECT count(*) FROM audit_log a WHERE a.target = "
            "'moderation_item:' || i.id) FROM moderation_decisions d JOIN moderation_items i ON "
            "i.id = d.item_id WHERE d.id = ?1");
        STORE_VERIFY(decision);
        for (qint64 id : ids) {
            decision->reset();
            decision->bind(1, std::int64_t{id});
            auto row = decision->step();
            STORE_VERIFY(row);
            QVERIFY2(*row, qPrintable("decision " + QString::number(id) + " is missing"));
            QCOMPARE(decision->text(0), std::string("approved"));
            QCOMPARE(decision->text(1), std::string("approved"));
            QCOMPARE(decision->int64(2), std::int64_t{1}); // its audit entry came with it
        }
        // Samples were being written too; whatever committed is intact.
        QVERIFY(c.queryInt64("SELECT count(*) FROM health_samples").value_or(0) > 0);
        // Every committed decision still has its audit entry and item state (atomicity).
        QCOMPARE(c.queryInt64("SELECT count(*) FROM moderation_decisions d WHERE NOT EXISTS "
                              "(SELECT 1 FROM audit_log a WHERE a.target = 'moderation_item:' "
                              "|| d.item_id)")
                     .value_or(-1),
                 std::int64_t{0});
    }
};

QTEST_APPLESS_MAIN(tst_StoreCrash)
#include "tst_StoreCrash.moc"
