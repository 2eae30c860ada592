// Alerts: one open alert per (stream, kind), studio-wide alerts, close and list.

#include <QtTest>

#include "StoreTestSupport.h"
#include "store/Alerts.h"
#include "store/WriteContext.h"

using namespace stagecast::store;
using storetest::why;

class tst_Alerts : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    Database freshDb() {
        auto db = storetest::openDb(
            storetest::dbPath(dir_, ("a" + std::to_string(++counter_) + ".db").c_str()));
        if (!db) {
            qFatal("open: %s", db.error().message().c_str());
        }
        return std::move(*db);
    }

private slots:
    void reopeningAnOpenAlertUpdatesIt() {
        Database db = freshDb();
        WriteContext c(db.connection());
        auto first = Alerts::open(
            c, {"live/a", "bitrate_low", AlertSeverity::Warning, storetest::at(1), "800 kbps"});
        STORE_VERIFY(first);
        auto second = Alerts::open(
            c, {"live/a", "bitrate_low", AlertSeverity::Critical, storetest::at(5), "200 kbps"});
        STORE_VERIFY(second);
        QCOMPARE(*second, *first);
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        auto list = Alerts::list(*reader, {});
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{1});
        const Alert& a = list->front();
        QCOMPARE(a.severity, AlertSeverity::Critical);
        QCOMPARE(a.details, std::string("200 kbps"));
        QCOMPARE(a.openedAt, storetest::at(1)); // still the first time it opened
        QCOMPARE(a.closedAt, std::optional<Time>());
        QCOMPARE(a.stream, std::string("live/a"));
    }

    void closeThenOpenMakesANewAlert() {
        Database db = freshDb();
        WriteContext c(db.connection());
        auto first =
            Alerts::open(c, {"live/a", "no_video", AlertSeverity::Critical, storetest::at(1), ""});
        STORE_VERIFY(first);
        QCOMPARE(Alerts::close(c, "live/a", "no_video", storetest::at(4)).value_or(-1),
                 std::int64_t{1});
        QCOMPARE(Alerts::close(c, "live/a", "no_video", storetest::at(5)).value_or(-1),
                 std::int64_t{0});
        auto again =
            Alerts::open(c, {"live/a", "no_video", AlertSeverity::Critical, storetest::at(9), ""});
        STORE_VERIFY(again);
        QVERIFY(*again != *first);
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        AlertFilter open;
        open.openOnly = true;
        auto list = Alerts::list(*reader, open);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{1});
        QCOMPARE(list->front().id, *again);
        auto all = Alerts::list(*reader, {});
        STORE_VERIFY(all);
        QCOMPARE(all->size(), std::size_t{2});
        QCOMPARE(all->back().closedAt, std::optional<Time>(storetest::at(4)));
    }

    void studioWideAlertsAreOnePerKindToo() {
        Database db = freshDb();
        WriteContext c(db.connection());
        auto a =
            Alerts::open(c, {"", "disk_low", AlertSeverity::Warning, storetest::at(1), "5 GB"});
        auto b =
            Alerts::open(c, {"", "disk_low", AlertSeverity::Critical, storetest::at(2), "1 GB"});
        STORE_VERIFY(a);
        STORE_VERIFY(b);
        QCOMPARE(*b, *a);
        // The same kind on a stream is a different alert.
        auto s = Alerts::open(c, {"live/a", "disk_low", AlertSeverity::Info, storetest::at(3), ""});
        STORE_VERIFY(s);
        QVERIFY(*s != *a);
        QCOMPARE(Alerts::close(c, "", "disk_low", storetest::at(4)).value_or(-1), std::int64_t{1});
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        AlertFilter open;
        open.openOnly = true;
        auto list = Alerts::list(*reader, open);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{1});
        QCOMPARE(list->front().stream, std::string("live/a"));
    }

    void listFilters() {
        Database db = freshDb();
        WriteContext c(db.connection());
        STORE_VERIFY(Alerts::open(c, {"live/a", "k1", AlertSeverity::Info, storetest::at(10), ""}));
        STORE_VERIFY(Alerts::open(c, {"live/b", "k1", AlertSeverity::Info, storetest::at(20), ""}));
        STORE_VERIFY(Alerts::open(c, {"live/a", "k2", AlertSeverity::Info, storetest::at(30), ""}));
        auto reader = db.openReader();
        STORE_VERIFY(reader);
        AlertFilter f;
        f.stream = "live/a";
        auto list = Alerts::list(*reader, f);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{2});
        QCOMPARE(list->front().kind, std::string("k2"));
        f = {};
        f.from = storetest::at(15);
        f.to = storetest::at(30);
        list = Alerts::list(*reader, f);
        STORE_VERIFY(list);
        QCOMPARE(list->size(), std::size_t{1});
        QCOMPARE(list->front().stream, std::string("live/b"));
    }
};

QTEST_APPLESS_MAIN(tst_Alerts)
#include "tst_Alerts.moc"
